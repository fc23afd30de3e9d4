using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Conversations;

public sealed class ConversationsApiTests(SharedServer server) : AdminApiTests(server)
{
    [Fact]
    public async Task Conversation_has_the_reference_shape_with_the_display_id_and_latest_message()
    {
        var c = await _admin.CreateConversationAsync(_account, "Maria Lopez", "Where is order #1042?");
        foreach (var field in new[] { "meta", "id", "messages", "account_id", "uuid", "additional_attributes", "agent_last_seen_at",
                     "assignee_last_seen_at", "can_reply", "contact_last_seen_at", "custom_attributes", "inbox_id", "labels", "muted",
                     "snoozed_until", "status", "created_at", "updated_at", "timestamp", "first_reply_created_at", "unread_count",
                     "last_non_activity_message", "last_activity_at", "priority", "waiting_since", "sla_policy_id" })
            Assert.True(c.AsObject().ContainsKey(field), $"missing {field}");
        Assert.Equal("Maria Lopez", c["meta"]!["sender"]!["name"]!.GetValue<string>());
        Assert.Equal("Channel::Api", c["meta"]!["channel"]!.GetValue<string>());
        Assert.Equal("open", c["status"]!.GetValue<string>());
        Assert.Equal(1, c["unread_count"]!.GetValue<int>());
        var messages = c["messages"]!.AsArray();
        Assert.Single(messages);
        Assert.Equal("Where is order #1042?", messages[0]!["content"]!.GetValue<string>());
        Assert.Equal(0, messages[0]!["message_type"]!.GetValue<int>());
        Assert.Equal(c["id"]!.GetValue<int>(), messages[0]!["conversation_id"]!.GetValue<int>());
        Assert.Equal("contact", messages[0]!["sender"]!["type"]!.GetValue<string>());
        Assert.Equal(0, c["first_reply_created_at"]!.GetValue<long>());
    }

