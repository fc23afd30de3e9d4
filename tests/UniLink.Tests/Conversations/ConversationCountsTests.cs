using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using UniLink.Features.Accounts;
using UniLink.Features.Conversations;
using UniLink.Infrastructure.Db;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Conversations;

/// <summary>
/// The list's counts come from the counts the database keeps per account, inbox, status, assignee and team
/// (<see cref="ConversationCount"/>, kept by triggers): after every kind of write — the API, the client API, a bot,
/// auto-assignment, a message that reopens, mute, merge, deletes and the cascades of a deleted contact, team, user or
/// account, a bulk update — they equal a recount of the conversations, and the API's counts equal the counts walked
/// from the conversations (the list's on every assignee tab), in two accounts, for an administrator and for an agent who works one inbox.
/// </summary>
public sealed class ConversationCountsTests(SharedServer server) : AdminApiTests(server)
{
    private sealed record Key(int AccountId, int InboxId, int Status, int AssigneeId, int TeamId, int Count);

    /// <summary>The kept counts, every account, equal a recount of the conversations.</summary>
    private async Task AssertKeptCountsExactAsync(string after)
    {
        var (kept, recount) = await _server.DbAsync(async db =>
        {
            var kept = await db.ConversationCounts.Where(k => k.Count != 0)
                .Select(k => new Key(k.AccountId, k.InboxId, (int)k.Status, k.AssigneeId, k.TeamId, k.Count)).ToListAsync();
            var recount = await db.Conversations
                .GroupBy(c => new { c.AccountId, c.InboxId, c.Status, AssigneeId = c.AssigneeId ?? 0, TeamId = c.TeamId ?? 0 })
                .Select(g => new Key(g.Key.AccountId, g.Key.InboxId, (int)g.Key.Status, g.Key.AssigneeId, g.Key.TeamId, g.Count())).ToListAsync();
            return (kept, recount);
        });
        var order = (IEnumerable<Key> keys) => keys.OrderBy(k => k.AccountId).ThenBy(k => k.InboxId).ThenBy(k => k.Status)
            .ThenBy(k => k.AssigneeId).ThenBy(k => k.TeamId).Select(k => k.ToString()).ToList();
        Assert.True(order(recount).SequenceEqual(order(kept)),
            $"after {after}: kept {string.Join("; ", order(kept))} but the conversations hold {string.Join("; ", order(recount))}");
    }

    /// <summary>What the API's meta must say, walked from the conversations as a reader would count them.</summary>
    private static string Walked(UniLinkDb db, int account, int? userId, int? limitedTo, ConversationStatus? status, int? inbox, int? team)
    {
        var q = db.Conversations.Where(c => c.AccountId == account);
        if (limitedTo is { } uid) q = q.Where(c => db.InboxMembers.Any(m => m.InboxId == c.InboxId && m.UserId == uid));
        if (status is { } s) q = q.Where(c => c.Status == s);
        if (inbox is { } i) q = q.Where(c => c.InboxId == i);
        if (team is { } t) q = q.Where(c => c.TeamId == t);
        var mine = q.Count(c => c.AssigneeId == userId);
        var assigned = q.Count(c => c.AssigneeId != null);
        var unassigned = q.Count(c => c.AssigneeId == null);
        return $$"""{"mine_count":{{mine}},"assigned_count":{{assigned}},"unassigned_count":{{unassigned}},"all_count":{{assigned + unassigned}}}""";
    }

    private sealed record Viewer(HttpClient Client, int Account, int UserId, bool Limited);

