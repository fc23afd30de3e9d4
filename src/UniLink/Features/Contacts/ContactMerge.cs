using System.Text.Json.Nodes;
using UniLink.Features.Messages;
using UniLink.Features.Webhooks;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Contacts;

public sealed partial class ContactService
{
    public enum MergeOutcome { Merged, BaseNotFound, MergeeNotFound }

    /// <summary>
    /// The reference's <c>ContactMergeAction</c>, in one transaction: the mergee's conversations, the messages it sent, its
    /// contact inboxes and notes become the base contact's, its labels are added to the base's, what the base leaves blank
    /// (name, email, phone number, identifier, attribute keys) is filled from the mergee — the base's own values win —
    /// and the mergee is deleted. Both must be contacts of <paramref name="accountId"/>. Merging a contact into itself
    /// changes nothing, as the reference. <c>contact_updated</c> goes out when the base changed.
    /// </summary>
    public async Task<(MergeOutcome Outcome, Contact? Base)> MergeAsync(int accountId, int baseId, int mergeeId, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var baseContact = await db.Contacts.FirstOrDefaultAsync(c => c.AccountId == accountId && c.Id == baseId, ct);
        if (baseContact is null) return (MergeOutcome.BaseNotFound, null);
        var mergee = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.AccountId == accountId && c.Id == mergeeId, ct);
        if (mergee is null) return (MergeOutcome.MergeeNotFound, null);
        if (baseId == mergeeId) return (MergeOutcome.Merged, baseContact);

        await db.Conversations.Where(c => c.AccountId == accountId && c.ContactId == mergeeId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ContactId, baseId), ct);
        await db.Messages.Where(m => m.AccountId == accountId && m.SenderType == SenderTypes.Contact && m.SenderId == mergeeId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SenderId, baseId), ct);
        await db.ContactInboxes.Where(ci => ci.ContactId == mergeeId).ExecuteUpdateAsync(s => s.SetProperty(ci => ci.ContactId, baseId), ct);
        await db.ContactNotes.Where(n => n.AccountId == accountId && n.ContactId == mergeeId)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ContactId, baseId), ct);
        var baseLabels = await db.ContactLabels.Where(l => l.ContactId == baseId).Select(l => l.Title).ToListAsync(ct);
        var newLabels = await db.ContactLabels.Where(l => l.ContactId == mergeeId && !baseLabels.Contains(l.Title)).Select(l => l.Title).ToListAsync(ct);
        db.ContactLabels.AddRange(newLabels.Select(title => new ContactLabel { ContactId = baseId, Title = title }));
        // The mergee (and what is left of it: its own labels) goes before the base takes its email or identifier.
        await db.Contacts.Where(c => c.Id == mergeeId).ExecuteDeleteAsync(ct);

        if (string.IsNullOrWhiteSpace(baseContact.Name)) baseContact.Name = mergee.Name;
        if (string.IsNullOrEmpty(baseContact.Email)) baseContact.Email = mergee.Email;
        if (string.IsNullOrEmpty(baseContact.PhoneNumber)) baseContact.PhoneNumber = mergee.PhoneNumber;
        if (string.IsNullOrEmpty(baseContact.Identifier)) baseContact.Identifier = mergee.Identifier;
        baseContact.AdditionalAttributes = JsonText.Serialize(Underlay(JsonText.Object(baseContact.AdditionalAttributes), JsonText.Object(mergee.AdditionalAttributes)));
        baseContact.CustomAttributes = JsonText.Serialize(Underlay(JsonText.Object(baseContact.CustomAttributes), JsonText.Object(mergee.CustomAttributes)));
        if (mergee.LastActivityAt > baseContact.LastActivityAt || baseContact.LastActivityAt is null) baseContact.LastActivityAt = mergee.LastActivityAt;
        if (Outbox.ChangedAttributes(db.Entry(baseContact), "last_activity_at") is { } changed)
        {
            baseContact.UpdatedAt = UnixTime.Now();
            Outbox.Contact(db, baseContact, WebhookEvents.ContactUpdated, changed);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        if (Attachments.StoredFiles.AvatarKey(mergee.Thumbnail) is { } avatar) await stored.RemoveAsync([avatar]);
        live.Publish(new LiveEvent(accountId, LiveEvent.ContactChanged));
        return (MergeOutcome.Merged, baseContact);
    }

    /// <summary>The base's keys over the mergee's: a key only the mergee has is added, nested objects are merged the same way.</summary>
    private static JsonObject Underlay(JsonObject over, JsonObject under)
    {
        var merged = (JsonObject)under.DeepClone();
        foreach (var (key, value) in over)
            merged[key] = value is JsonObject o && merged[key] is JsonObject u ? Underlay(o, u) : value?.DeepClone();
        return merged;
    }
}
