using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Search;

/// <summary>
/// Conversations' <c>q</c> and the contacts' search go through the database's own full-text indexes (PostgreSQL
/// tsvector and pg_trgm, SQLite FTS5); these check that the indexes follow every write and stay in their account.
/// </summary>
public sealed class FullTextSearchTests(SharedServer shared) : AdminApiTests(shared)
{
    private static string Word() => "w" + Guid.NewGuid().ToString("N")[..10];

    private async Task<int[]> FoundAsync(HttpClient client, int account, string q, string status = "all")
    {
        var list = await (await client.GetAsync($"/api/v1/accounts/{account}/conversations?status={status}&q={Uri.EscapeDataString(q)}")).ExpectAsync(HttpStatusCode.OK);
        var ids = list!["data"]!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()).ToArray();
        Assert.Equal(ids.Length, list["data"]!["meta"]!["all_count"]!.GetValue<int>());
        return ids;
    }

    [Fact]
    public async Task Counts_under_a_search_stop_at_the_search_cap_and_without_one_at_the_list_cap()
    {
        // An account of its own: 1,005 conversations of one contact, found by the contact's name.
        var account = await _server.CreateAccountAsync("Search cap", _server.AdminUserId);
        var name = Word();
        var first = (await _admin.CreateConversationAsync(account, $"Ada {name}"))["id"]!.GetValue<int>();
        await _server.DbAsync(async db =>
        {
            var template = await db.Conversations.AsNoTracking().SingleAsync(c => c.AccountId == account && c.DisplayId == first);
            for (var i = 1; i <= Features.Conversations.ConversationFilter.SearchCountCap + 4; i++)
                db.Conversations.Add(new Features.Conversations.Conversation
                {
                    AccountId = account, DisplayId = first + i, InboxId = template.InboxId, ContactId = template.ContactId,
                    LastActivityAt = template.LastActivityAt, CreatedAt = template.CreatedAt, UpdatedAt = template.UpdatedAt,
                });
            return await db.SaveChangesAsync();
        });
        var total = Features.Conversations.ConversationFilter.SearchCountCap + 5;
        var searched = await (await _admin.GetAsync($"/api/v1/accounts/{account}/conversations?status=all&q={name}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Features.Conversations.ConversationFilter.SearchCountCap, searched!["data"]!["meta"]!["all_count"]!.GetValue<int>());
        Assert.Equal(Features.Conversations.ConversationFilter.SearchCountCap, searched["data"]!["meta"]!["unassigned_count"]!.GetValue<int>());
        Assert.Equal(25, searched["data"]!["payload"]!.AsArray().Count);
        var listed = await (await _admin.GetAsync($"/api/v1/accounts/{account}/conversations?status=all")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(total, listed!["data"]!["meta"]!["all_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Many_found_conversations_are_listed_and_counted_as_a_few_are()
    {
        // SQLite reads a search's conversations once a request and tests a few by id, many in a map of ids
        // (FoundConversations.FewIds): both ways give the same pages and counts, in every tab and status.
        var word = Word();
        var found = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            var id = (await _admin.CreateConversationAsync(_account, i == 5 ? $"Mapped {word}" : "Mapped Customer",
                i % 3 == 0 ? $"About {word} number {i}" : $"Other question {i}"))["id"]!.GetValue<int>();
            if (i % 3 == 0 || i == 5) found.Add(id);
            if (i % 4 == 1) await (await _admin.PostAsync(P($"conversations/{id}/toggle_status"), Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
            if (i % 2 == 0) await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { assignee_id = _server.AdminUserId }))).ExpectAsync(HttpStatusCode.OK);
        }
        string[] urls =
        [
            $"conversations?q={word}", $"conversations?status=all&q={word}", $"conversations?status=resolved&q={word}",
            $"conversations?status=all&q={word}&assignee_type=unassigned", $"conversations?status=all&q={word}&assignee_type=me",
            $"conversations?status=all&q={word}&assignee_type=assigned", $"conversations?status=all&q={word}&page=2",
            $"conversations/meta?status=all&q={word}", $"conversations?status=all&q={word[..6]}",
        ];
        async Task<string[]> ReadAllAsync()
        {
            var answers = new List<string>();
            foreach (var url in urls) answers.Add(await (await _admin.GetAsync(P(url))).Content.ReadAsStringAsync());
            return [.. answers];
        }
        var few = Features.Conversations.FoundConversations.FewIds;
        string[] mapped, listed;
        try
        {
            Features.Conversations.FoundConversations.FewIds = 0;
            mapped = await ReadAllAsync();
            Features.Conversations.FoundConversations.FewIds = 1_000;
            listed = await ReadAllAsync();
        }
        finally
        {
            Features.Conversations.FoundConversations.FewIds = few;
        }
        Assert.Equal(listed, mapped);
        Assert.Equal(found.OrderDescending(), (await FoundAsync(_admin, _account, word)).Order().Reverse());
    }

    [Fact]
    public async Task Past_the_search_cap_every_matching_conversation_is_reachable_by_paging_newest_first()
    {
        // An account of its own: 700 conversations, 120 of them with a message holding the word — 60 of the oldest,
        // 50 in the middle, 10 among the newest — so that a page is found among the tab's newest conversations
        // (pages 1, 2 and 4) or, when those hold too few, through the index (page 3), and the counts stop at the cap.
        var account = await _server.CreateAccountAsync("Search paging", _server.AdminUserId);
        var word = Word();
        var first = (await _admin.CreateConversationAsync(account, "Quiet Customer", "Nothing to see"))["id"]!.GetValue<int>();
        static bool Matches(int i) => i is (>= 1 and <= 60) or (>= 520 and <= 569) or (>= 690 and <= 699);
        await _server.DbAsync(async db =>
        {
            var template = await db.Conversations.AsNoTracking().SingleAsync(c => c.AccountId == account && c.DisplayId == first);
            var added = Enumerable.Range(1, 700).Select(i => new Features.Conversations.Conversation
            {
                AccountId = account, DisplayId = first + i, InboxId = template.InboxId, ContactId = template.ContactId,
                LastActivityAt = template.LastActivityAt.AddMinutes(i - 1_000), CreatedAt = template.CreatedAt, UpdatedAt = template.UpdatedAt,
            }).ToList();
            db.Conversations.AddRange(added);
            await db.SaveChangesAsync();
            for (var i = 1; i <= 700; i++)
                db.Messages.Add(new Features.Messages.Message
                {
                    AccountId = account, InboxId = template.InboxId, ConversationId = added[i - 1].Id, MessageType = Features.Messages.MessageType.Incoming,
                    Content = Matches(i) ? $"About the {word} again" : "About something else", CreatedAt = template.CreatedAt, UpdatedAt = template.UpdatedAt,
                });
            return await db.SaveChangesAsync();
        });
        var expected = Enumerable.Range(1, 700).Where(Matches).Reverse().Select(i => first + i).ToList();
        var cap = Features.Conversations.ConversationFilter.SearchCountCap;
        Assert.True(expected.Count > cap);
        var reached = new List<int>();
        for (var page = 1; ; page++)
        {
            var list = await (await _admin.GetAsync($"/api/v1/accounts/{account}/conversations?status=all&q={word}&page={page}")).ExpectAsync(HttpStatusCode.OK);
            var meta = list!["data"]!["meta"]!;
            Assert.Equal([0, 0, cap, cap], new[] { "mine_count", "assigned_count", "unassigned_count", "all_count" }.Select(k => meta[k]!.GetValue<int>()));
            var ids = list["data"]!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()).ToList();
            if (ids.Count == 0) break;
            reached.AddRange(ids);
            Assert.True(page < 10);
        }
        Assert.Equal(expected, reached);
        var unassigned = await (await _admin.GetAsync($"/api/v1/accounts/{account}/conversations?status=all&assignee_type=unassigned&q={word}&page=3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(expected.Skip(50).Take(25), unassigned!["data"]!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_tabs_count_under_a_search_is_told_by_a_window_of_the_tab_when_it_holds_the_cap_and_otherwise_counted_in_full()
    {
        // An account of its own: 300 unassigned conversations and 30 assigned to the administrator, the window 200. One
        // word in 250 of the unassigned (any 200 of those 301 hold at least 149: the cap) and 20 of the administrator's
        // (a tab smaller than the window: tested whole); another in 50 of the unassigned (fewer than the cap in a tab
        // larger than the window: counted by the indexes). The counts are the same either way: capped, never short.
        var account = await _server.CreateAccountAsync("Search windows", _server.AdminUserId);
        var common = Word();
        var few = Word();
        var first = (await _admin.CreateConversationAsync(account, "Quiet Customer", "Nothing to see"))["id"]!.GetValue<int>();
        var adminId = _server.AdminUserId;
        static bool Common(int i) => i is (>= 1 and <= 250) or (>= 301 and <= 320);
        static bool Few(int i) => i is >= 251 and <= 300;
        await _server.DbAsync(async db =>
        {
            var template = await db.Conversations.AsNoTracking().SingleAsync(c => c.AccountId == account && c.DisplayId == first);
            var added = Enumerable.Range(1, 330).Select(i => new Features.Conversations.Conversation
            {
                AccountId = account, DisplayId = first + i, InboxId = template.InboxId, ContactId = template.ContactId,
                AssigneeId = i > 300 ? adminId : null,
                LastActivityAt = template.LastActivityAt.AddMinutes(i - 1_000), CreatedAt = template.CreatedAt, UpdatedAt = template.UpdatedAt,
            }).ToList();
            db.Conversations.AddRange(added);
            await db.SaveChangesAsync();
            for (var i = 1; i <= 330; i++)
                db.Messages.Add(new Features.Messages.Message
                {
                    AccountId = account, InboxId = template.InboxId, ConversationId = added[i - 1].Id, MessageType = Features.Messages.MessageType.Incoming,
                    Content = Common(i) ? $"About the {common} again" : Few(i) ? $"About {few}" : "About something else",
                    CreatedAt = template.CreatedAt, UpdatedAt = template.UpdatedAt,
                });
            return await db.SaveChangesAsync();
        });
        var counted = new List<(string, Features.Conversations.ConversationFilter.SearchCountedBy)>();
        void Counted(string q, Features.Conversations.ConversationFilter.SearchCountedBy by) { if (q == common || q == few) lock (counted) counted.Add((q, by)); }
        var window = Features.Conversations.ConversationFilter.CountWindow;
        var fewMatches = Features.Conversations.ConversationFilter.FewMatches;
        JsonNode commonPage, fewPage, commonMeta;
        try
        {
            Features.Conversations.ConversationFilter.CountWindow = 200;
            Features.Conversations.ConversationFilter.FewMatches = 0; // none read whole: the windows, then the bitmaps
            Features.Conversations.ConversationFilter.SearchCounted += Counted;
            commonPage = (await (await _admin.GetAsync($"/api/v1/accounts/{account}/conversations?status=all&q={common}")).ExpectAsync(HttpStatusCode.OK))!;
            fewPage = (await (await _admin.GetAsync($"/api/v1/accounts/{account}/conversations?status=all&q={few}&page=2")).ExpectAsync(HttpStatusCode.OK))!;
            commonMeta = (await (await _admin.GetAsync($"/api/v1/accounts/{account}/conversations/meta?status=all&q={common}")).ExpectAsync(HttpStatusCode.OK))!;
        }
        finally
        {
            Features.Conversations.ConversationFilter.SearchCounted -= Counted;
            Features.Conversations.ConversationFilter.CountWindow = window;
            Features.Conversations.ConversationFilter.FewMatches = fewMatches;
        }
        string[] keys = ["mine_count", "assigned_count", "unassigned_count", "all_count"];
        var cap = Features.Conversations.ConversationFilter.SearchCountCap;
        Assert.Equal([20, 20, cap, cap], keys.Select(k => commonPage["data"]!["meta"]![k]!.GetValue<int>()));
        Assert.Equal([20, 20, cap, cap], keys.Select(k => commonMeta["meta"]![k]!.GetValue<int>()));
        Assert.Equal([0, 0, 50, 50], keys.Select(k => fewPage["data"]!["meta"]![k]!.GetValue<int>()));
        Assert.Equal(Enumerable.Range(1, 330).Where(Common).Reverse().Take(25).Select(i => first + i), Ids(commonPage));
        Assert.Equal(Enumerable.Range(251, 50).Reverse().Skip(25).Select(i => first + i), Ids(fewPage));
        // On PostgreSQL the common word's counts came from the windows alone and the other word's from the indexes.
        Features.Conversations.ConversationFilter.SearchCountedBy windows = Features.Conversations.ConversationFilter.SearchCountedBy.Windows,
            bitmaps = Features.Conversations.ConversationFilter.SearchCountedBy.Bitmaps;
        Assert.Equal(UniLinkServer.OnPostgres ? [(common, windows), (few, bitmaps), (common, windows)] : [], counted);

        static IEnumerable<int> Ids(JsonNode list) => list["data"]!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_mine_holds_the_cap_under_a_search_assigned_is_the_cap_without_its_own_window_and_pages_are_the_same()
    {
        // An account of its own: 400 conversations, every third assigned to the administrator (133), the rest unassigned;
        // a word in four of five (107 of the administrator's, 213 unassigned), the window 200. "Mine" holds the cap, so
        // "assigned" (a superset) is the cap too: on PostgreSQL its window is never tested. The pages walk each tab newest
        // first; the last ones (a tab smaller than the conversations tested for its page) come out short, as they were.
        var account = await _server.CreateAccountAsync("Search mine cap", _server.AdminUserId);
        var word = Word();
        var first = (await _admin.CreateConversationAsync(account, "Quiet Customer", "Nothing to see"))["id"]!.GetValue<int>();
        var adminId = _server.AdminUserId;
        static bool Mine(int i) => i % 3 == 0;
        static bool Matches(int i) => i % 5 != 0;
        await _server.DbAsync(async db =>
        {
            var template = await db.Conversations.AsNoTracking().SingleAsync(c => c.AccountId == account && c.DisplayId == first);
            var added = Enumerable.Range(1, 400).Select(i => new Features.Conversations.Conversation
            {
                AccountId = account, DisplayId = first + i, InboxId = template.InboxId, ContactId = template.ContactId,
                AssigneeId = Mine(i) ? adminId : null,
                LastActivityAt = template.LastActivityAt.AddMinutes(i - 1_000), CreatedAt = template.CreatedAt, UpdatedAt = template.UpdatedAt,
            }).ToList();
            db.Conversations.AddRange(added);
            await db.SaveChangesAsync();
            for (var i = 1; i <= 400; i++)
                db.Messages.Add(new Features.Messages.Message
                {
                    AccountId = account, InboxId = template.InboxId, ConversationId = added[i - 1].Id, MessageType = Features.Messages.MessageType.Incoming,
                    Content = Matches(i) ? $"About the {word} again" : "About something else", CreatedAt = template.CreatedAt, UpdatedAt = template.UpdatedAt,
                });
            return await db.SaveChangesAsync();
        });
        // The same word in the other account the administrator works in, newest and theirs: never counted or listed here.
        var elsewhere = (await _admin.CreateConversationAsync(_account, "Other Account", $"About the {word} again"))["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{elsewhere}/assignments"), Json(new { assignee_id = adminId }))).ExpectAsync(HttpStatusCode.OK);
        var newest = Enumerable.Range(1, 400).Where(Matches).Reverse().ToList();
        var (mine, unassigned) = (newest.Where(Mine).ToList(), newest.Where(i => !Mine(i)).ToList());
        Assert.Equal((107, 213), (mine.Count, unassigned.Count));
        (string Url, IEnumerable<int> Page)[] asked =
        [
            ($"status=all&q={word}", newest.Take(25)), ($"status=all&q={word}&page=2", newest.Skip(25).Take(25)),
            ($"q={word}&assignee_type=me", mine.Take(25)), ($"q={word}&assignee_type=me&page=4", mine.Skip(75).Take(25)),
            ($"q={word}&assignee_type=me&page=5", mine.Skip(100)), ($"q={word}&assignee_type=assigned&page=2", mine.Skip(25).Take(25)),
            ($"status=all&q={word}&assignee_type=unassigned&page=9", unassigned.Skip(200)), ($"q={word}&assignee_type=unassigned&page=10", []),
        ];
        var cap = Features.Conversations.ConversationFilter.SearchCountCap;
        var counted = new List<Features.Conversations.ConversationFilter.SearchCountedBy>();
        void Counted(string q, Features.Conversations.ConversationFilter.SearchCountedBy by) { if (q == word) lock (counted) counted.Add(by); }
        var window = Features.Conversations.ConversationFilter.CountWindow;
        var fewMatches = Features.Conversations.ConversationFilter.FewMatches;
        try
        {
            Features.Conversations.ConversationFilter.CountWindow = 200;
            Features.Conversations.ConversationFilter.FewMatches = 0; // counted by the windows
            Features.Conversations.ConversationFilter.SearchCounted += Counted;
            foreach (var (url, page) in asked)
            {
                var list = (await (await _admin.GetAsync($"/api/v1/accounts/{account}/conversations?{url}")).ExpectAsync(HttpStatusCode.OK))!;
                Assert.Equal([cap, cap, cap, cap], new[] { "mine_count", "assigned_count", "unassigned_count", "all_count" }.Select(k => list["data"]!["meta"]![k]!.GetValue<int>()));
                Assert.Equal(page.Select(i => first + i), list["data"]!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()));
            }
        }
        finally
        {
            Features.Conversations.ConversationFilter.SearchCounted -= Counted;
            Features.Conversations.ConversationFilter.CountWindow = window;
            Features.Conversations.ConversationFilter.FewMatches = fewMatches;
        }
        Assert.Equal(UniLinkServer.OnPostgres ? Enumerable.Repeat(Features.Conversations.ConversationFilter.SearchCountedBy.WindowsAssignedByMine, asked.Length) : [], counted);
    }

    [Fact]
    public async Task A_search_with_few_matches_is_counted_and_paged_from_its_matches_read_once_with_the_same_answers()
    {
        // An account of its own: 600 unassigned conversations and 60 assigned to the administrator, the window 200. A
        // word in 150 of the unassigned (spread over old, middle and new) and 40 of the administrator's: fewer than
        // FewMatches in all, so on PostgreSQL its matches are read once and the tabs and pages come from them, without
        // the windows (which would test 460 conversations here) or the bitmaps' second pass. Asked again with
        // FewMatches below its 190 matches, the windows and bitmaps give the same counts (capped) and pages.
        var account = await _server.CreateAccountAsync("Search few", _server.AdminUserId);
        var word = Word();
        var first = (await _admin.CreateConversationAsync(account, "Quiet Customer", "Nothing to see"))["id"]!.GetValue<int>();
        var adminId = _server.AdminUserId;
        static bool Matches(int i) => i is (>= 1 and <= 50) or (>= 301 and <= 350) or (>= 551 and <= 600) or (>= 611 and <= 650);
        await _server.DbAsync(async db =>
        {
            var template = await db.Conversations.AsNoTracking().SingleAsync(c => c.AccountId == account && c.DisplayId == first);
            var added = Enumerable.Range(1, 660).Select(i => new Features.Conversations.Conversation
            {
                AccountId = account, DisplayId = first + i, InboxId = template.InboxId, ContactId = template.ContactId,
                AssigneeId = i > 600 ? adminId : null,
                LastActivityAt = template.LastActivityAt.AddMinutes(i - 1_000), CreatedAt = template.CreatedAt, UpdatedAt = template.UpdatedAt,
            }).ToList();
            db.Conversations.AddRange(added);
            await db.SaveChangesAsync();
            for (var i = 1; i <= 660; i++)
                db.Messages.Add(new Features.Messages.Message
                {
                    AccountId = account, InboxId = template.InboxId, ConversationId = added[i - 1].Id, MessageType = Features.Messages.MessageType.Incoming,
                    Content = Matches(i) ? $"About the {word} again" : "About something else", CreatedAt = template.CreatedAt, UpdatedAt = template.UpdatedAt,
                });
            return await db.SaveChangesAsync();
        });
        // The same word in the other account the administrator works in, newest and theirs: never counted or listed here.
        var elsewhere = (await _admin.CreateConversationAsync(_account, "Other Account", $"About the {word} again"))["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{elsewhere}/assignments"), Json(new { assignee_id = adminId }))).ExpectAsync(HttpStatusCode.OK);
        var newest = Enumerable.Range(1, 660).Where(Matches).Reverse().Select(i => first + i).ToList();
        var cap = Features.Conversations.ConversationFilter.SearchCountCap;
        string[] urls = [$"status=all&q={word}", $"status=all&q={word}&page=3", $"status=all&q={word}&page=8", $"status=all&assignee_type=unassigned&q={word}&page=4",
            $"status=all&assignee_type=me&q={word}&page=2", $"status=all&assignee_type=assigned&q={word}", $"q={word}"];
        List<int>[] expected =
        [
            [.. newest.Take(25)], [.. newest.Skip(50).Take(25)], [.. newest.Skip(175).Take(25)],
            [.. newest.Where(id => id - first <= 600).Skip(75).Take(25)], [.. newest.Where(id => id - first > 600).Skip(25).Take(25)],
            [.. newest.Where(id => id - first > 600).Take(25)], [.. newest.Take(25)],
        ];
        var counted = new List<Features.Conversations.ConversationFilter.SearchCountedBy>();
        void Counted(string q, Features.Conversations.ConversationFilter.SearchCountedBy by) { if (q == word) lock (counted) counted.Add(by); }
        var window = Features.Conversations.ConversationFilter.CountWindow;
        var fewMatches = Features.Conversations.ConversationFilter.FewMatches;
        try
        {
            Features.Conversations.ConversationFilter.CountWindow = 200;
            Features.Conversations.ConversationFilter.SearchCounted += Counted;
            foreach (var few in new[] { fewMatches, 100 })
            {
                Features.Conversations.ConversationFilter.FewMatches = few;
                for (var i = 0; i < urls.Length; i++)
                {
                    var list = (await (await _admin.GetAsync($"/api/v1/accounts/{account}/conversations?{urls[i]}")).ExpectAsync(HttpStatusCode.OK))!;
                    Assert.Equal([40, 40, cap, cap], new[] { "mine_count", "assigned_count", "unassigned_count", "all_count" }.Select(k => list["data"]!["meta"]![k]!.GetValue<int>()));
                    Assert.Equal(expected[i], list["data"]!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()));
                }
                var meta = (await (await _admin.GetAsync($"/api/v1/accounts/{account}/conversations/meta?status=all&q={word}")).ExpectAsync(HttpStatusCode.OK))!;
                Assert.Equal([40, 40, cap, cap], new[] { "mine_count", "assigned_count", "unassigned_count", "all_count" }.Select(k => meta["meta"]![k]!.GetValue<int>()));
            }
        }
        finally
        {
            Features.Conversations.ConversationFilter.SearchCounted -= Counted;
            Features.Conversations.ConversationFilter.CountWindow = window;
            Features.Conversations.ConversationFilter.FewMatches = fewMatches;
        }
        if (!UniLinkServer.OnPostgres) return;
        // Read whole the first time round (7 lists and the meta), never the second.
        Assert.Equal(Enumerable.Repeat(Features.Conversations.ConversationFilter.SearchCountedBy.Matches, urls.Length + 1), counted.Take(urls.Length + 1));
        Assert.DoesNotContain(Features.Conversations.ConversationFilter.SearchCountedBy.Matches, counted.Skip(urls.Length + 1));
    }

    [Fact]
    public async Task A_common_words_counts_and_pages_are_those_of_its_every_match_whatever_the_newest_conversations_hold()
    {
        // An account of its own: 1,000 conversations (ids in that order), a third assigned to an agent, a third to the
        // administrator; the word in 4 of each 5. SQLite reads a common word's index from its newest conversations and
        // stops once each tab holds the cap and the page is settled (ConversationFilter.NewestMatchesAsync): around it
        // the oldest ten are the most recently active (the page must still find them), the newest 60 are in an inbox the
        // agent does not work (never theirs to see) and the newest of all, in another account, are the administrator's
        // too (never counted here). The counts and pages are those of every match, capped.
        var account = await _server.CreateAccountAsync("Search newest", _server.AdminUserId);
        var elsewhere = await _server.CreateAccountAsync("Search newest elsewhere", _server.AdminUserId);
        var agent = await _server.CreateUserAsync(account, Roles.Agent);
        var word = Word();
        var first = (await _admin.CreateConversationAsync(account, "Quiet Customer", "Nothing to see"))["id"]!.GetValue<int>();
        var hiddenInbox = await _admin.CreateInboxAsync(account, "Not the agent's");
        var adminId = _server.AdminUserId;
        static bool Matches(int i) => i % 5 != 0;
        static bool Hidden(int i) => i > 940;
        int? Assignee(int i) => (i % 3) switch { 0 => agent.Id, 1 => adminId, _ => null };
        static int Minutes(int i) => i <= 10 || i > 980 ? 2_000 + i : i; // activity after the base time
        await _server.DbAsync(async db =>
        {
            var template = await db.Conversations.AsNoTracking().SingleAsync(c => c.AccountId == account && c.DisplayId == first);
            var added = Enumerable.Range(1, 1_000).Select(i => new Features.Conversations.Conversation
            {
                AccountId = account, DisplayId = first + i, InboxId = Hidden(i) ? hiddenInbox : template.InboxId, ContactId = template.ContactId,
                AssigneeId = Assignee(i), LastActivityAt = template.LastActivityAt.AddMinutes(Minutes(i)), CreatedAt = template.CreatedAt,
                UpdatedAt = template.UpdatedAt,
            }).ToList();
            db.Conversations.AddRange(added);
            await db.SaveChangesAsync();
            for (var i = 1; i <= 1_000; i++)
                db.Messages.Add(new Features.Messages.Message
                {
                    AccountId = account, InboxId = added[i - 1].InboxId, ConversationId = added[i - 1].Id, MessageType = Features.Messages.MessageType.Incoming,
                    Content = Matches(i) ? $"About the {word} again" : "About something else", CreatedAt = template.CreatedAt, UpdatedAt = template.UpdatedAt,
                });
            return await db.SaveChangesAsync();
        });
        await _admin.AddInboxMemberAsync(account, (await (await _admin.GetAsync($"/api/v1/accounts/{account}/conversations/{first}")).ExpectAsync(HttpStatusCode.OK))!["inbox_id"]!.GetValue<int>(), agent.Id);
        for (var i = 0; i < 20; i++)
        {
            var theirs = (await _admin.CreateConversationAsync(elsewhere, "Other Account", $"About the {word} again"))["id"]!.GetValue<int>();
            await (await _admin.PostAsync($"/api/v1/accounts/{elsewhere}/conversations/{theirs}/assignments", Json(new { assignee_id = adminId }))).ExpectAsync(HttpStatusCode.OK);
        }
        using var agentClient = _server.Client(agent.Token);
        var cap = Features.Conversations.ConversationFilter.SearchCountCap;
        var firstRows = Features.Conversations.ConversationFilter.NewestRowsFirst;
        Features.Conversations.ConversationFilter.NewestRowsFirst = 16; // read in parts here too: 16, 32, 64…
        try
        {
            foreach (var (client, me) in new[] { (_admin, adminId), (agentClient, agent.Id) })
            {
                // Newest activity first, then the newest id; the agent sees only the inbox they work.
                var visible = Enumerable.Range(1, 1_000).Where(i => Matches(i) && (me == adminId || !Hidden(i)))
                    .OrderByDescending(Minutes).ThenByDescending(i => i).ToList();
                int Count(Func<int, bool> tab) => Math.Min(cap, visible.Count(tab));
                var (mine, assigned, unassigned) = (Count(i => Assignee(i) == me), Count(i => Assignee(i) is not null), Count(i => Assignee(i) is null));
                int[] counts = [mine, assigned, unassigned, Math.Min(cap, assigned + unassigned)];
                Assert.Equal([cap, cap, cap, cap], counts);
                (string Url, Func<int, bool> Tab, int Page)[] lists =
                [
                    ($"status=all&q={word}", _ => true, 1), ($"q={word}", _ => true, 1), ($"status=all&q={word}&page=2", _ => true, 2),
                    ($"status=all&q={word}&page=7", _ => true, 7), ($"status=all&assignee_type=me&q={word}", i => Assignee(i) == me, 1),
                    ($"status=all&assignee_type=unassigned&q={word}&page=3", i => Assignee(i) is null, 3),
                    ($"status=all&assignee_type=assigned&q={word}&page=2", i => Assignee(i) is not null, 2),
                    ($"status=resolved&q={word}", _ => false, 1),
                ];
                foreach (var (url, tab, page) in lists)
                {
                    var list = (await (await client.GetAsync($"/api/v1/accounts/{account}/conversations?{url}")).ExpectAsync(HttpStatusCode.OK))!;
                    var expectedCounts = url.Contains("resolved") ? [0, 0, 0, 0] : counts;
                    Assert.Equal(expectedCounts, new[] { "mine_count", "assigned_count", "unassigned_count", "all_count" }.Select(k => list["data"]!["meta"]![k]!.GetValue<int>()));
                    Assert.Equal(visible.Where(tab).Skip((page - 1) * 25).Take(25).Select(i => first + i),
                        list["data"]!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()));
                }
                var meta = (await (await client.GetAsync($"/api/v1/accounts/{account}/conversations/meta?status=all&q={word}")).ExpectAsync(HttpStatusCode.OK))!;
                Assert.Equal(counts, new[] { "mine_count", "assigned_count", "unassigned_count", "all_count" }.Select(k => meta["meta"]![k]!.GetValue<int>()));
            }
        }
        finally
        {
            Features.Conversations.ConversationFilter.NewestRowsFirst = firstRows;
        }
    }

    [Fact]
    public async Task A_contacts_search_on_PostgreSQL_reads_the_contacts_table_once_for_its_count_and_its_pages()
    {
        // GET contacts/search counts and orders these rows. As "Id" IN (the found ids) PostgreSQL joined every contact
        // of the account to the ids: a walk of all 100,000 contacts to count the 1,676 "smith"s of the big data.
        if (!UniLinkServer.OnPostgres) return;
        var plans = await _server.DbAsync(async db =>
        {
            var found = new List<string>();
            await db.Database.OpenConnectionAsync();
            try
            {
                foreach (var query in new[]
                         {
                             Features.Contacts.ContactReader.Matching(db, _account, "smith", null),
                             Features.Contacts.ContactReader.Matching(db, _account, "50%_off", c => c.Email != null),
                         })
                {
                    await using var command = query.CreateDbCommand();
                    command.CommandText = "EXPLAIN (FORMAT JSON) " + command.CommandText;
                    found.Add((string)(await command.ExecuteScalarAsync())!);
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
            return found;
        });
        foreach (var plan in plans) Assert.Single(System.Text.RegularExpressions.Regex.Matches(plan, "\"Relation Name\": \"Contacts\""));
    }

    [Fact]
    public async Task A_conversation_is_found_by_the_words_and_word_beginnings_of_its_messages_as_they_change()
    {
        var word = Word();
        var other = Word();
        var conversation = (await _admin.CreateConversationAsync(_account, "Quiet Customer", "Nothing to see"))["id"]!.GetValue<int>();
        Assert.Empty(await FoundAsync(_admin, _account, word));

        var sent = await (await _admin.PostAsync(P($"conversations/{conversation}/messages"),
            Json(new { content = $"The parcel {word} arrived, {other} did not", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([conversation], await FoundAsync(_admin, _account, word));
        Assert.Equal([conversation], await FoundAsync(_admin, _account, word.ToUpperInvariant()));
        Assert.Equal([conversation], await FoundAsync(_admin, _account, word[..7]));
        Assert.Equal([conversation], await FoundAsync(_admin, _account, $"{other} {word}"));
        Assert.Empty(await FoundAsync(_admin, _account, $"{word} {Word()}"));
        Assert.Empty(await FoundAsync(_admin, _account, word, status: "resolved"));

        // A deleted message's words are gone with it.
        await (await _admin.DeleteAsync(P($"conversations/{conversation}/messages/{sent!["id"]}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(await FoundAsync(_admin, _account, word));
    }

    [Fact]
    public async Task A_word_beginning_finds_every_word_it_begins_however_many_and_in_any_script()
    {
        // SQLite searches a word beginning as the index's words it begins, up to ten of them, and as a prefix query past
        // that or for a word outside ASCII (FullTextSearch.SqliteMatchAsync): each way finds what the prefix finds.
        var word = Word();
        var exact = (await _admin.CreateConversationAsync(_account, "Prefix Customer", $"Order {word} arrived"))["id"]!.GetValue<int>();
        var longer = (await _admin.CreateConversationAsync(_account, "Prefix Customer", $"It was {word}ed yesterday"))["id"]!.GetValue<int>();
        var many = new List<int>();
        foreach (var letter in "abcdefghijk")
            many.Add((await _admin.CreateConversationAsync(_account, "Prefix Customer", $"About {word}{letter}x"))["id"]!.GetValue<int>());
        var accented = (await _admin.CreateConversationAsync(_account, "Prefix Customer", $"Sent to Über{word} today"))["id"]!.GetValue<int>();
        int[] Newest(params IEnumerable<int>[] ids) => [.. ids.SelectMany(i => i).OrderDescending()];

        Assert.Equal(Newest([exact, longer], many), await FoundAsync(_admin, _account, word));
        Assert.Equal(Newest([longer, many[4]]), await FoundAsync(_admin, _account, $"{word}e")); // "ed", and "ex" of the eleven
        Assert.Equal(Newest([exact, longer], many), await FoundAsync(_admin, _account, word.ToUpperInvariant()));
        Assert.Equal([many[3]], await FoundAsync(_admin, _account, $"{word}dx"));
        Assert.Equal([accented], await FoundAsync(_admin, _account, $"über{word}"));
        Assert.Empty(await FoundAsync(_admin, _account, $"{word}z"));
        Assert.Empty(await FoundAsync(_admin, _account, $"{word} {Word()}"));

        // On PostgreSQL a rare word's messages come from the index at once, a common word's first from the newest
        // messages (FewMatches 0: every word taken as common); the same answers either way.
        var fewMatches = Features.Conversations.ConversationFilter.FewMatches;
        try
        {
            foreach (var few in new[] { fewMatches, 0 })
            {
                Features.Conversations.ConversationFilter.FewMatches = few;
                var messages = await (await _admin.GetAsync(P($"search/messages?q={word}"))).ExpectAsync(HttpStatusCode.OK);
                Assert.Equal(2 + many.Count, messages!["payload"]!["messages"]!.AsArray().Count);
                var accentedMessages = await (await _admin.GetAsync(P($"search/messages?q={Uri.EscapeDataString($"Über{word[..5]}")}"))).ExpectAsync(HttpStatusCode.OK);
                Assert.Equal([$"Sent to Über{word} today"], accentedMessages!["payload"]!["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()));
                var none = await (await _admin.GetAsync(P($"search/messages?q={word}q"))).ExpectAsync(HttpStatusCode.OK);
                Assert.Empty(none!["payload"]!["messages"]!.AsArray());
            }
        }
        finally
        {
            Features.Conversations.ConversationFilter.FewMatches = fewMatches;
        }
    }

    [Fact]
    public async Task Several_words_find_a_conversation_when_one_message_holds_them_all_however_long_the_conversation()
    {
        var first = Word();
        var second = Word();
        var conversation = (await _admin.CreateConversationAsync(_account, "Long Talker", $"About {first} first"))["id"]!.GetValue<int>();
        for (var i = 0; i < 30; i++)
            await (await _admin.PostAsync(P($"conversations/{conversation}/messages"),
                Json(new { content = i == 20 ? $"Then {second}" : $"Reply number {i}", message_type = i % 2 == 0 ? "outgoing" : "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([conversation], await FoundAsync(_admin, _account, first));
        Assert.Equal([conversation], await FoundAsync(_admin, _account, second));
        // The two words are in two messages, never in one: as the reference (one message's content), not found.
        Assert.Empty(await FoundAsync(_admin, _account, $"{first} {second}"));
        await (await _admin.PostAsync(P($"conversations/{conversation}/messages"),
            Json(new { content = $"Both {second} and {first} now", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([conversation], await FoundAsync(_admin, _account, $"{first} {second}"));
        // Resolved, it is found in the resolved list and no longer in the open one.
        await (await _admin.PostAsync(P($"conversations/{conversation}/toggle_status"), Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([conversation], await FoundAsync(_admin, _account, first, status: "resolved"));
        Assert.Empty(await FoundAsync(_admin, _account, first, status: "open"));
    }

    [Fact]
    public async Task Private_notes_are_found_and_activity_messages_are_not()
    {
        var word = Word();
        var conversation = (await _admin.CreateConversationAsync(_account, "Noted Customer", "Hello"))["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{conversation}/messages"),
            Json(new { content = $"internal {word}", message_type = "outgoing", @private = true }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([conversation], await FoundAsync(_admin, _account, word));
        // Activity messages carry agents' names: "Assigned to … by Administrator" finds nothing by "administrator".
        var before = await FoundAsync(_admin, _account, "administrator");
        var agent = await _server.CreateUserAsync(_account, name: "Fiona Activity");
        await (await _admin.PostAsync(P($"conversations/{conversation}/assignments"), Json(new { assignee_id = agent.Id }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before, await FoundAsync(_admin, _account, "administrator"));
    }

    [Fact]
    public async Task A_contact_is_found_by_any_part_of_its_name_or_email_and_no_longer_by_an_old_name()
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        var id = await CreateContactAsync($"Zed Smithers{token}", $"zed.{token}@example.com");
        Assert.Equal([id], await ContactsFoundAsync($"thers{token}"));
        Assert.Equal([id], await ContactsFoundAsync($"D.{token.ToUpperInvariant()}@EXAMPLE"));
        Assert.Equal([id], await ContactsFoundAsync(token));

        await (await _admin.PatchAsync(P($"contacts/{id}"), Json(new { name = $"Ada Renamed{token}" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(await ContactsFoundAsync($"smithers{token}"));
        Assert.Equal([id], await ContactsFoundAsync($"renamed{token}"));

        await (await _admin.DeleteAsync(P($"contacts/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(await ContactsFoundAsync($"renamed{token}"));
    }

    [Fact]
    public async Task A_contact_is_found_by_its_letters_in_either_case_beyond_ASCII_and_by_a_query_taken_literally()
    {
        // On SQLite a query of three characters or more is an FTS5 trigram phrase, which folds case as Unicode does;
        // as LIKE (or instr) only ASCII letters were folded, so "élodie" missed "ÉLODIE", which PostgreSQL's lower() finds.
        var token = Guid.NewGuid().ToString("N")[..8];
        var id = await CreateContactAsync($"ÉLODIE \"Ünal\" 50%_off {token}", $"elodie.{token}@example.com");
        Assert.Equal([id], await ContactsFoundAsync($"élodie \"ünal\" 50%_off {token}"));
        Assert.Equal([id], await ContactsFoundAsync($"ÜNAL\" 50%_OFF {token}"));
        Assert.Equal([id], await ContactsFoundAsync($"ELODIE.{token}@EXAMPLE"));
        Assert.Empty(await ContactsFoundAsync($"élodie ünal 50%_off {token}"));
        Assert.Empty(await ContactsFoundAsync($"50x_off {token}"));
        Assert.Empty(await ContactsFoundAsync($"50%aoff {token}"));
    }

    private async Task<int> CreateContactAsync(string name, string email)
    {
        var created = await (await _admin.PostAsync(P("contacts"), Json(new { name, email }))).ExpectAsync(HttpStatusCode.OK);
        return created!["payload"]!["contact"]!["id"]!.GetValue<int>();
    }

    /// <summary>The ids <c>contacts/search</c> answers for <paramref name="q"/>, checked against its count.</summary>
    private async Task<int[]> ContactsFoundAsync(string q)
    {
        var found = await (await _admin.GetAsync(P($"contacts/search?q={Uri.EscapeDataString(q)}"))).ExpectAsync(HttpStatusCode.OK);
        var ids = found!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()).ToArray();
        Assert.Equal(ids.Length, found["meta"]!["count"]!.GetValue<int>());
        return ids;
    }

    [Fact]
    public async Task On_SQLite_every_connection_reads_the_database_file_through_a_memory_map()
    {
        if (UniLinkServer.OnPostgres) return;
        var mapped = await _server.DbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            try
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA mmap_size";
                return (long)(await command.ExecuteScalarAsync())!;
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });
        Assert.Equal(global::UniLink.Infrastructure.Db.SqliteBusyWait.MappedBytes, mapped);
    }

    [Fact]
    public async Task Search_never_reaches_into_another_account()
    {
        var word = Word();
        var other = await _server.CreateAccountAsync("Searchers elsewhere");
        var otherAdmin = await _server.CreateUserAsync(other, Roles.Administrator);
        using var client = _server.Client(otherAdmin.Token);
        var theirs = (await client.CreateConversationAsync(other, $"Contact {word}", $"Their {word} message"))["id"]!.GetValue<int>();
        var ours = (await _admin.CreateConversationAsync(_account, "Our Contact", $"Our {word} message"))["id"]!.GetValue<int>();

        Assert.Equal([ours], await FoundAsync(_admin, _account, word));
        Assert.Equal([theirs], await FoundAsync(client, other, word));
        // By the contact's name, too (no message holds "contact").
        Assert.Equal([theirs], await FoundAsync(client, other, $"contact {word}"));
        Assert.Empty(await FoundAsync(_admin, _account, $"contact {word}"));
        var contacts = await (await _admin.GetAsync(P($"contacts/search?q={word}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(contacts!["payload"]!.AsArray());
        // A user of both accounts sees each account's own.
        var both = await _server.CreateUserAsync(_account, Roles.Administrator);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = other, UserId = both.Id, Role = Roles.Agent, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        using var bothClient = _server.Client(both.Token);
        // An agent there: they find what the inboxes they work hold.
        Assert.Empty(await FoundAsync(bothClient, other, word));
        await client.AddInboxMemberAsync(other, (await (await client.GetAsync($"/api/v1/accounts/{other}/conversations/{theirs}")).ExpectAsync(HttpStatusCode.OK))!["inbox_id"]!.GetValue<int>(), both.Id);
        Assert.Equal([ours], await FoundAsync(bothClient, _account, word));
        Assert.Equal([theirs], await FoundAsync(bothClient, other, word));
    }
}
