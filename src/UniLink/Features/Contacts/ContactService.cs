using Microsoft.EntityFrameworkCore;
using UniLink.Features.Webhooks;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Contacts;

/// <summary>Contact writes, shared by the API, the dashboard's contact panel and the public API.</summary>
public sealed partial class ContactService(UniLinkDb db, LiveBus live, Attachments.StoredFiles stored)
{
    public async Task<Contact> CreateAsync(Contact contact, CancellationToken ct = default)
    {
        var now = UnixTime.Now();
        contact.CreatedAt = now;
        contact.UpdatedAt = now;
        db.Contacts.Add(contact);
        Outbox.Contact(db, contact, WebhookEvents.ContactCreated);
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(contact.AccountId, LiveEvent.ContactChanged));
        return contact;
    }

    /// <summary>Applies <paramref name="update"/> to the stored contact and saves it.</summary>
    public async Task<Contact?> UpdateAsync(int accountId, int contactId, Action<Contact> update, CancellationToken ct = default)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.AccountId == accountId && c.Id == contactId, ct);
        if (contact is null) return null;
        var avatarBefore = Attachments.StoredFiles.AvatarKey(contact.Thumbnail);
        update(contact);
        contact.UpdatedAt = UnixTime.Now();
        // As the reference: contact_updated only when something the contact shows changed.
        if (Outbox.ChangedAttributes(db.Entry(contact)) is { } changed) Outbox.Contact(db, contact, WebhookEvents.ContactUpdated, changed);
        await db.SaveChangesAsync(ct);
        // A replaced (or removed) avatar's file goes with it.
        if (avatarBefore is not null && avatarBefore != Attachments.StoredFiles.AvatarKey(contact.Thumbnail)) await stored.RemoveAsync([avatarBefore]);
        live.Publish(new LiveEvent(accountId, LiveEvent.ContactChanged));
        return contact;
    }

    public async Task<bool> DeleteAsync(int accountId, int contactId, CancellationToken ct = default)
    {
        // The contact's conversations (and their messages and files) go with it, as in the reference: the files' keys are
        // read in the transaction that deletes the rows, and the bytes removed once it committed.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var contact = db.Contacts.Where(c => c.AccountId == accountId && c.Id == contactId);
        var thumbnail = await contact.Select(c => c.Thumbnail).FirstOrDefaultAsync(ct);
        var keys = await Attachments.StoredFiles.KeysOfAsync(
            Attachments.StoredFiles.InConversations(db, db.Conversations.Where(c => c.AccountId == accountId && c.ContactId == contactId).Select(c => c.Id)), ct);
        var deleted = await contact.ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        if (deleted == 0) return false;
        await stored.RemoveAsync([.. keys, Attachments.StoredFiles.AvatarKey(thumbnail)]);
        live.Publish(new LiveEvent(accountId, LiveEvent.ContactChanged));
        return true;
    }
}
