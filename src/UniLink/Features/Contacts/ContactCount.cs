namespace UniLink.Features.Contacts;

/// <summary>
/// How many contacts one account has: the unfiltered contacts list's <c>meta.count</c> (<see cref="ContactReader.PageAsync"/>)
/// reads this row instead of counting the contacts (an index-only scan of every contact on each request: 100,000 at a
/// real team's size). Kept by the database itself — triggers on "Contacts" (migration ContactCounts) — in the transaction
/// of every write, whatever wrote it (the API, the client API, an import, a merge, a cascade of a deleted account). EF
/// never writes it.
/// </summary>
public class ContactCount
{
    public int AccountId { get; set; }
    public int Count { get; set; }
}
