using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Conversations;

/// <summary>Every conversation endpoint over HTTP: filters and counts, show, create, status, priority, assignment, labels, attributes, last seen.</summary>
public sealed class ConversationWorkflowTests(SharedServer server) : AdminApiTests(server)
{
    private int AdminId => _server.Db(db => db.Users.First(u => u.Email == UniLinkServer.AdminEmail).Id);

    private async Task<JsonNode> GetAsync(HttpClient client, string path) => (await (await client.GetAsync(path)).ExpectAsync(HttpStatusCode.OK))!;

    private async Task<List<string>> ActivityAsync(int id) =>
        (await GetAsync(_admin, P($"conversations/{id}/messages")))["payload"]!.AsArray()
            .Where(m => m!["message_type"]!.GetValue<int>() == 2).Select(m => m!["content"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task The_list_filters_by_status_assignee_inbox_labels_and_query_with_counts_and_pages()
    {
        var owner = await _server.CreateUserAsync(null, name: "Filter Owner");
        var account = await _server.CreateAccountAsync("Filters", owner.Id);
        var agent = await _server.CreateUserAsync(account, Roles.Agent, "Filter Agent");
        using var client = _server.Client(owner.Token);
        var a = $"/api/v1/accounts/{account}";
        var inbox1 = await client.CreateInboxAsync(account, "One");
        var inbox2 = await client.CreateInboxAsync(account, "Two");
        var contact = (await client.CreateContactAsync(account, "Filter Contact"))["id"]!.GetValue<int>();
        var zed = (await client.CreateContactAsync(account, "Zed Quinton"))["id"]!.GetValue<int>();

        async Task<int> Create(int inbox, string status, int? assignee, int contactId, params string[] labels)
        {
            var id = (await (await client.PostAsync($"{a}/conversations", Json(new { inbox_id = inbox, contact_id = contactId, status, assignee_id = assignee })))
                .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
            if (labels.Length > 0) await (await client.PostAsync($"{a}/conversations/{id}/labels", Json(new { labels }))).ExpectAsync(HttpStatusCode.OK);
            return id;
        }
        var c1 = await Create(inbox1, "open", owner.Id, contact, "billing");
        var c2 = await Create(inbox1, "pending", null, contact);
        var c3 = await Create(inbox2, "open", agent.Id, zed, "billing", "vip");
        var c4 = await Create(inbox2, "resolved", null, contact);
        var c5 = await Create(inbox1, "snoozed", owner.Id, contact);

        async Task<(List<int> Ids, JsonNode Meta)> List(string query)
        {
            var body = await GetAsync(client, $"{a}/conversations{query}");
            return (body["data"]!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()).Order().ToList(), body["data"]!["meta"]!);
        }
        var open = await List("");
        Assert.Equal([c1, c3], open.Ids);
        Assert.Equal("""{"mine_count":1,"assigned_count":2,"unassigned_count":0,"all_count":2}""", open.Meta.ToJsonString());
        Assert.Equal([c2], (await List("?status=pending")).Ids);
        Assert.Equal([c4], (await List("?status=resolved")).Ids);
        Assert.Equal([c5], (await List("?status=snoozed")).Ids);
        var all = await List("?status=all");
        Assert.Equal([c1, c2, c3, c4, c5], all.Ids);
        Assert.Equal("""{"mine_count":2,"assigned_count":3,"unassigned_count":2,"all_count":5}""", all.Meta.ToJsonString());
        Assert.Equal([c1, c5], (await List("?status=all&assignee_type=me")).Ids);
        Assert.Equal([c1, c5], (await List("?status=all&assignee_type=mine")).Ids);
        Assert.Equal([c2, c4], (await List("?status=all&assignee_type=unassigned")).Ids);
        Assert.Equal([c1, c3, c5], (await List("?status=all&assignee_type=assigned")).Ids);
        Assert.Equal([c1, c2, c3, c4, c5], (await List("?status=all&assignee_type=all")).Ids);
        Assert.Equal([c3, c4], (await List($"?status=all&inbox_id={inbox2}")).Ids);
        Assert.Equal([c1, c3], (await List("?status=all&labels=billing")).Ids);
        Assert.Equal([c3], (await List("?status=all&labels[]=billing&labels[]=vip")).Ids);
        Assert.Equal([c3], (await List("?status=all&q=quinton")).Ids);
        Assert.Equal([c4], (await List($"?status=all&q=%23{c4}")).Ids);
        Assert.Equal(all.Meta.ToJsonString(), (await GetAsync(client, $"{a}/conversations/meta?status=all"))["meta"]!.ToJsonString());
        Assert.Equal("""{"mine_count":0,"assigned_count":1,"unassigned_count":1,"all_count":2}""",
            (await GetAsync(client, $"{a}/conversations/meta?status=all&inbox_id={inbox2}"))["meta"]!.ToJsonString());

        // Newest activity first, 25 a page.
        var more = new List<int>();
        for (var i = 0; i < 21; i++) more.Add(await Create(inbox2, "open", null, zed));
        var page1 = (await GetAsync(client, $"{a}/conversations?status=all"))["data"]!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()).ToList();
        Assert.Equal(25, page1.Count);
        Assert.Equal(more[^1], page1[0]);
        var page2 = (await GetAsync(client, $"{a}/conversations?status=all&page=2"))["data"]!;
        Assert.Equal([c1], page2["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()));
        Assert.Equal(26, page2["meta"]!["all_count"]!.GetValue<int>());

        foreach (var (query, attribute) in new[] { ("status=closed", "status"), ("assignee_type=others", "assignee_type"), ("inbox_id=x", "inbox_id"), ("page=0", "page") })
        {
            var error = await (await client.GetAsync($"{a}/conversations?{query}")).ExpectAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal($"""["{attribute}"]""", error!["attributes"]!.ToJsonString());
            Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
            await (await client.GetAsync($"{a}/conversations/meta?{query}")).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        }
    }

    [Fact]
    public async Task Create_takes_status_assignee_attributes_a_first_message_or_a_source_id()
    {
        var inboxId = await _admin.CreateInboxAsync(_account);
        var created = await (await _admin.PostAsync(P("contacts"), Json(new { name = "Source Person", inbox_id = inboxId }))).ExpectAsync(HttpStatusCode.OK);
        var contactId = created!["payload"]!["contact"]!["id"]!.GetValue<int>();
        var sourceId = created["payload"]!["contact_inbox"]!["source_id"]!.GetValue<string>();

        var c = await (await _admin.PostAsync(P("conversations"), Json(new
        {
            inbox_id = inboxId, source_id = sourceId, status = "pending", assignee_id = AdminId,
            additional_attributes = new { browser = "Firefox", referer = "https://shop.example/cart" },
            custom_attributes = new { order_id = "1042" },
            message = new { content = "We received your return." },
        }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(contactId, c!["meta"]!["sender"]!["id"]!.GetValue<int>());
        Assert.Equal("pending", c["status"]!.GetValue<string>());
        Assert.Equal(AdminId, c["meta"]!["assignee"]!["id"]!.GetValue<int>());
        Assert.Equal("""{"browser":"Firefox","referer":"https://shop.example/cart"}""", c["additional_attributes"]!.ToJsonString());
        Assert.Equal("""{"order_id":"1042"}""", c["custom_attributes"]!.ToJsonString());
        Assert.Equal(inboxId, c["inbox_id"]!.GetValue<int>());
        var first = Assert.Single(c["messages"]!.AsArray())!;
        Assert.Equal("We received your return.", first["content"]!.GetValue<string>());
        Assert.Equal(1, first["message_type"]!.GetValue<int>());

        var shown = await GetAsync(_admin, P($"conversations/{c["id"]}"));
        Assert.Equal(c["uuid"]!.GetValue<string>(), shown["uuid"]!.GetValue<string>());
        await (await _admin.GetAsync(P("conversations/999999"))).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await _admin.GetAsync(P("conversations/abc"))).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
    }

    [Fact]
    public async Task Toggle_status_switches_open_and_resolved_snoozes_until_a_time_and_writes_the_activity()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        async Task<JsonNode> Toggle(object body) =>
            (await (await _admin.PostAsync(P($"conversations/{id}/toggle_status"), Json(body))).ExpectAsync(HttpStatusCode.OK))!;

        var resolved = await Toggle(new { });
        Assert.Equal($$$"""{"meta":{},"payload":{"success":true,"conversation_id":{{{id}}},"current_status":"resolved","snoozed_until":null}}""", resolved.ToJsonString());
        Assert.Equal("open", (await Toggle(new { }))["payload"]!["current_status"]!.GetValue<string>());
        Assert.Equal("pending", (await Toggle(new { status = "pending" }))["payload"]!["current_status"]!.GetValue<string>());

        var until = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var snoozed = await Toggle(new { status = "snoozed", snoozed_until = until.ToUnixTimeSeconds() });
        Assert.Equal(until.ToUnixTimeSeconds(), snoozed["payload"]!["snoozed_until"]!.GetValue<long>());
        var c = await GetAsync(_admin, P($"conversations/{id}"));
        Assert.Equal("snoozed", c["status"]!.GetValue<string>());
        Assert.Equal("2030-01-02T03:04:05.000Z", c["snoozed_until"]!.GetValue<string>());

        await Toggle(new { status = "open" });
        Assert.Null((await GetAsync(_admin, P($"conversations/{id}")))["snoozed_until"]);
        Assert.Equal(
            ["Conversation was marked resolved by Administrator", "Conversation was reopened by Administrator", "Conversation was marked as pending by Administrator",
             "Conversation was snoozed by Administrator", "Conversation was reopened by Administrator"],
            await ActivityAsync(id));

        await (await _admin.PostAsync(P($"conversations/{id}/toggle_status"), Json(new { status = "snoozed", snoozed_until = -5 })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Snoozed until is not a valid unix time","attributes":["snoozed_until"]}""");
        await (await _admin.PostAsync(P("conversations/999999/toggle_status"), Json(new { status = "open" }))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Priority_activity_is_worded_as_the_reference_set_changed_and_removed()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        foreach (var priority in new[] { "urgent", "high", "high", "none", "none", "low" })
            await (await _admin.PostAsync(P($"conversations/{id}/toggle_priority"), Json(new { priority }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(
            ["Administrator set the priority to urgent", "Administrator changed the priority from urgent to high", "Administrator removed the priority",
             "Administrator set the priority to low"],
            await ActivityAsync(id));
        Assert.Equal("low", (await GetAsync(_admin, P($"conversations/{id}")))["priority"]!.GetValue<string>());

        await (await _admin.PostAsync(P($"conversations/{id}/toggle_priority"), Json(new { priority = "critical" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Priority 'critical' is not one of none, low, medium, high, urgent","attributes":["priority"]}""");
        Assert.Equal("low", (await GetAsync(_admin, P($"conversations/{id}")))["priority"]!.GetValue<string>());
    }

    [Fact]
    public async Task Assignments_assign_self_assign_and_unassign_with_the_agent_shape()
    {
        var agent = await _server.CreateUserAsync(_account, Roles.Agent, "Noor Haddad");
        var conversation = await _admin.CreateConversationAsync(_account);
        var id = conversation["id"]!.GetValue<int>();
        await _admin.AddInboxMemberAsync(_account, conversation["inbox_id"]!.GetValue<int>(), agent.Id);
        var assigned = await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { assignee_id = agent.Id }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["account_id", "auto_offline", "availability_status", "available_name", "confirmed", "email", "id", "name", "provider", "role", "thumbnail"],
            assigned!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(agent.Email, assigned["email"]!.GetValue<string>());

        using var agentClient = _server.Client(agent.Token);
        var mine = (await GetAsync(agentClient, P("conversations?assignee_type=me")))["data"]!["payload"]!.AsArray();
        Assert.Contains(mine, c => c!["id"]!.GetValue<int>() == id);

        await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { assignee_id = AdminId }))).ExpectAsync(HttpStatusCode.OK);
        var unassigned = await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { assignee_id = (int?)null }));
        Assert.Equal("null", await unassigned.Content.ReadAsStringAsync());
        var c = await GetAsync(_admin, P($"conversations/{id}"));
        Assert.Null(c["meta"]!["assignee"]);
        Assert.Equal(["Assigned to Noor Haddad by Administrator", "Administrator self-assigned this conversation", "Conversation unassigned by Administrator"],
            await ActivityAsync(id));

        var outsider = await _server.CreateUserAsync(null);
        await _server.CreateAccountAsync("Outside", outsider.Id);
        await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { assignee_id = outsider.Id })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Assignee is not an agent of this account","attributes":["assignee_id"]}""");
        Assert.Null((await GetAsync(_admin, P($"conversations/{id}")))["meta"]!["assignee"]);
    }

    [Fact]
    public async Task Labels_are_read_and_replaced_with_the_added_and_removed_activity()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        Assert.Equal("""{"payload":[]}""", (await GetAsync(_admin, P($"conversations/{id}/labels"))).ToJsonString());
        var set = await (await _admin.PostAsync(P($"conversations/{id}/labels"), Json(new { labels = new[] { "shipping", "billing", "Billing" } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""{"payload":["billing","shipping"]}""", set!.ToJsonString());
        await (await _admin.PostAsync(P($"conversations/{id}/labels"), Json(new { labels = new[] { "billing", "refund" } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""{"payload":["billing","refund"]}""", (await GetAsync(_admin, P($"conversations/{id}/labels"))).ToJsonString());
        Assert.Equal("""["billing","refund"]""", (await GetAsync(_admin, P($"conversations/{id}")))["labels"]!.ToJsonString());
        Assert.Equal(["Administrator added billing, shipping", "Administrator added refund", "Administrator removed shipping"], await ActivityAsync(id));

        await (await _admin.PostAsync(P($"conversations/{id}/labels"), Json(new { labels = new[] { "two words" } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Label 'two words' may only contain letters, digits, '-' and '_'","attributes":["labels"]}""");
        await (await _admin.PostAsync(P($"conversations/{id}/labels"), Json(new { }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("""{"payload":["billing","refund"]}""", (await GetAsync(_admin, P($"conversations/{id}/labels"))).ToJsonString());
    }

    [Fact]
    public async Task Custom_attributes_merge_and_a_null_value_removes_a_key()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var set = await (await _admin.PostAsync(P($"conversations/{id}/custom_attributes"), Json(new { custom_attributes = new { order_id = "1042", plan = "pro" } })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""{"custom_attributes":{"order_id":"1042","plan":"pro"}}""", set!.ToJsonString());
        await (await _admin.PostAsync(P($"conversations/{id}/custom_attributes"), RawJson("""{"custom_attributes":{"plan":null,"rma":7}}""")))
            .ExpectBodyAsync(HttpStatusCode.OK, """{"custom_attributes":{"order_id":"1042","rma":7}}""");
        Assert.Equal("""{"order_id":"1042","rma":7}""", (await GetAsync(_admin, P($"conversations/{id}")))["custom_attributes"]!.ToJsonString());
        await (await _admin.PostAsync(P($"conversations/{id}/custom_attributes"), Json(new { custom_attributes = "x" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Custom attributes must be an object","attributes":["custom_attributes"]}""");
    }

    [Fact]
    public async Task Update_last_seen_clears_the_unread_count()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { assignee_id = AdminId }))).ExpectAsync(HttpStatusCode.OK);
        var before = await GetAsync(_admin, P($"conversations/{id}"));
        Assert.Equal(1, before["unread_count"]!.GetValue<int>());
        Assert.Equal(0, before["agent_last_seen_at"]!.GetValue<long>());

        await (await _admin.PostAsync(P($"conversations/{id}/update_last_seen"), null)).ExpectAsync(HttpStatusCode.OK);
        var after = await GetAsync(_admin, P($"conversations/{id}"));
        Assert.Equal(0, after["unread_count"]!.GetValue<int>());
        Assert.True(after["agent_last_seen_at"]!.GetValue<long>() > 0);
        Assert.True(after["assignee_last_seen_at"]!.GetValue<long>() > 0);

        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "One more thing", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, (await GetAsync(_admin, P($"conversations/{id}")))["unread_count"]!.GetValue<int>());
        await (await _admin.PostAsync(P("conversations/999999/update_last_seen"), null)).ExpectAsync(HttpStatusCode.NotFound);
    }
}
