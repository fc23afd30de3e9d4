using UniLink.Infrastructure.Live;

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

public sealed partial class ContactService
{
    public enum ContactInboxOutcome { Created, Existing, SourceIdTaken, NoEmail }

    /// <summary>
    /// The reference's <c>ContactInboxBuilder</c>: the contact becomes reachable in the inbox under <paramref name="sourceId"/>
    /// (an email inbox's default is the contact's email, any other's a new UUID). The same source id of the same contact
    /// answers its existing contact inbox; another contact's is refused.
    /// </summary>
    public async Task<(ContactInboxOutcome, ContactInbox?)> AddContactInboxAsync(Contact contact, Inbox inbox, string? sourceId, bool hmacVerified,
        CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(sourceId))
        {
            if (inbox.ChannelType == ChannelTypes.Email && string.IsNullOrEmpty(contact.Email)) return (ContactInboxOutcome.NoEmail, null);
            sourceId = inbox.ChannelType == ChannelTypes.Email ? contact.Email! : Guid.NewGuid().ToString();
        }
        if (await db.ContactInboxes.FirstOrDefaultAsync(ci => ci.InboxId == inbox.Id && ci.SourceId == sourceId, ct) is { } existing)
            return existing.ContactId == contact.Id ? (ContactInboxOutcome.Existing, existing) : (ContactInboxOutcome.SourceIdTaken, null);
        var created = new ContactInbox { ContactId = contact.Id, InboxId = inbox.Id, SourceId = sourceId, HmacVerified = hmacVerified, CreatedAt = UnixTime.Now() };
        db.ContactInboxes.Add(created);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same source id taken at the same moment (the unique index on inbox and source id).
            db.ChangeTracker.Clear();
            return (ContactInboxOutcome.SourceIdTaken, null);
        }
        live.Publish(new LiveEvent(contact.AccountId, LiveEvent.ContactChanged));
        return (ContactInboxOutcome.Created, created);
    }
}