    /// <summary>For every viewer: the counts of the list and of /meta under status, inbox and team filters equal the walked counts.</summary>
    private async Task AssertApiCountsAsync(string after, IEnumerable<Viewer> viewers, IReadOnlyList<int> inboxes, IReadOnlyList<int> teams)
    {
        await AssertKeptCountsExactAsync(after);
        foreach (var v in viewers)
        {
            var filters = new List<(string Query, ConversationStatus? Status, int? Inbox, int? Team)>
            {
                ("", ConversationStatus.Open, null, null), ("status=all", null, null, null), ("status=resolved", ConversationStatus.Resolved, null, null),
                ("status=pending", ConversationStatus.Pending, null, null), ("status=snoozed", ConversationStatus.Snoozed, null, null),
            };
            filters.AddRange(inboxes.Select(i => ($"status=all&inbox_id={i}", (ConversationStatus?)null, (int?)i, (int?)null)));
            filters.AddRange(teams.Select(t => ($"status=open&team_id={t}", (ConversationStatus?)ConversationStatus.Open, (int?)null, (int?)t)));
            filters.Add(("status=all&team_id=0", null, null, 0));
            foreach (var (query, status, inbox, team) in filters)
            {
                var expected = _server.Db(db => Walked(db, v.Account, v.UserId, v.Limited ? v.UserId : null, status, inbox, team));
                var meta = await (await v.Client.GetAsync($"/api/v1/accounts/{v.Account}/conversations/meta?{query}")).ExpectAsync(HttpStatusCode.OK);
                Assert.True(expected == meta!["meta"]!.ToJsonString(), $"after {after}, /meta?{query} as user {v.UserId}: {meta["meta"]!.ToJsonString()}, walked {expected}");
                // Page 1 reads the counts with its rows, from one statement per assignee tab (an empty page counts alone).
                foreach (var tab in new[] { "", "&assignee_type=me", "&assignee_type=unassigned", "&assignee_type=assigned" })
                {
                    var list = await (await v.Client.GetAsync($"/api/v1/accounts/{v.Account}/conversations?{query}{tab}")).ExpectAsync(HttpStatusCode.OK);
                    Assert.True(expected == list!["data"]!["meta"]!.ToJsonString(),
                        $"after {after}, ?{query}{tab} as user {v.UserId}: {list["data"]!["meta"]!.ToJsonString()}, walked {expected}");
                }
            }
        }
    }

