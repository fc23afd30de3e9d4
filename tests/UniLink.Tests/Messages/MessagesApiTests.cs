using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Messages;

public sealed class MessagesApiTests(SharedServer server) : AdminApiTests(server)
{
    private static readonly string[] MessageFields =
        ["content", "content_attributes", "content_type", "conversation_id", "created_at", "id", "inbox_id", "message_type", "private", "sender", "source_id", "status"];

    private static List<string> Keys(JsonNode node) => node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    private async Task<JsonNode> PostAsync(int conversation, object body) =>
        (await (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(body))).ExpectAsync(HttpStatusCode.OK))!;

    [Fact]
    public async Task Messages_are_listed_oldest_first_twenty_at_a_time_and_before_pages_back()
    {
        var c = await _admin.CreateConversationAsync(_account, "Pager", "message 0");
        var id = c["id"]!.GetValue<int>();
        for (var i = 1; i < 25; i++) await PostAsync(id, new { content = $"message {i}" });

        var latest = await (await _admin.GetAsync(P($"conversations/{id}/messages"))).ExpectAsync(HttpStatusCode.OK);
        var page = latest!["payload"]!.AsArray();
        Assert.Equal(Enumerable.Range(5, 20).Select(i => $"message {i}"), page.Select(m => m!["content"]!.GetValue<string>()));
        Assert.Equal(["additional_attributes", "agent_last_seen_at", "assignee", "assignee_last_seen_at", "contact", "labels"], Keys(latest["meta"]!));
        Assert.Equal("Pager", latest["meta"]!["contact"]!["name"]!.GetValue<string>());

        var older = (await (await _admin.GetAsync(P($"conversations/{id}/messages?before={page[0]!["id"]}"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"message {i}"), older.Select(m => m!["content"]!.GetValue<string>()));
        Assert.All(page.Concat(older), m => Assert.Equal(MessageFields, Keys(m!)));
        await (await _admin.GetAsync(P("conversations/999999/messages"))).ExpectAsync(HttpStatusCode.NotFound);
        await (await _admin.GetAsync(P($"conversations/{id}/messages?before=x")))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Before must be a message id","attributes":["before"]}""");
    }

    [Fact]
    public async Task Sixteen_replies_posted_at_once_to_one_conversation_are_each_kept_once_with_their_event_and_the_newest_is_its_last_activity()
    {
        var id = (await _admin.CreateConversationAsync(_account, "Rush Hour", "Is anyone there?"))["id"]!.GetValue<int>();
        var replies = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => PostAsync(id, new { content = $"reply {i}" })));

        var listed = (await (await _admin.GetAsync(P($"conversations/{id}/messages?after=0"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray();
        var ids = listed.Select(m => m!["id"]!.GetValue<int>()).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(replies.Select(r => r["id"]!.GetValue<int>()).Order(), ids.Skip(1));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"reply {i}").Order(StringComparer.Ordinal),
            listed.Skip(1).Select(m => m!["content"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        await _server.DbAsync(async db =>
        {
            var c = await db.Conversations.AsNoTracking().SingleAsync(x => x.AccountId == _account && x.DisplayId == id);
            var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == c.Id).ToListAsync();
            var sent = messages.Where(m => m.MessageType == Features.Messages.MessageType.Outgoing).ToList();
            // Whichever reply committed last, the conversation's activity is its newest message's, its wait is over and
            // its first reply is one of them.
            Assert.Equal(messages.Max(m => m.CreatedAt), c.LastActivityAt);
            Assert.Null(c.WaitingSince);
            Assert.Contains(c.FirstReplyCreatedAt, sent.Select(m => (DateTime?)m.CreatedAt));
            var events = await db.OutboxEvents.AsNoTracking().Where(e => e.ConversationId == c.Id && e.Event == "message_created").Select(e => e.MessageId).ToListAsync();
            Assert.Equal(sent.Select(m => (int?)m.Id).Order(), events.Where(e => sent.Any(m => m.Id == e)).Order());
            Assert.Equal(16, events.Count(e => sent.Any(m => m.Id == e)));
            // The kept counts still count every conversation of the account once.
            Assert.Equal(await db.Conversations.CountAsync(x => x.AccountId == _account),
                await db.ConversationCounts.Where(k => k.AccountId == _account).SumAsync(k => k.Count));
            return 0;
        });
    }

    [Fact]
    public async Task Replies_notes_incoming_and_template_messages_carry_their_type_and_sender()
    {
        var id = (await _admin.CreateConversationAsync(_account, "Sender Check"))["id"]!.GetValue<int>();
        var reply = await PostAsync(id, new { content = "Your parcel left today.", source_id = "ext-1", content_attributes = new { in_reply_to = 1 } });
        Assert.Equal(1, reply["message_type"]!.GetValue<int>());
        Assert.False(reply["private"]!.GetValue<bool>());
        Assert.Equal("ext-1", reply["source_id"]!.GetValue<string>());
        Assert.Equal("""{"in_reply_to":1}""", reply["content_attributes"]!.ToJsonString());
        Assert.Equal(id, reply["conversation_id"]!.GetValue<int>());
        Assert.Equal(["availability_status", "available_name", "avatar_url", "id", "name", "thumbnail", "type"], Keys(reply["sender"]!));
        Assert.Equal("user", reply["sender"]!["type"]!.GetValue<string>());

        var note = await PostAsync(id, new { content = "Refund approved by finance", @private = true });
        Assert.True(note["private"]!.GetValue<bool>());
        var incoming = await PostAsync(id, new { content = "Thanks!", message_type = "incoming" });
        Assert.Equal(0, incoming["message_type"]!.GetValue<int>());
        Assert.Equal(["additional_attributes", "blocked", "custom_attributes", "email", "id", "identifier", "name", "phone_number", "thumbnail", "type"], Keys(incoming["sender"]!));
        Assert.Equal("Sender Check", incoming["sender"]!["name"]!.GetValue<string>());
        var template = await PostAsync(id, new { content = "Rate us", message_type = "template", content_type = "input_select" });
        Assert.Equal(3, template["message_type"]!.GetValue<int>());
        Assert.Equal("input_select", template["content_type"]!.GetValue<string>());

        using var bot = _server.Client(await _server.CreateBotAsync(_account));
        var fromBot = await (await bot.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "Automated hello" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("agent_bot", fromBot!["sender"]!["type"]!.GetValue<string>());

        var stored = (await (await _admin.GetAsync(P($"conversations/{id}/messages"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray();
        Assert.Equal(["Your parcel left today.", "Refund approved by finance", "Thanks!", "Rate us", "Automated hello"],
            stored.Skip(1).Select(m => m!["content"]!.GetValue<string>()));
        Assert.True(stored[2]!["private"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Content_up_to_150000_characters_is_kept_and_longer_is_refused()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var longest = new string('a', 150_000);
        var kept = await PostAsync(id, new { content = longest });
        Assert.Equal(longest, kept["content"]!.GetValue<string>());
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = longest + "b" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Content is too long (maximum is 150000 characters)","attributes":["content"]}""");
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "   " })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Content can't be blank","attributes":["content"]}""");
    }

    [Fact]
    public async Task Deleting_keeps_the_row_with_the_reference_text_and_only_within_the_conversation()
    {
        var first = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var second = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var message = await PostAsync(first, new { content = "Sent to the wrong customer" });
        var messageId = message["id"]!.GetValue<int>();

        await (await _admin.DeleteAsync(P($"conversations/{second}/messages/{messageId}"))).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await _admin.DeleteAsync(P($"conversations/{first}/messages/999999"))).ExpectAsync(HttpStatusCode.NotFound);
        var deleted = await (await _admin.DeleteAsync(P($"conversations/{first}/messages/{messageId}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("This message was deleted", deleted!["content"]!.GetValue<string>());
        Assert.True(deleted["content_attributes"]!["deleted"]!.GetValue<bool>());

        var listed = (await (await _admin.GetAsync(P($"conversations/{first}/messages"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray()
            .Single(m => m!["id"]!.GetValue<int>() == messageId)!;
        Assert.Equal(deleted.ToJsonString(), listed.ToJsonString());
    }

    [Fact]
    public async Task After_pages_forward_and_after_with_before_gives_the_messages_between()
    {
        var c = await _admin.CreateConversationAsync(_account, "Forward", "message 0");
        var id = c["id"]!.GetValue<int>();
        var ids = new List<int> { c["messages"]![0]!["id"]!.GetValue<int>() };
        for (var i = 1; i < 30; i++) ids.Add((await PostAsync(id, new { content = $"message {i}" }))["id"]!.GetValue<int>());

        var newer = (await (await _admin.GetAsync(P($"conversations/{id}/messages?after={ids[2]}"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray();
        Assert.Equal(Enumerable.Range(3, 27).Select(i => $"message {i}"), newer.Select(m => m!["content"]!.GetValue<string>()));
        var between = (await (await _admin.GetAsync(P($"conversations/{id}/messages?after={ids[2]}&before={ids[5]}"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray();
        Assert.Equal(["message 2", "message 3", "message 4"], between.Select(m => m!["content"]!.GetValue<string>()));
        await (await _admin.GetAsync(P($"conversations/{id}/messages?after=x")))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"After must be a message id","attributes":["after"]}""");
    }
}
