namespace UniLink.Features.Conversations;

/// <summary>
/// How many conversations share one account, inbox, status, assignee and team: the list's counts
/// (<see cref="ConversationFilter.CountsAsync"/>) add these up instead of walking the conversations. Kept by the database
/// itself — triggers on "Conversations" (migration ConversationCounts) —, in the transaction of every write, whatever
/// wrote it (a service, a bulk update, a cascade of a deleted contact, inbox, user, team or account). EF never writes it.
/// </summary>
public class ConversationCount
{
    public int AccountId { get; set; }
    public int InboxId { get; set; }
    public ConversationStatus Status { get; set; }
    /// <summary>0: unassigned.</summary>
    public int AssigneeId { get; set; }
    /// <summary>0: no team.</summary>
    public int TeamId { get; set; }
    public int Count { get; set; }
}
