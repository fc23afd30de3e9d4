using UniLink.Infrastructure.Live;

namespace UniLink.Features.Inboxes;

/// <summary>Which agents work an inbox.</summary>
public sealed class InboxMembersService(UniLinkDb db, LiveBus live)
{
    public enum Change { Add, Replace, Remove }

    /// <summary>
    /// Adds, replaces or removes members of an inbox of the account in one transaction; every id must be an agent of the
    /// account, or nothing changes.
    /// </summary>
    public async Task<WriteResult<Inbox>> ChangeAsync(int accountId, int inboxId, IReadOnlyList<int> userIds, Change change, CancellationToken ct = default)
    {
        if (await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inboxId && i.AccountId == accountId, ct) is not { } inbox)
            return new WriteResult<Inbox>.Missing();
        var ids = userIds.Distinct().ToArray();
        var known = await db.AccountUsers.Where(m => m.AccountId == accountId && ids.Contains(m.UserId)).Select(m => m.UserId).ToListAsync(ct);
        if (ids.Where(id => !known.Contains(id)).Select(id => (int?)id).FirstOrDefault() is { } unknown)
            return new WriteProblem($"User {unknown} is not an agent of this account", "user_ids");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var current = await db.InboxMembers.Where(m => m.InboxId == inbox.Id).ToListAsync(ct);
        if (change != Change.Add)
            db.InboxMembers.RemoveRange(current.Where(m => change == Change.Replace ? !ids.Contains(m.UserId) : ids.Contains(m.UserId)));
        if (change != Change.Remove)
        {
            var now = UnixTime.Now();
            db.InboxMembers.AddRange(ids.Where(id => current.All(m => m.UserId != id))
                .Select(id => new InboxMember { InboxId = inbox.Id, UserId = id, CreatedAt = now }));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        live.Publish(new LiveEvent(inbox.AccountId, LiveEvent.ConversationChanged));
        return inbox;
    }
}
