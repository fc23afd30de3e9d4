using Microsoft.EntityFrameworkCore;
using UniLink.Features.Inboxes;
using UniLink.Infrastructure.Auth;

namespace UniLink.Features.Contacts;

/// <summary>An inbox a conversation with the contact can be started in, and the contact's source id there.</summary>
public sealed record ContactableInboxJson(string SourceId, InboxJson Inbox);

public sealed partial class ContactService
{
    /// <summary>
    /// The reference's <c>ContactableInboxesService</c>, among the inboxes the caller works: an API inbox always (the
    /// contact's latest source id there, or a fresh one), a website inbox where the contact has a contact inbox without
    /// conversations, an email inbox when the contact has an email (the email is the source id).
    /// </summary>
    public async Task<List<ContactableInboxJson>> ContactableInboxesAsync(AccountScope scope, Contact contact, CancellationToken ct = default)
    {
        var inboxes = db.Inboxes.AsNoTracking().Where(i => i.AccountId == scope.AccountId);
        if (InboxAccess.LimitedTo(scope) is { } userId) inboxes = inboxes.Where(i => db.InboxMembers.Any(m => m.InboxId == i.Id && m.UserId == userId));
        var list = await inboxes.OrderBy(i => i.Id).ToListAsync(ct);
        var latest = await db.ContactInboxes.Where(ci => ci.ContactId == contact.Id)
            .GroupBy(ci => ci.InboxId).Select(g => g.OrderByDescending(ci => ci.Id).Select(ci => new
            {
                ci.InboxId, ci.SourceId, HasConversations = db.Conversations.Any(c => c.ContactInboxId == ci.Id),
            }).First()).ToListAsync(ct);
        var result = new List<ContactableInboxJson>();
        foreach (var inbox in list)
        {
            var own = latest.FirstOrDefault(l => l.InboxId == inbox.Id);
            var sourceId = inbox.ChannelType switch
            {
                ChannelTypes.Api => own?.SourceId ?? Guid.NewGuid().ToString(),
                ChannelTypes.WebWidget => own is { HasConversations: false } ? own.SourceId : null,
                ChannelTypes.Email => string.IsNullOrEmpty(contact.Email) ? null : contact.Email,
                _ => null,
            };
            if (sourceId is not null) result.Add(new ContactableInboxJson(sourceId, inbox.ToJson(scope.IsAdministrator)));
        }
        return result;
    }
}
