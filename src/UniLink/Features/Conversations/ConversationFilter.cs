using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;

namespace UniLink.Features.Conversations;

/// <summary>The conversation list's filters, as the reference's query parameters name them.</summary>
public sealed record ConversationFilter(
    ConversationStatus? Status,
    string AssigneeType,
    int? InboxId,
    int? TeamId,
    IReadOnlyList<string> Labels,
    string? Query,
    int Page,
    int? UserId)
{
    /// <summary>An agent's view: only the conversations of inboxes this user is a member of (<see cref="Inboxes.InboxAccess"/>).</summary>
    public int? LimitedTo { get; init; }

    /// <summary>The conditions of a <c>POST …/conversations/filter</c> payload (<see cref="Filters.RecordFilters"/>), if any.</summary>
    public Expression<Func<Conversation, bool>>? Where { get; init; }

    /// <summary>The open conversations of every assignee, as the caller may see them.</summary>
    public static ConversationFilter Default(AccountScope scope) =>
        new(ConversationStatus.Open, "all", null, null, [], null, 1, scope.UserId) { LimitedTo = Inboxes.InboxAccess.LimitedTo(scope) };

    public static readonly string[] AssigneeTypes = ["me", "mine", "unassigned", "assigned", "all"];

    public static (ConversationFilter?, IResult?) From(IQueryCollection query, AccountScope scope)
    {
        var statusName = query["status"].ToString();
        ConversationStatus? status = ConversationStatus.Open;
        if (statusName == "all") status = null;
        else if (statusName.Length > 0)
        {
            status = ConversationStatuses.Parse(statusName);
            if (status is null) return (null, ApiErrors.Invalid($"Status '{statusName}' is not one of open, resolved, pending, snoozed, all", "status"));
        }
        var assigneeType = query["assignee_type"].ToString() is { Length: > 0 } a ? a : "all";
        if (!AssigneeTypes.Contains(assigneeType))
            return (null, ApiErrors.Invalid($"Assignee type '{assigneeType}' is not one of me, unassigned, assigned, all", "assignee_type"));
        int? inboxId = null;
        if (query["inbox_id"].ToString() is { Length: > 0 } inbox)
        {
            if (!int.TryParse(inbox, out var i)) return (null, ApiErrors.Invalid("Inbox must be a whole number", "inbox_id"));
            inboxId = i;
        }
        int? teamId = null;
        if (query["team_id"].ToString() is { Length: > 0 } team)
        {
            if (!int.TryParse(team, out var t)) return (null, ApiErrors.Invalid("Team must be a whole number", "team_id"));
            teamId = t;
        }
        var page = 1;
        if (query["page"].ToString() is { Length: > 0 } p && (!int.TryParse(p, out page) || page < 1 || page > 100_000))
            return (null, ApiErrors.Invalid("Page must be a whole number from 1", "page"));
        var labels = query["labels[]"].Concat(query["labels"]).SelectMany(l => (l ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct().Take(20).ToList();
        var q = query["q"].ToString().Trim();
        // PostgreSQL cannot compare text holding NUL; refuse it the same way on every engine.
        if (q.Contains('\0')) return (null, ApiErrors.Invalid($"Q {RequestBody.NulProblem}", "q"));
        if (labels.Any(l => l.Contains('\0'))) return (null, ApiErrors.Invalid($"Labels {RequestBody.NulProblem}", "labels"));
        return (new ConversationFilter(status, assigneeType, inboxId, teamId, labels, q.Length == 0 ? null : q[..Math.Min(q.Length, 200)], page, scope.UserId)
        {
            LimitedTo = Inboxes.InboxAccess.LimitedTo(scope),
        }, null);
    }

    /// <summary>Page 1 filtered by status, inbox, team, assignee and the caller's inboxes only: the list's compiled page,
    /// read with its kept counts (<see cref="ConversationReader.FirstPageJsonAsync"/>).</summary>
    public bool IsPlainFirstPage => Page <= 1 && HasKeptCounts;

    /// <summary>Filters by status, inbox, team and the agent's inboxes only: counted from <see cref="ConversationCount"/>.</summary>
    private bool HasKeptCounts => Query is null && Where is null && Labels.Count == 0 && TeamId is null or > 0;

    /// <summary>Every filter but the assignee one (the counts are per assignee type).</summary>
    public IQueryable<Conversation> Apply(IQueryable<Conversation> conversations, UniLinkDb db, int accountId) =>
        ApplySearch(ApplyAllButSearch(conversations, db), db, accountId);

    private IQueryable<Conversation> ApplyAllButSearch(IQueryable<Conversation> conversations, UniLinkDb db)
    {
        conversations = Inboxes.InboxAccess.Visible(conversations, db, LimitedTo);
        if (Where is not null) conversations = conversations.Where(Where);
        if (Status is { } s) conversations = conversations.Where(c => c.Status == s);
        if (InboxId is { } inbox) conversations = conversations.Where(c => c.InboxId == inbox);
        if (TeamId is { } team) conversations = conversations.Where(c => c.TeamId == team);
        foreach (var label in Labels) conversations = conversations.Where(c => c.Labels.Any(l => l.Title == label));
        return conversations;
    }

    private IQueryable<Conversation> ApplySearch(IQueryable<Conversation> conversations, UniLinkDb db, int accountId)
    {
        if (Query is { } q)
        {
            // The database's own full-text indexes (Features/Search): words of messages, parts of the contact.
            var displayId = int.TryParse(q.TrimStart('#'), out var d) ? d : -1;
            var words = Search.FullTextSearch.Words(q);
            var matching = Search.FullTextSearch.Conversations(db, accountId, words);
            if (!db.Database.IsNpgsql() && SearchConversations is { } found)
            {
                // Read once (WithSearchAsync): the statements test a list or a map of the found conversations instead of
                // asking FTS5 again each (see SearchConversations).
                var contactIds = (SearchContactIds ?? []).ToArray();
                if (found.Map is { } map)
                {
                    var marked = FoundConversations.Marked;
                    conversations = conversations.Where(c => c.DisplayId == displayId || EF.Parameter(contactIds).Contains(c.ContactId)
                        || EF.Functions.Substr(map, c.Id + 1, 1) == marked);
                }
                else
                {
                    var ids = found.Ids;
                    conversations = conversations.Where(c => c.DisplayId == displayId || EF.Parameter(contactIds).Contains(c.ContactId)
                        || EF.Parameter(ids).Contains(c.Id));
                }
            }
            else if (!db.Database.IsNpgsql())
            {
                var contacts = Search.FullTextSearch.Contacts(db, accountId, q);
                conversations = conversations.Where(c => c.DisplayId == displayId || contacts.Contains(c.ContactId) || matching.Contains(c.Id));
            }
            else conversations = conversations.Where(PostgresSearch(db, accountId, q));
        }
        return conversations;
    }

    /// <summary>
    /// PostgreSQL: <paramref name="q"/> as one condition on the conversation row that PostgreSQL can answer with a
    /// BitmapOr of indexes, AND-ed with the list's own: the conversation's words (GIN), its contact among those found
    /// (an array, so that it is an index condition rather than a subquery run per row), its display id. Several words
    /// must also be in one message, as before.
    /// </summary>
    private Expression<Func<Conversation, bool>> PostgresSearch(UniLinkDb db, int accountId, string q)
    {
        var displayId = int.TryParse(q.TrimStart('#'), out var d) ? d : -1;
        var words = Search.FullTextSearch.Words(q);
        var matching = Search.FullTextSearch.Conversations(db, accountId, words);
        var tsQuery = Search.FullTextSearch.TsQuery(words);
        var contactIds = SearchContactIds?.ToArray();
        var contacts = Search.FullTextSearch.Contacts(db, accountId, q);
        return (words.Count, contactIds) switch
        {
            (0, null) => c => c.DisplayId == displayId || contacts.Contains(c.ContactId),
            (0, _) => c => c.DisplayId == displayId || contactIds!.Contains(c.ContactId),
            (1, null) => c => c.DisplayId == displayId || contacts.Contains(c.ContactId)
                || Search.FullTextSearch.ConversationWordsMatch(c.Id, tsQuery),
            (1, _) => c => c.DisplayId == displayId || contactIds!.Contains(c.ContactId)
                || Search.FullTextSearch.ConversationWordsMatch(c.Id, tsQuery),
            (_, null) => c => c.DisplayId == displayId || contacts.Contains(c.ContactId)
                || (Search.FullTextSearch.ConversationWordsMatch(c.Id, tsQuery) && matching.Contains(c.Id)),
            _ => c => c.DisplayId == displayId || contactIds!.Contains(c.ContactId)
                || (Search.FullTextSearch.ConversationWordsMatch(c.Id, tsQuery) && matching.Contains(c.Id)),
        };
    }

    /// <summary>The ids of the contacts <see cref="Query"/> finds, read once before the list and its counts
    /// (<see cref="WithSearchAsync"/>); null: looked up inside each query.</summary>
    public IReadOnlyList<int>? SearchContactIds { get; init; }

    /// <summary>
    /// On SQLite, the conversations whose messages hold <see cref="Query"/>'s words, read once before the list and its
    /// counts (<see cref="WithSearchAsync"/>); null: looked up inside each query. Each of the three counts and the page
    /// asked FTS5 for them again (for a common word ≈75,000 conversations from ≈99,000 messages, the doclists of every
    /// word beginning with it merged each time, then the list made into a temporary index), 400 ms of CPU a request.
    /// </summary>
    public FoundConversations? SearchConversations { get; init; }

    /// <summary>This filter with <see cref="SearchContactIds"/> (and on SQLite <see cref="SearchConversations"/>) read, when
    /// there is a query.</summary>
    public async Task<ConversationFilter> WithSearchAsync(UniLinkDb db, int accountId, CancellationToken ct)
    {
        if (Query is not { } q || SearchContactIds is not null) return this;
        var contactIds = await Search.FullTextSearch.Contacts(db, accountId, q).ToListAsync(ct);
        if (db.Database.IsNpgsql()) return this with { SearchContactIds = contactIds };
        var match = await Search.FullTextSearch.SqliteMatchAsync(db, "ConversationMessagesSearchTerms", Search.FullTextSearch.Words(q), ct);
        if (await NewestMatchesAsync(db, accountId, q, contactIds, match, ct) is { } counts)
            return this with { SearchContactIds = contactIds, SearchCounts = counts };
        var ids = await Search.FullTextSearch.ConversationIdsAsync(db, match, ct);
        return this with { SearchContactIds = contactIds, SearchConversations = FoundConversations.From(ids) };
    }

    /// <summary>SQLite: the search's counts and the matches its page is taken from (<see cref="ConversationCounts.Found"/>),
    /// settled by <see cref="NewestMatchesAsync"/> in <see cref="WithSearchAsync"/>; null: counted and paged by the
    /// statements, with <see cref="SearchConversations"/>.</summary>
    public ConversationCounts? SearchCounts { get; init; }

    /// <summary>Past this many matches before the page's end (page 40), <see cref="NewestMatchesAsync"/> leaves the page
    /// to the statements.</summary>
    private const int NewestMatchesAtMost = 1_000;

    /// <summary>The first part of the words' index <see cref="NewestMatchesAsync"/> reads, in messages (the next ones
    /// sized by <see cref="NextPart"/>). Settable for tests, whose words have fewer matches than one part.</summary>
    internal static int NewestRowsFirst { get; set; } = 1_024;

    /// <summary>The largest part of the words' index <see cref="NewestMatchesAsync"/> reads at once, in messages.</summary>
    private const int NewestRowsAtMost = 32_768;

    /// <summary>
    /// The next part of the words' index <see cref="NewestMatchesAsync"/> reads, in messages, after <paramref name="read"/>
    /// of them (the last part <paramref name="last"/>) found <paramref name="counts"/>: as many as the tab with the fewest
    /// matches needs to reach the cap at the rate it found them, that rate taken one standard deviation low (its count
    /// less its square root) so that a part seldom falls short; twice the last while a tab holds fewer than 4, or when
    /// every tab holds the cap (the page then wants older conversations). Doubling read "refund"'s administrator's open
    /// tab, which held 86 of the cap after 3,072 messages, a third part of 4,096 where ≈600 were enough: about half of
    /// the request's CPU.
    /// </summary>
    private static int NextPart(ConversationCounts counts, int read, int last)
    {
        var fewest = Math.Min(counts.MineCount, Math.Min(counts.AssignedCount, counts.UnassignedCount));
        if (fewest >= SearchCountCap || fewest < 4) return Math.Min(last * 2, NewestRowsAtMost);
        var needed = read * (SearchCountCap - fewest) / (fewest - Math.Sqrt(fewest));
        return (int)Math.Clamp(Math.Ceiling(needed), Math.Max(1, NewestRowsFirst / 4), NewestRowsAtMost);
    }

    /// <summary>At most this many of a tab's conversations older than the index's part read, but active after the page's
    /// last match, are looked up in the index one by one (≈20 µs each); more: more of the index is read.</summary>
    private const int OlderTestedAtMost = 64;

    /// <summary>
    /// SQLite: the capped counts and the page's matches read from the newest end of the words' index. A common word's
    /// every match (≈99,000 messages, 75,000 conversations for "refund" on the big data) cost 25 ms of CPU a request to
    /// read; a tab's count stops at <see cref="SearchCountCap"/> and its page at 25. So the index is read newest
    /// conversation first (its row ids are the conversation's id times 2^32 plus the message's), a part at a time,
    /// each part's conversations looked up through the list's own filters (account, the agent's inboxes, status, inbox,
    /// team, labels); the contacts' and display id's matches are read whole first. Every conversation from the lowest
    /// id read upwards is then known, so each tab's count is settled when it holds the cap there (or the index has been
    /// read to its end: exact). The page is the tab's newest activity: an older conversation may have been active after
    /// the page's last match, so the tab's conversations older than the part read and active after it are looked for
    /// and, when few, each looked up in the index; otherwise more of the index is read. The answers are the statements'
    /// (<see cref="CountsAsync"/>, the page of <see cref="Apply"/>). Null — the statements then count and page — for a
    /// deep page, many contacts found, or a word written as a prefix query (<see cref="Search.FullTextSearch.SqliteMatchAsync"/>:
    /// each part would merge every word it begins again).
    /// </summary>
    private async Task<ConversationCounts?> NewestMatchesAsync(UniLinkDb db, int accountId, string q, List<int> contactIds, string? match,
        CancellationToken ct)
    {
        var wanted = Page * ConversationsEndpoints.PageSize + 1; // one more than the page: the dashboard's "more" (ConversationListSnapshot)
        if (wanted > NewestMatchesAtMost || contactIds.Count > NewestMatchesAtMost || match is not null && match.Contains('*')) return null;
        var tabs = ApplyAllButSearch(db.Conversations.AsNoTracking().Where(c => c.AccountId == accountId), db);
        var found = new Dictionary<int, FoundConversation>();
        void Add(List<FoundConversation> conversations) { foreach (var c in conversations) found[c.Id] = c; }
        if (int.TryParse(q.TrimStart('#'), out var displayId))
            Add(await tabs.Where(c => c.DisplayId == displayId).Select(AsFound).ToListAsync(ct));
        if (contactIds.Count > 0)
        {
            var contacts = contactIds.ToArray();
            var ofContacts = await tabs.Where(c => EF.Parameter(contacts).Contains(c.ContactId)).Take(NewestMatchesAtMost + 1)
                .Select(AsFound).ToListAsync(ct);
            if (ofContacts.Count > NewestMatchesAtMost) return null;
            Add(ofContacts);
        }
        var inTab = InTab();
        var known = int.MaxValue; // every conversation with an id from this one up is in found if it matches
        var read = match is null; // the whole index read
        var (rows, readRows) = (NewestRowsFirst, 0);
        while (true)
        {
            if (read) break;
            if (CappedCounts(found.Values) is { MineCount: SearchCountCap, AssignedCount: SearchCountCap, UnassignedCount: SearchCountCap })
            {
                var tab = NewestFirst(found.Values.Where(inTab));
                if (tab.Count >= wanted)
                {
                    var (at, id, below) = (tab[wanted - 1].LastActivityAt, tab[wanted - 1].Id, known);
                    // The tab's conversations active after the page's last match, read by the tab's index from its time on
                    // (with "Id" < known in the statement SQLite walked every conversation below by id instead); the known ones
                    // among them are left out here.
                    var atMost = 4 * wanted + OlderTestedAtMost;
                    var later = await ApplyAssignee(tabs).Where(c => c.LastActivityAt >= at && (c.LastActivityAt > at || c.Id > id))
                        .Take(atMost + 1).Select(AsFound).ToListAsync(ct);
                    var untested = later.Where(c => c.Id < below && !found.ContainsKey(c.Id)).ToDictionary(c => c.Id);
                    if (later.Count <= atMost && untested.Count <= OlderTestedAtMost)
                    {
                        foreach (var matching in await Search.FullTextSearch.ConversationsMatchingAsync(db, match!, [.. untested.Keys], ct))
                            found[matching] = untested[matching];
                        break;
                    }
                }
            }
            var (ids, all) = await Search.FullTextSearch.NewestConversationIdsAsync(db, match!, known, rows, ct);
            if (ids.Count > 0)
            {
                var part = ids.ToArray();
                Add(await tabs.Where(c => EF.Parameter(part).Contains(c.Id)).Select(AsFound).ToListAsync(ct));
            }
            readRows += rows;
            (known, read, rows) = (all || ids.Count == 0 ? 0 : ids[^1], all, NextPart(CappedCounts(found.Values), readRows, rows));
        }
        return CappedCounts(found.Values) with { Found = [.. NewestFirst(found.Values.Where(inTab)).Take(wanted)] };
    }

    /// <summary>A search's capped counts, tab by tab, from the conversations it found (mine: the caller's).</summary>
    private ConversationCounts CappedCounts(IReadOnlyCollection<FoundConversation> found)
    {
        var userId = UserId;
        int Capped(Func<FoundConversation, bool> tab) => Math.Min(SearchCountCap, found.Count(tab));
        return new ConversationCounts(Capped(c => c.AssigneeId == userId), Capped(c => c.AssigneeId != null), Capped(c => c.AssigneeId == null),
            Math.Min(SearchCountCap, found.Count));
    }

    /// <summary>Found conversations in the list's order: newest activity first, then the newest id.</summary>
    private static List<FoundConversation> NewestFirst(IEnumerable<FoundConversation> found) =>
        [.. found.OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id)];

    private static readonly Expression<Func<Conversation, FoundConversation>> AsFound = c => new FoundConversation(c.Id, c.AssigneeId, c.LastActivityAt);

    /// <summary>Whether a found conversation is in <see cref="AssigneeType"/>'s tab, as <see cref="ApplyAssignee"/> says it.</summary>
    private Func<FoundConversation, bool> InTab()
    {
        var userId = UserId;
        return AssigneeType switch
        {
            "me" or "mine" => c => c.AssigneeId == userId,
            "unassigned" => c => c.AssigneeId == null,
            "assigned" => c => c.AssigneeId != null,
            _ => _ => true,
        };
    }

    public IQueryable<Conversation> ApplyAssignee(IQueryable<Conversation> conversations) => AssigneeType switch
    {
        "me" or "mine" => conversations.Where(c => c.AssigneeId == UserId),
        "unassigned" => conversations.Where(c => c.AssigneeId == null),
        "assigned" => conversations.Where(c => c.AssigneeId != null),
        _ => conversations,
    };

    /// <summary>
    /// Counts stop at <see cref="CountCap"/>: past it a count costs a read of every row it counts, on every request,
    /// and the reference's dashboard only shows the number in a tab. So a count over the cap is the cap.
    /// </summary>
    public const int CountCap = 10_000;

    /// <summary>
    /// Under a search (<c>q</c>) counts stop at 100: a count walks the conversations of its tab and tests each one's
    /// words, so a common word costs a read of as many word lists as the cap allows (≈270 for "refund" at 100, ≈2,700
    /// at 1,000: 4 instead of 15-16 ms of PostgreSQL a request on the big data). The reference's own counts under a
    /// search are not conversation counts either (it counts the joined message rows), and its clients show them only
    /// as tab numbers and page until a page comes back empty, so every match stays reachable by paging.
    /// </summary>
    public const int SearchCountCap = 100;

    /// <summary>A search's page past the cap is first looked for among the tab's newest this many times (skip + page
    /// size) conversations (<see cref="FewFoundFirstAsync"/>).</summary>
    private const int NewestTestedPerRow = 8;

    /// <summary>Past this many, a deep page of a common word is read as the planner chooses (newest first).</summary>
    private const int NewestTestedAtMost = 5_000;

    public async Task<ConversationCounts> CountsAsync(UniLinkDb db, AccountScope scope, CancellationToken ct)
    {
        if (SearchCounts is { } settled) return settled;
        // Filters by status, inbox, team and the agent's inboxes only: added up from the counts the database keeps
        // per account, inbox, status, assignee and team (ConversationCount) — a few rows instead of every conversation.
        if (HasKeptCounts) return Capped(await KeptCountsQuery.For(db)(db, scope.AccountId, Status, InboxId, TeamId, LimitedTo, UserId ?? 0));
        if (Query is { } q && db.Database.IsNpgsql())
        {
            var few = await CountsOfFewAsync(db, scope.AccountId, q, ct);
            if (few is not null)
            {
                SearchCounted?.Invoke(q, SearchCountedBy.Matches);
                return few;
            }
            var (windowed, assignedByMine) = await CountsFromWindowsAsync(db, scope.AccountId, ct);
            SearchCounted?.Invoke(q, windowed is null ? SearchCountedBy.Bitmaps : assignedByMine ? SearchCountedBy.WindowsAssignedByMine : SearchCountedBy.Windows);
            if (windowed is not null) return windowed;
        }
        var filtered = Apply(db.Conversations.Where(c => c.AccountId == scope.AccountId), db, scope.AccountId);
        var userId = UserId;
        var cap = Query is null ? CountCap : SearchCountCap; // a constant of the statement, as the cap always was
        // Under a search on PostgreSQL, count from the bitmaps of the indexes (the words' GIN index AND the list's):
        // the planner would rather read conversations in order and test each one's words, which for a common word
        // reads tens of thousands of out-of-line word lists (0.3-2 s at 200,000 conversations against 50-80 ms).
        // One round trip: three capped counts (all = assigned + unassigned, capped too).
        var query = db.Accounts.Where(a => a.Id == scope.AccountId).Select(_ => new
        {
            Mine = filtered.Where(c => c.AssigneeId == userId).Take(EF.Constant(cap)).Count(),
            Assigned = filtered.Where(c => c.AssigneeId != null).Take(EF.Constant(cap)).Count(),
            Unassigned = filtered.Where(c => c.AssigneeId == null).Take(EF.Constant(cap)).Count(),
        });
        var counts = Query is null ? await query.FirstOrDefaultAsync(ct)
            : await Search.FullTextSearch.FromIndexBitmapsAsync(db, () => query.FirstOrDefaultAsync(ct), ct);
        return counts is null ? new ConversationCounts(0, 0, 0, 0)
            : new ConversationCounts(counts.Mine, counts.Assigned, counts.Unassigned, Math.Min(cap, counts.Assigned + counts.Unassigned));
    }

    /// <summary>
    /// How many conversations of each tab <see cref="CountsFromWindowsAsync"/> tests: 8 × the cap, so that a word in one
    /// conversation of 8 (a tab's share of "refund" on the big data is 1 in 2.7) fills the cap there. Settable for tests.
    /// </summary>
    internal static int CountWindow { get; set; } = 8 * SearchCountCap;

    /// <summary>After a search's counts on PostgreSQL: its query, and what told them. For tests, which cannot see the
    /// work from the answer.</summary>
    internal static event Action<string, SearchCountedBy>? SearchCounted;

    internal enum SearchCountedBy
    {
        /// <summary><see cref="CountsOfFewAsync"/>: every match read.</summary>
        Matches,
        /// <summary><see cref="CountsFromWindowsAsync"/>.</summary>
        Windows,
        /// <summary><see cref="CountsFromWindowsAsync"/> without testing the assigned tab's window: "mine" held the cap.</summary>
        WindowsAssignedByMine,
        /// <summary>The indexes' bitmaps, tab by tab.</summary>
        Bitmaps,
    }

    /// <summary>
    /// A search the word statistics call rare (<see cref="Search.WordFrequencies"/>: in at most this many conversations)
    /// is counted by reading its matches, and it is rare when it has at most this many; a message search for such words
    /// asks the words' index at once (<see cref="Search.SearchService"/>). Settable for tests (0: never).
    /// </summary>
    internal static int FewMatches { get; set; } = 1_000;

    /// <summary>
    /// The capped counts under a search on PostgreSQL when the search finds at most <see cref="FewMatches"/>
    /// conversations: their ids, assignees and activity read once through the indexes' bitmaps (the words' GIN index,
    /// the found contacts', the display id's), the tabs counted from them, and the page then taken from them
    /// (<see cref="ConversationCounts.Found"/>, <see cref="FewFoundFirstAsync"/>). Tried only when the words are not
    /// among the statistics' common ones: a common word's bitmap alone (≈90,000 entries for "refund" on the big data)
    /// costs more than its windows. Null when the search finds more (the windows then count it). The windows would
    /// test ≈2,400 conversations' word lists before falling back to the bitmaps for such a word; the matches of the
    /// big data's rare word (935) are read in one pass, and the page needs no second one.
    /// </summary>
    private async Task<ConversationCounts?> CountsOfFewAsync(UniLinkDb db, int accountId, string q, CancellationToken ct)
    {
        var few = FewMatches;
        if (SearchContactIds is { } contacts && contacts.Count > few) return null;
        if (!await Search.WordFrequencies.RareAsync(db, Search.FullTextSearch.Words(q), few, ct)) return null;
        var matches = Apply(db.Conversations.AsNoTracking().Where(c => c.AccountId == accountId), db, accountId)
            .Take(few + 1).Select(AsFound);
        var found = await Search.FullTextSearch.FromIndexBitmapsAsync(db, () => matches.ToListAsync(ct), ct);
        if (found.Count > few) return null;
        return CappedCounts(found) with { Found = NewestFirst(found) };
    }

    /// <summary>
    /// The capped counts under a search on PostgreSQL when a window of each tab tells them: any <see cref="CountWindow"/>
    /// conversations of the tab (the first its index gives; a capped count has no order), tested for the search. A tab
    /// holding the cap's matches there has at least as many in all, so its count is the cap; a tab with
    /// fewer conversations than the window was tested whole, so its count is exact; the answer is then the same as the
    /// bitmaps' count. Otherwise null. The bitmaps would first list every conversation of the tab and every conversation
    /// of the word (for "refund" with status=all: 75,000 of them, twice), 35-42 ms of PostgreSQL a request on the big data.
    /// Also whether "assigned" was told by "mine" without its own window.
    /// </summary>
    private async Task<(ConversationCounts?, bool AssignedByMine)> CountsFromWindowsAsync(UniLinkDb db, int accountId, CancellationToken ct)
    {
        var window = CountWindow;
        var rows = db.Conversations.Where(c => c.AccountId == accountId);
        var tabs = ApplyAllButSearch(rows, db);
        var userId = UserId;
        var mine = tabs.Where(c => c.AssigneeId == userId).Take(window);
        var assigned = tabs.Where(c => c.AssigneeId != null).Take(window);
        var unassigned = tabs.Where(c => c.AssigneeId == null).Take(window);
        // Each window's rows tested as they are read (the test a column of the window, the matches taken from it): the
        // tab's scan stops at the cap's match. As "Id" IN (the window) each tested conversation was looked up again
        // by its key after a hash of the window's ids: 7.7-8.0 → 4.3 ms of PostgreSQL for "refund" (load ≈125).
        var match = PostgresSearch(db, accountId, Query!);
        IQueryable<bool> Matches(IQueryable<Conversation> window) => window.Select(match).Where(m => m).Take(SearchCountCap); // LIMIT 100: a constant
        var (mineMatches, assignedMatches, unassignedMatches) = (Matches(mine), Matches(assigned), Matches(unassigned));
        // A user's conversations are assigned ones: when "mine" holds the cap, so does "assigned", whose window is then
        // not tested (a third of the work for a common word; a caller without a user id, a bot, has the unassigned ones
        // as "mine": never). A window's size is needed only when its tab found fewer than the cap. So "mine" and
        // "unassigned" first, the rest in a second statement only when one of them is wanted (its parts not wanted are
        // CASE branches PostgreSQL never runs).
        const int cap = SearchCountCap;
        var first = await db.Accounts.Where(a => a.Id == accountId)
            .Select(_ => new { Mine = mineMatches.Count(), Unassigned = unassignedMatches.Count() }).FirstOrDefaultAsync(ct);
        if (first is null) return (new ConversationCounts(0, 0, 0, 0), false);
        var assignedTold = userId is not null && first.Mine == cap;
        var (mineShort, unassignedShort) = (first.Mine < cap, first.Unassigned < cap);
        var counts = new { first.Mine, MineTested = 0, Assigned = cap, AssignedTested = 0, first.Unassigned, UnassignedTested = 0 };
        if (!assignedTold || mineShort || unassignedShort)
        {
            var rest = await db.Accounts.Where(a => a.Id == accountId).Select(_ => new
            {
                MineTested = mineShort ? mine.Count() : 0,
                Assigned = assignedTold ? cap : assignedMatches.Count(),
                AssignedTested = assignedTold ? 0 : assigned.Count(),
                UnassignedTested = unassignedShort ? unassigned.Count() : 0,
            }).FirstOrDefaultAsync(ct);
            if (rest is null) return (new ConversationCounts(0, 0, 0, 0), false);
            counts = counts with { MineTested = rest.MineTested, Assigned = rest.Assigned, AssignedTested = rest.AssignedTested, UnassignedTested = rest.UnassignedTested };
        }
        bool Told(int count, int tested) => count == cap || tested < window;
        if (!Told(counts.Mine, counts.MineTested) || !Told(counts.Assigned, counts.AssignedTested) || !Told(counts.Unassigned, counts.UnassignedTested))
            return (null, assignedTold);
        return (new ConversationCounts(counts.Mine, counts.Assigned, counts.Unassigned, Math.Min(SearchCountCap, counts.Assigned + counts.Unassigned)), assignedTold);
    }

    /// <summary>
    /// The page under a search on PostgreSQL. A tab that found fewer than <see cref="SearchCountCap"/> conversations
    /// (<paramref name="counts"/>): its ids read first through the indexes' bitmaps, then the page by those ids — the
    /// planner would rather walk the tab newest first testing each conversation's words, which for a rare word reads
    /// thousands of word lists to find a page (≈7,400 for a word in 935 of 200,000 conversations). More: the tab's
    /// newest <see cref="NewestTestedPerRow"/> × (skip + take) conversations are read by the list's index and tested
    /// one by one; when they hold the whole page it is the answer (every match past them is older), otherwise the
    /// bitmaps' ids (a word found 100 times or more, but rarely among the newest). <paramref name="page"/> as it is
    /// elsewhere, and for a deep page of a common word.
    /// </summary>
    /// <param name="page">The page: filtered, ordered by last activity and id (newest first), skipped and taken.</param>
    public async Task<IQueryable<Conversation>> FewFoundFirstAsync(IQueryable<Conversation> page, int skip, int take, ConversationCounts counts,
        UniLinkDb db, int accountId, CancellationToken ct)
    {
        if (Query is null || counts.Found is null && !db.Database.IsNpgsql()) return page;
        var rows = db.Conversations.AsNoTracking().Where(c => c.AccountId == accountId);
        if (counts.Found is { } all) return ById([.. all.Where(InTab()).Skip(skip).Take(take).Select(c => c.Id)]);
        var tab = AssigneeType switch
        {
            "me" or "mine" => counts.MineCount,
            "unassigned" => counts.UnassignedCount,
            "assigned" => counts.AssignedCount,
            _ => counts.AllCount,
        };
        if (tab >= SearchCountCap)
        {
            var tested = NewestTestedPerRow * (skip + take);
            if (tested > NewestTestedAtMost) return page;
            // One statement walking the tab newest first and testing each conversation as it comes, until the page's
            // last match: for "refund" ≈45 conversations tested instead of all 200 looked up again by id (1,190 → 210
            // buffers). The window's size only when it did not fill the page.
            var newest = Newest(ApplyAssignee(ApplyAllButSearch(rows, db))).Take(tested);
            var found = await Newest(ApplySearch(newest, db, accountId)).Skip(skip).Take(take).Select(c => c.Id).ToListAsync(ct);
            if (found.Count == take || await newest.CountAsync(ct) < tested) return ById(found);
        }
        var ids = await Search.FullTextSearch.FromIndexBitmapsAsync(db, () => page.Select(c => c.Id).ToListAsync(ct), ct);
        return ById(ids);

        IQueryable<Conversation> ById(List<int> ids) => Newest(rows.Where(c => ids.Contains(c.Id)));
        static IQueryable<Conversation> Newest(IQueryable<Conversation> q) => q.OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id);
    }

    /// <summary>
    /// The ids of a later page (<see cref="Page"/> from 2) of <paramref name="filtered"/> (this filter applied, with its
    /// assignee tab), newest first (last activity, then id), as the offset reads them. A deep page of filters the week
    /// counts know (<see cref="HasKeptCounts"/>) adds up <see cref="ConversationWeekCount"/> rows newest week first to
    /// find the week it starts in, then walks only from that week's end: page 4,000 of 200,000 conversations skipped
    /// 100,000 index entries (7.7 ms of PostgreSQL a request), now at most a week's. Both reads see one snapshot: on
    /// PostgreSQL they are one statement (<see cref="PostgresSeek"/>), on SQLite a deferred transaction's two.
    /// </summary>
    public async Task<int[]> PageIdsAsync(IQueryable<Conversation> filtered, int size, UniLinkDb db, int accountId, CancellationToken ct)
    {
        var skip = (Page - 1) * size;
        if (skip < ActivityWeeks.SeekFrom || !HasKeptCounts) return await PageIds(filtered, skip, size).ToArrayAsync(ct);
        if (db.Database.IsNpgsql()) return [.. await PostgresSeek(db, accountId, skip, size).ToListAsync(ct)];
        await using var snapshot = await ActivityWeeks.BeginSnapshotAsync(db, ct);
        var weeks = await WeekRows(db, accountId).GroupBy(k => k.Week)
            .Select(g => new { Week = g.Key, Count = g.Sum(k => (long)k.Count) }).OrderByDescending(w => w.Week).ToListAsync(ct);
        if (ActivityWeeks.Seek(weeks.Select(w => (w.Week, w.Count)), skip) is not { } seek) return [];
        if (seek.Before is { } end) filtered = filtered.Where(c => c.LastActivityAt < end);
        return await PageIds(filtered, seek.Skip, size).ToArrayAsync(ct);

        static IQueryable<int> PageIds(IQueryable<Conversation> rows, int skip, int size) =>
            rows.OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id).Skip(skip).Take(size).Select(c => c.Id);
    }

    /// <summary>
    /// PostgreSQL: the seek of <see cref="PageIdsAsync"/> as one statement (<see cref="ActivityWeeks.PostgresPageIdsSql"/>),
    /// the week counts and the conversations filtered alike (<see cref="WeekRows"/>, <see cref="Apply"/> and
    /// <see cref="ApplyAssignee"/> for the filters the week counts know). One text per filter shape, so that each keeps its plan.
    /// </summary>
    private IQueryable<int> PostgresSeek(UniLinkDb db, int accountId, int skip, int size)
    {
        var values = new List<object> { accountId, skip };
        string Value(object value)
        {
            values.Add(value);
            return $"{{{values.Count - 1}}}";
        }
        var (weeks, rows) = (new List<string> { """k."AccountId" = {0}""" }, new List<string> { """r."AccountId" = {0}""" });
        void Both(string condition) { weeks.Add(condition.Replace("{c}", "k")); rows.Add(condition.Replace("{c}", "r")); }
        if (Status is { } status) Both($$"""{c}."Status" = {{Value((int)status)}}""");
        if (InboxId is { } inbox) Both($$"""{c}."InboxId" = {{Value(inbox)}}""");
        if (TeamId is { } team) Both($$"""{c}."TeamId" = {{Value(team)}}""");
        if (LimitedTo is { } user)
            Both($$"""EXISTS (SELECT 1 FROM "InboxMembers" AS m WHERE m."InboxId" = {c}."InboxId" AND m."UserId" = {{Value(user)}})""");
        switch (AssigneeType)
        {
            case "me" or "mine":
                // As ApplyAssignee: a bot's "mine" is the unassigned (AssigneeId == null; 0 in the week counts).
                weeks.Add($"""k."AssigneeId" = {Value(UserId ?? 0)}""");
                rows.Add(UserId is { } me ? $"""r."AssigneeId" = {Value(me)}""" : """r."AssigneeId" IS NULL""");
                break;
            case "unassigned":
                weeks.Add("""k."AssigneeId" = 0""");
                rows.Add("""r."AssigneeId" IS NULL""");
                break;
            case "assigned":
                weeks.Add("""k."AssigneeId" <> 0""");
                rows.Add("""r."AssigneeId" IS NOT NULL""");
                break;
        }
        var sql = ActivityWeeks.PostgresPageIdsSql(
            $"""SELECT "Week", sum("Count") AS "Count" FROM "ConversationWeekCounts" AS k WHERE {string.Join(" AND ", weeks)} GROUP BY "Week" """,
            $"""FROM "Conversations" AS r WHERE {string.Join(" AND ", rows)}""", nameof(Conversation.LastActivityAt), "{1}", size);
        return db.Database.SqlQueryRaw<int>(sql, [.. values]);
    }

    /// <summary>The <see cref="ConversationWeekCount"/> rows of the conversations this filter lists (as <see cref="KeptCountRows"/>, with the assignee tab).</summary>
    private IQueryable<ConversationWeekCount> WeekRows(UniLinkDb db, int accountId)
    {
        var rows = db.ConversationWeekCounts.Where(k => k.AccountId == accountId);
        if (Status is { } status) rows = rows.Where(k => k.Status == status);
        if (InboxId is { } inbox) rows = rows.Where(k => k.InboxId == inbox);
        if (TeamId is { } team) rows = rows.Where(k => k.TeamId == team);
        if (LimitedTo is { } user) rows = rows.Where(k => db.InboxMembers.Any(m => m.InboxId == k.InboxId && m.UserId == user));
        var mine = UserId ?? 0; // a bot's "mine" is the unassigned, as AssigneeId == null
        return AssigneeType switch
        {
            "me" or "mine" => rows.Where(k => k.AssigneeId == mine),
            "unassigned" => rows.Where(k => k.AssigneeId == 0),
            "assigned" => rows.Where(k => k.AssigneeId != 0),
            _ => rows,
        };
    }

    /// <summary>The three tabs' sums of <see cref="ConversationCount"/> rows.</summary>
    public sealed record KeptCounts(long Mine, long Assigned, long Unassigned);

    /// <summary>The counts of <paramref name="kept"/>, each capped at <see cref="CountCap"/>; none kept: all 0.</summary>
    public static ConversationCounts Capped(KeptCounts? kept)
    {
        if (kept is null) return new ConversationCounts(0, 0, 0, 0);
        var assigned = (int)Math.Min(CountCap, kept.Assigned);
        var unassigned = (int)Math.Min(CountCap, kept.Unassigned);
        return new ConversationCounts((int)Math.Min(CountCap, kept.Mine), assigned, unassigned, Math.Min(CountCap, assigned + unassigned));
    }

    /// <summary>
    /// The <see cref="ConversationCount"/> rows a list's filters count (for compiled queries, which splice it in). teamId
    /// null: any team; limitedTo null: every inbox (a null parameter's condition is left out of the statement, so that
    /// PostgreSQL keeps one generic plan per shape: with "$5 = 0 OR …" it planned the statement anew on every request).
    /// </summary>
    public static readonly Expression<Func<UniLinkDb, int, ConversationStatus?, int?, int?, int?, IQueryable<ConversationCount>>> KeptCountRows =
        (db, accountId, status, inboxId, teamId, limitedTo) => db.ConversationCounts
            .Where(k => k.AccountId == accountId && (status == null || k.Status == status) && (inboxId == null || k.InboxId == inboxId)
                && (teamId == null || k.TeamId == teamId)
                && (limitedTo == null || db.InboxMembers.Any(m => m.InboxId == k.InboxId && m.UserId == limitedTo)));

    // Compiled: the counts of every list request but page 1's (which reads them with its rows), no LINQ translated.
    // mine: the caller's id, 0 (unassigned) for a bot, as AssigneeId == null would.
    private static readonly CompiledPerModel<Func<UniLinkDb, int, ConversationStatus?, int?, int?, int?, int, Task<KeptCounts?>>> KeptCountsQuery = new(() =>
    {
        var p = KeptCountRows.Parameters;
        var mineParameter = Expression.Parameter(typeof(int), "mine");
        Expression<Func<IQueryable<ConversationCount>, int, KeptCounts?>> sums = (rows, mine) => rows
            .GroupBy(k => k.AccountId)
            .Select(g => new KeptCounts(
                g.Sum(k => k.AssigneeId == mine ? (long)k.Count : 0),
                g.Sum(k => k.AssigneeId != 0 ? (long)k.Count : 0),
                g.Sum(k => k.AssigneeId == 0 ? (long)k.Count : 0)))
            .FirstOrDefault();
        var body = ReplacingExpressionVisitor.Replace(sums.Parameters, [KeptCountRows.Body, mineParameter], sums.Body);
        return EF.CompileAsyncQuery(Expression.Lambda<Func<UniLinkDb, int, ConversationStatus?, int?, int?, int?, int, KeptCounts?>>(body, p.Append(mineParameter)));
    });
}

