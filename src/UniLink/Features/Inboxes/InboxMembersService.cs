using UniLink.Infrastructure.Live;

namespace UniLink.Features.Inboxes;

/// <summary>Which agents work an inbox.</summary>
public sealed class InboxMembersService(UniLinkDb db, LiveBus live)
{
    /// <summary>Adds, replaces or removes members of an inbox of the account (<see cref="AgentGroups.ChangeAsync"/>).</summary>
    public async Task<WriteResult<Inbox>> ChangeAsync(int accountId, int inboxId, IReadOnlyList<int> userIds, MembersChange change, CancellationToken ct = default)
    {
        if (await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inboxId && i.AccountId == accountId, ct) is not { } inbox)
            return new WriteResult<Inbox>.Missing();
        if (await AgentGroups.ChangeAsync(db, accountId, userIds.Distinct().ToArray(), change, (InboxMember m) => m.InboxId == inbox.Id,
                (id, now) => new InboxMember { InboxId = inbox.Id, UserId = id, CreatedAt = now }, ct) is { } problem)
            return problem;
        live.Publish(new LiveEvent(inbox.AccountId, LiveEvent.ConversationChanged));
        return inbox;
    }
}