    [Fact]
    public async Task Kept_counts_equal_a_recount_after_every_kind_of_write_in_two_accounts()
    {
        var owner = await _server.CreateUserAsync(null, name: "Counts Owner");
        var account = await _server.CreateAccountAsync("Counts", owner.Id);
        var agent = await _server.CreateUserAsync(account, Roles.Agent, "Counts Agent");
        var other = await _server.CreateUserAsync(account, Roles.Agent, "Counts Other");
        using var admin = _server.Client(owner.Token);
        using var agentClient = _server.Client(agent.Token);
        var a = $"/api/v1/accounts/{account}";
        var inbox1 = await admin.CreateInboxAsync(account, "Counts one");
        var inbox2 = await admin.CreateInboxAsync(account, "Counts two");
        await admin.AddInboxMemberAsync(account, inbox1, agent.Id);
        var team = (await (await admin.PostAsync($"{a}/teams", Json(new { name = "Counts team" }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var team2 = (await (await admin.PostAsync($"{a}/teams", Json(new { name = "Counts team 2" }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var contact = (await admin.CreateContactAsync(account, "Counts Contact"))["id"]!.GetValue<int>();
        var viewers = new[] { new Viewer(admin, account, owner.Id, false), new Viewer(agentClient, account, agent.Id, true) };
        var inboxes = new[] { inbox1, inbox2 };
        var teams = new[] { team, team2 };
        Task Check(string after) => AssertApiCountsAsync(after, viewers, inboxes, teams);

        // A second account whose writes must not move the first one's counts; a user who is in both.
        var secondOwner = await _server.CreateUserAsync(null, name: "Second Owner");
        var second = await _server.CreateAccountAsync("Counts second", secondOwner.Id);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = second, UserId = agent.Id, Role = Roles.Administrator, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        using var secondAdmin = _server.Client(secondOwner.Token);
        var secondInbox = await secondAdmin.CreateInboxAsync(second, "Second inbox");
        var secondContact = (await secondAdmin.CreateContactAsync(second, "Second Contact"))["id"]!.GetValue<int>();
        var allViewers = viewers.Append(new Viewer(agentClient, second, agent.Id, false)).ToArray();

        async Task<int> Create(HttpClient client, string path, int inbox, int contactId, string? status = null, int? assignee = null) =>
            (await (await client.PostAsync($"{path}/conversations", Json(new { inbox_id = inbox, contact_id = contactId, status, assignee_id = assignee })))
                .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        async Task Post(HttpClient client, string path, object body) => await (await client.PostAsync(path, Json(body))).ExpectAsync(HttpStatusCode.OK);

        // The API: created with statuses and assignees, in both accounts.
        var c1 = await Create(admin, a, inbox1, contact);
        var c2 = await Create(admin, a, inbox1, contact, "pending", agent.Id);
        var c3 = await Create(admin, a, inbox2, contact, "open", owner.Id);
        var c4 = await Create(agentClient, a, inbox1, contact, "snoozed", agent.Id);
        var s1 = await Create(secondAdmin, $"/api/v1/accounts/{second}", secondInbox, secondContact, "open", agent.Id);
        await Create(secondAdmin, $"/api/v1/accounts/{second}", secondInbox, secondContact);
        await AssertApiCountsAsync("creating", allViewers, inboxes, teams);

        // Status, assignment and team changes; the agent's own writes.
        await Post(admin, $"{a}/conversations/{c1}/toggle_status", new { status = "resolved" });
        await Post(agentClient, $"{a}/conversations/{c2}/toggle_status", new { });
        await Post(admin, $"{a}/conversations/{c3}/toggle_status", new { status = "snoozed", snoozed_until = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds() });
        await Check("toggle_status");
        await Post(admin, $"{a}/conversations/{c1}/assignments", new { assignee_id = other.Id });
        await Post(admin, $"{a}/conversations/{c2}/assignments", new { team_id = team });
        await Post(agentClient, $"{a}/conversations/{c4}/assignments", new { assignee_id = 0 });
        await Post(admin, $"{a}/conversations/{c3}/assignments", new { team_id = team2 });
        await Post(admin, $"{a}/conversations/{c3}/assignments", new { team_id = team });
        await Post(secondAdmin, $"/api/v1/accounts/{second}/conversations/{s1}/toggle_status", new { status = "resolved" });
        await AssertApiCountsAsync("assignments", allViewers, inboxes, teams);

        // A message that reopens, mute (resolves), a priority change (no count moves).
        await Post(admin, $"{a}/conversations/{c1}/messages", new { content = "Back again", message_type = "incoming" });
        await Post(admin, $"{a}/conversations/{c2}/mute", new { });
        await Post(admin, $"{a}/conversations/{c2}/toggle_priority", new { priority = "high" });
        await Check("messages, mute and priority");

        // The client API (a contact starts and resolves a conversation), auto-assignment, a bot's inbox and the bot.
        var apiInbox = await (await admin.PostAsync($"{a}/inboxes", Json(new { name = "Counts API", channel = new { type = "api" } }))).ExpectAsync(HttpStatusCode.OK);
        var identifier = apiInbox!["inbox_identifier"]!.GetValue<string>();
        inboxes = [inbox1, inbox2, apiInbox["id"]!.GetValue<int>()];
        using var anonymous = _server.Client();
        var visitor = await (await anonymous.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts", Json(new { name = "Visitor" }))).ExpectAsync(HttpStatusCode.OK);
        var source = visitor!["source_id"]!.GetValue<string>();
        var publicConversation = await (await anonymous.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts/{source}/conversations", Json(new { })))
            .ExpectAsync(HttpStatusCode.OK);
        await Check("the client API's new conversation");
        await Post(anonymous, $"/public/api/v1/inboxes/{identifier}/contacts/{source}/conversations/{publicConversation!["id"]}/toggle_status", new { });
        await Check("the client API's toggle_status");

        await admin.AddInboxMemberAsync(account, inbox2, other.Id);
        await (await admin.PatchAsync($"{a}/inboxes/{inbox2}", Json(new { enable_auto_assignment = true }))).ExpectAsync(HttpStatusCode.OK);
        var auto = await Create(admin, a, inbox2, contact);
        Assert.NotNull(_server.Db(db => db.Conversations.Single(c => c.AccountId == account && c.DisplayId == auto).AssigneeId));
        await Check("auto-assignment");

        var bot = await (await admin.PostAsync($"{a}/agent_bots", Json(new { name = "Counts bot" }))).ExpectAsync(HttpStatusCode.OK);
        await Post(admin, $"{a}/inboxes/{inboxes[2]}/set_agent_bot", new { agent_bot = bot!["id"]!.GetValue<int>() });
        var botConversation = await Create(admin, a, inboxes[2], contact);
        await Check("a new conversation in a bot's inbox (pending)");
        using var botClient = _server.Client(bot["access_token"]!.GetValue<string>());
        await Post(botClient, $"{a}/conversations/{botConversation}/toggle_status", new { status = "open" });
        await Check("the bot's hand-over");

        // Merge (conversations move to the base contact), delete a conversation, a contact (cascade), a team (set null).
        var mergee = (await admin.CreateContactAsync(account, "Counts Mergee"))["id"]!.GetValue<int>();
        await Create(admin, a, inbox1, mergee, "open", owner.Id);
        await Post(admin, $"{a}/actions/contact_merge", new { base_contact_id = contact, mergee_contact_id = mergee });
        await Check("a contact merge");
        await (await admin.DeleteAsync($"{a}/conversations/{c4}")).ExpectAsync(HttpStatusCode.OK);
        await Check("deleting a conversation");
        var leaving = (await admin.CreateContactAsync(account, "Counts Leaving"))["id"]!.GetValue<int>();
        await Create(admin, a, inbox1, leaving, "open", agent.Id);
        await Create(admin, a, inbox2, leaving, "resolved");
        await Check("creating the leaving contact's conversations");
        await (await admin.DeleteAsync($"{a}/contacts/{leaving}")).ExpectAsync(HttpStatusCode.OK);
        await Check("deleting a contact with conversations");
        await (await admin.DeleteAsync($"{a}/teams/{team2}")).ExpectAsync(HttpStatusCode.OK);
        await (await admin.DeleteAsync($"{a}/teams/{team}")).ExpectAsync(HttpStatusCode.OK);
        await Check("deleting teams");

        // What no endpoint does in one statement: a user deleted (their conversations unassigned by the foreign key), a
        // bulk status update, and the second account deleted with its conversations (as the Platform API deletes one).
        await _server.DbAsync(db => db.Users.Where(u => u.Id == other.Id).ExecuteDeleteAsync());
        await Check("deleting an assigned user");
        await _server.DbAsync(db => db.Conversations.Where(c => c.AccountId == account && c.Status != ConversationStatus.Resolved)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConversationStatus.Pending)));
        await AssertApiCountsAsync("a bulk update", allViewers, inboxes, teams);
        var firstBefore = await (await admin.GetAsync($"{a}/conversations/meta?status=all")).ExpectAsync(HttpStatusCode.OK);
        await _server.DbAsync(db => Features.Platform.AccountDeletion.DeleteAsync(db, second));
        await AssertKeptCountsExactAsync("deleting the second account");
        Assert.Empty(_server.Db(db => db.ConversationCounts.Where(k => k.AccountId == second && k.Count != 0).ToList()));
        var firstAfter = await (await admin.GetAsync($"{a}/conversations/meta?status=all")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(firstBefore!.ToJsonString(), firstAfter!.ToJsonString());
        await Check("deleting the second account");
    }
}