public sealed record ConversationCounts(int MineCount, int AssignedCount, int UnassignedCount, int AllCount)
{
    /// <summary>A search's every match when it has few (<see cref="ConversationFilter.FewMatches"/>), or on SQLite the
    /// page's tab's newest matches up to the page's end (<see cref="ConversationFilter.SearchCounts"/>), newest first:
    /// the page is taken from them. Not on the wire.</summary>
    internal IReadOnlyList<FoundConversation>? Found { get; init; }
}

/// <summary>A conversation a search found, as much of it as its tab and its place in the list need.</summary>
internal sealed record FoundConversation(int Id, int? AssigneeId, DateTime LastActivityAt);

/// <summary>
/// The conversations a search found (SQLite, <see cref="ConversationFilter.SearchConversations"/>): a few as their ids,
/// which SQLite looks up one by one; many as a map, one byte per conversation id (1: found), which SQLite tests while it
/// walks the tab's own index in the list's order — a common word's page and capped counts then stop after the few
/// thousand conversations that fill them instead of reading every match.
/// </summary>
public sealed record FoundConversations(int[] Ids, byte[]? Map)
{
    /// <summary>Up to this many found conversations are looked up by id; more are tested in a map. Settable for the test
    /// that compares both ways' answers.</summary>
    internal static int FewIds { get; set; } = 2_000;

    /// <summary>A found conversation's byte in <see cref="Map"/>.</summary>
    public static readonly byte[] Marked = [1];

    /// <param name="ids">Conversation ids, each once, in any order.</param>
    public static FoundConversations From(IReadOnlyList<int> ids)
    {
        if (ids.Count <= FewIds) return new([.. ids], null);
        var map = new byte[ids.Max() + 1];
        foreach (var id in ids) map[id] = 1;
        return new([], map);
    }
}
