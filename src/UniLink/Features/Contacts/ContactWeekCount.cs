namespace UniLink.Features.Contacts;

/// <summary>
/// How many contacts of one account were last active (or, never active, created) in one week (<see cref="ActivityWeeks"/>):
/// a deep page of the contacts list (<see cref="ContactReader.PageAsync"/>) finds the week it starts in from these instead
/// of walking every contact before it. Kept by triggers on "Contacts" (migration ConversationWeekCounts), as
/// <see cref="ContactCount"/>. EF never writes it.
/// </summary>
public class ContactWeekCount
{
    public int AccountId { get; set; }
    public int Week { get; set; }
    public int Count { get; set; }
}