    // PostgreSQL reads the show's row and its newest messages in one statement (ConversationReader.ShowWithMessages):
    // the newest message an activity gives two message rows, the newest non-activity one with its contact as sender.
    [Fact]
    public async Task The_show_after_an_activity_message_has_it_newest_and_the_contacts_message_as_last_non_activity()
    {
        var id = (await _admin.CreateConversationAsync(_account, "Ana Ruiz", "My parcel never came"))["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{id}/toggle_status"), Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
        var c = (await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK))!;
        var newest = Assert.Single(c["messages"]!.AsArray())!;
        Assert.Equal(2, newest["message_type"]!.GetValue<int>());
        Assert.Equal("Conversation was marked resolved by Administrator", newest["content"]!.GetValue<string>());
        var last = c["last_non_activity_message"]!;
        Assert.Equal("My parcel never came", last["content"]!.GetValue<string>());
        Assert.Equal("contact", last["sender"]!["type"]!.GetValue<string>());
        Assert.Equal("Ana Ruiz", last["sender"]!["name"]!.GetValue<string>());
        Assert.Equal("resolved", c["status"]!.GetValue<string>());
    }

    // PostgreSQL reads page 1 of the list with its rows' newest messages in one statement (ConversationReader.FirstPageJsonAsync):
    // a row whose newest message is an activity has two message rows, the newest and the newest non-activity one, and the
    // newest ids are taken from them; a row with one message has one.
    [Fact]
    public async Task The_list_shows_each_rows_newest_message_and_newest_non_activity_message()
    {
        var resolved = (await _admin.CreateConversationAsync(_account, "Ana Ruiz", "My parcel never came"))["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{resolved}/toggle_status"), Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
        var open = (await _admin.CreateConversationAsync(_account, "Bo Lind", "Can I change my address?"))["id"]!.GetValue<int>();
        var page = (await (await _admin.GetAsync(P("conversations?status=all"))).ExpectAsync(HttpStatusCode.OK))!["data"]!["payload"]!.AsArray();
        var ids = page.Select(c => c!["id"]!.GetValue<int>()).ToList();
        Assert.True(ids.IndexOf(open) < ids.IndexOf(resolved), "newest activity first");

        var first = page.Single(c => c!["id"]!.GetValue<int>() == resolved)!;
        var newest = Assert.Single(first["messages"]!.AsArray())!;
        Assert.Equal(2, newest["message_type"]!.GetValue<int>());
        Assert.Equal("Conversation was marked resolved by Administrator", newest["content"]!.GetValue<string>());
        Assert.Equal("My parcel never came", first["last_non_activity_message"]!["content"]!.GetValue<string>());
        Assert.Equal("Ana Ruiz", first["last_non_activity_message"]!["sender"]!["name"]!.GetValue<string>());
        Assert.Equal(1, first["unread_count"]!.GetValue<int>());

        var second = page.Single(c => c!["id"]!.GetValue<int>() == open)!;
        var only = Assert.Single(second["messages"]!.AsArray())!;
        Assert.Equal("Can I change my address?", only["content"]!.GetValue<string>());
        Assert.Equal("Bo Lind", only["sender"]!["name"]!.GetValue<string>());
        Assert.Equal(only["id"]!.GetValue<int>(), second["last_non_activity_message"]!["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task Display_ids_count_up_per_account()
    {
        var first = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var second = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        Assert.Equal(first + 1, second);
    }

    [Fact]
    public async Task Resolving_writes_an_activity_message_naming_the_agent_and_an_incoming_message_reopens()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var toggled = await (await _admin.PostAsync(P($"conversations/{id}/toggle_status"), Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("resolved", toggled!["payload"]!["current_status"]!.GetValue<string>());
        var messages = (await (await _admin.GetAsync(P($"conversations/{id}/messages"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray();
        Assert.Equal("Conversation was marked resolved by Administrator", messages[^1]!["content"]!.GetValue<string>());
        Assert.Equal(2, messages[^1]!["message_type"]!.GetValue<int>());

        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "Still waiting!", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        var c = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("open", c!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Snoozing_keeps_the_time_and_unknown_statuses_are_refused()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var until = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();
        var snoozed = await (await _admin.PostAsync(P($"conversations/{id}/toggle_status"), Json(new { status = "snoozed", snoozed_until = until }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(until, snoozed!["payload"]!["snoozed_until"]!.GetValue<long>());
        await (await _admin.PostAsync(P($"conversations/{id}/toggle_status"), Json(new { status = "archived" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Status 'archived' is not one of open, resolved, pending, snoozed","attributes":["status"]}""");
    }

    [Fact]
    public async Task Assigning_labelling_and_priority_show_in_the_conversation_and_its_activity()
    {
        var agent = await _server.CreateUserAsync(_account, name: "Sam Agent");
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var assignee = await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { assignee_id = agent.Id }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Sam Agent", assignee!["name"]!.GetValue<string>());
        Assert.Equal("agent", assignee["role"]!.GetValue<string>());
        var labels = await (await _admin.PostAsync(P($"conversations/{id}/labels"), Json(new { labels = new[] { "billing", "VIP" } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""["billing","vip"]""", labels!["payload"]!.ToJsonString());
        await (await _admin.PostAsync(P($"conversations/{id}/toggle_priority"), Json(new { priority = "urgent" }))).ExpectAsync(HttpStatusCode.OK);

        var c = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(agent.Id, c!["meta"]!["assignee"]!["id"]!.GetValue<int>());
        Assert.Equal("User", c["meta"]!["assignee_type"]!.GetValue<string>());
        Assert.Equal("urgent", c["priority"]!.GetValue<string>());
        var activity = (await (await _admin.GetAsync(P($"conversations/{id}/messages"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray()
            .Where(m => m!["message_type"]!.GetValue<int>() == 2).Select(m => m!["content"]!.GetValue<string>()).ToList();
        Assert.Contains("Assigned to Sam Agent by Administrator", activity);
        Assert.Contains("Administrator added billing, vip", activity);
        Assert.Contains("Administrator set the priority to urgent", activity);

        await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { assignee_id = 999999 })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Assignee is not an agent of this account","attributes":["assignee_id"]}""");
    }

    [Fact]
    public async Task List_filters_by_status_and_assignee_with_counts()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { assignee_id = _server.Db(db => db.Users.First(u => u.Email == UniLinkServer.AdminEmail).Id) }));
        var list = await (await _admin.GetAsync(P("conversations?status=open&assignee_type=me"))).ExpectAsync(HttpStatusCode.OK);
        var meta = list!["data"]!["meta"]!;
        Assert.True(meta["mine_count"]!.GetValue<int>() >= 1);
        Assert.Equal(meta["all_count"]!.GetValue<int>(), meta["assigned_count"]!.GetValue<int>() + meta["unassigned_count"]!.GetValue<int>());
        Assert.Contains(list["data"]!["payload"]!.AsArray(), c => c!["id"]!.GetValue<int>() == id);
        Assert.All(list["data"]!["payload"]!.AsArray(), c => Assert.Equal("open", c!["status"]!.GetValue<string>()));
        await (await _admin.GetAsync(P("conversations?status=nope"))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Private_notes_and_replies_are_messages_with_the_agent_as_sender()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var note = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "Customer is a VIP", @private = true }))).ExpectAsync(HttpStatusCode.OK);
        Assert.True(note!["private"]!.GetValue<bool>());
        Assert.Equal(1, note["message_type"]!.GetValue<int>());
        Assert.Equal("user", note["sender"]!["type"]!.GetValue<string>());
        var reply = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "It ships today." }))).ExpectAsync(HttpStatusCode.OK);
        var c = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.True(c!["first_reply_created_at"]!.GetValue<long>() > 0);

        var deleted = await (await _admin.DeleteAsync(P($"conversations/{id}/messages/{reply!["id"]}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("This message was deleted", deleted!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_input_is_a_4xx_that_says_what_is_wrong_and_writes_nothing()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var before = _server.Db(db => db.Messages.Count());
        var malformed = await (await _admin.PostAsync(P($"conversations/{id}/messages"), RawJson("{\"content\": "))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("Malformed JSON", malformed!["error"]!.GetValue<string>());
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = 42.5, message_type = new[] { 1 } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Message type must be a string","attributes":["message_type"]}""");
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = new string('x', 150_001) }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "x", message_type = "sideways" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await (await _admin.PostAsync(P("conversations/999999/messages"), Json(new { content = "x" }))).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = 999999, contact_id = 1 }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, _server.Db(db => db.Messages.Count()));
    }

    [Fact]
    public async Task Another_accounts_conversation_is_not_found_and_non_members_are_refused()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var outsider = await _server.CreateUserAsync(null);
        var otherAccount = await _server.CreateAccountAsync("Other", outsider.Id);
        using var other = _server.Client(outsider.Token);
        await (await other.GetAsync($"/api/v1/accounts/{otherAccount}/conversations/{id}")).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await other.GetAsync(P($"conversations/{id}"))).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to access this account"}""");
    }

    [Fact]
    public async Task Bots_may_toggle_status_but_not_list()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        using var bot = _server.Client(await _server.CreateBotAsync(_account));
        await (await bot.PostAsync(P($"conversations/{id}/toggle_status"), Json(new { status = "pending" }))).ExpectAsync(HttpStatusCode.OK);
        await (await bot.GetAsync(P("conversations"))).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"Access to this endpoint is not authorized for bots"}""");
    }

    [Fact]
    public async Task Priority_null_clears_the_priority_and_a_missing_priority_is_refused()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{id}/toggle_priority"), Json(new { priority = "high" }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{id}/toggle_priority"), RawJson("""{"priority":null}"""))).ExpectAsync(HttpStatusCode.OK);
        var c = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(c!["priority"]);
        await (await _admin.PostAsync(P($"conversations/{id}/toggle_priority"), Json(new { })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Priority can't be blank","attributes":["priority"]}""");
    }
}
