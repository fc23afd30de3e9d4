namespace UniLink.Features.Conversations;

/// <summary>
/// The reference's default assignment for inboxes with auto-assignment on: a new conversation goes to the inbox
/// member who is online and has the fewest open conversations in the account; on a tie, to the one who was given a
/// conversation of this inbox longest ago (never first), which makes ties a round robin.
/// </summary>
public static class AutoAssignment
{
    public static async Task<int?> PickAsync(UniLinkDb db, int accountId, int inboxId, CancellationToken ct)
    {
        var enabled = await db.Inboxes.Where(i => i.Id == inboxId).Select(i => i.EnableAutoAssignment).FirstOrDefaultAsync(ct);
        if (!enabled) return null;
        var candidates = await db.InboxMembers
            .Where(m => m.InboxId == inboxId && m.User.AvailabilityStatus == "online"
                && db.AccountUsers.Any(a => a.AccountId == accountId && a.UserId == m.UserId))
            .Select(m => new
            {
                m.UserId,
                Open = db.Conversations.Count(c => c.AccountId == accountId && c.AssigneeId == m.UserId && c.Status == ConversationStatus.Open),
                Last = db.Conversations.Where(c => c.InboxId == inboxId && c.AssigneeId == m.UserId).Max(c => (int?)c.Id),
            })
            .ToListAsync(ct);
        return candidates.OrderBy(c => c.Open).ThenBy(c => c.Last ?? 0).ThenBy(c => c.UserId).Select(c => (int?)c.UserId).FirstOrDefault();
    }
}
