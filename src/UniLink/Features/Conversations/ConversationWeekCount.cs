namespace UniLink.Features.Conversations;

/// <summary>
/// How many conversations share one account, inbox, status, assignee and team and were last active in one week
/// (<see cref="ActivityWeeks"/>): a deep page of the list (<see cref="ConversationFilter.PageIdsAsync"/>) adds these up
/// newest week first to find the week it starts in, then skips only inside it. Kept by the database itself, as
/// <see cref="ConversationCount"/> (triggers on "Conversations", migration ConversationWeekCounts), in the transaction
/// of every write — a new message moves its conversation's last activity, and so its week. EF never writes it.
/// </summary>
public class ConversationWeekCount
{
    public int AccountId { get; set; }
    public ConversationStatus Status { get; set; }
    public int Week { get; set; }
    public int InboxId { get; set; }
    /// <summary>0: unassigned.</summary>
    public int AssigneeId { get; set; }
    /// <summary>0: no team.</summary>
    public int TeamId { get; set; }
    public int Count { get; set; }
}
