using System.Net;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Conversations;

public sealed class ConversationOperationsTests(SharedServer server) : AdminApiTests(server)
{
    [Fact]
    public async Task Patch_changes_the_priority_and_answers_the_conversation()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var updated = await (await _admin.PatchAsync(P($"conversations/{id}"), Json(new { priority = "urgent" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, updated!["id"]!.GetValue<int>());
        Assert.Equal("urgent", updated["priority"]!.GetValue<string>());
        await (await _admin.PatchAsync(P($"conversations/{id}"), Json(new { priority = "asap" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Priority 'asap' is not one of none, low, medium, high, urgent","attributes":["priority"]}""");
        await (await _admin.PatchAsync(P("conversations/999999"), Json(new { priority = "low" }))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Muting_resolves_and_keeps_incoming_messages_from_reopening_until_unmuted()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{id}/mute"), null)).ExpectAsync(HttpStatusCode.OK);
        var c = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.True(c!["muted"]!.GetValue<bool>());
        Assert.Equal("resolved", c["status"]!.GetValue<string>());
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "Hello?", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        c = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("resolved", c!["status"]!.GetValue<string>());

        await (await _admin.PostAsync(P($"conversations/{id}/unmute"), null)).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "Anyone?", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        c = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.False(c!["muted"]!.GetValue<bool>());
        Assert.Equal("open", c["status"]!.GetValue<string>());
        var messages = (await (await _admin.GetAsync(P($"conversations/{id}/messages"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray()
            .Select(m => m!["content"]!.GetValue<string>()).ToList();
        Assert.Contains("Administrator has muted the conversation", messages);
        Assert.Contains("Administrator has unmuted the conversation", messages);
    }

    [Fact]
    public async Task An_api_inbox_message_gets_a_delivery_status_and_other_inboxes_are_refused()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var sent = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "Shipped" }))).ExpectAsync(HttpStatusCode.OK);
        var messageId = sent!["id"]!.GetValue<int>();
        var failed = await (await _admin.PatchAsync(P($"conversations/{id}/messages/{messageId}"), Json(new { status = "failed", external_error = "Number blocked" })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("failed", failed!["status"]!.GetValue<string>());
        Assert.Equal("Number blocked", failed["content_attributes"]!["external_error"]!.GetValue<string>());
        await (await _admin.PatchAsync(P($"conversations/{id}/messages/{messageId}"), Json(new { status = "lost" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Status 'lost' is not one of sent, delivered, read, failed","attributes":["status"]}""");
        await (await _admin.PatchAsync(P($"conversations/{id}/messages/999999"), Json(new { status = "read" }))).ExpectAsync(HttpStatusCode.NotFound);

        var widget = await _admin.CreateInboxAsync(_account, "Widget", "web_widget");
        var contact = await _admin.CreateContactAsync(_account, "Widget visitor");
        var other = (await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = widget, contact_id = contact["id"]!.GetValue<int>() })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var otherMessage = (await (await _admin.PostAsync(P($"conversations/{other}/messages"), Json(new { content = "Hi" }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        await (await _admin.PatchAsync(P($"conversations/{other}/messages/{otherMessage}"), Json(new { status = "read" })))
            .ExpectBodyAsync(HttpStatusCode.Forbidden, """{"error":"Message status update is only allowed for API inboxes"}""");
    }

    [Fact]
    public async Task Typing_status_is_accepted_for_on_and_off()
    {
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{id}/toggle_typing_status"), Json(new { typing_status = "on" }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{id}/toggle_typing_status"), Json(new { typing_status = "off" }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P("conversations/999999/toggle_typing_status"), Json(new { typing_status = "on" }))).ExpectAsync(HttpStatusCode.NotFound);
    }
}
