using System.Net;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Webhooks;

/// <summary>conversation_typing_on/_off as the reference sends them: to account webhooks and the API inbox's webhook_url, not to agent bots.</summary>
public sealed class TypingEventTests(WebhookServer shared) : WebhookTests(shared)
{
    [Fact]
    public async Task Typing_by_an_agent_and_by_the_contact_reaches_webhooks_and_the_api_inbox_but_not_the_bot()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var inboxHook = await WebhookReceiver.StartAsync("/inbox");
        await using var botHook = await WebhookReceiver.StartAsync("/bot");
        await (await _admin.PostAsync(P("webhooks"), Json(new { webhook = new { url = hook.Url, subscriptions = new[] { "conversation_typing_on", "conversation_typing_off" } } })))
            .ExpectAsync(HttpStatusCode.OK);
        var inbox = await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Typing API", channel = new { type = "api", webhook_url = inboxHook.Url } })))
            .ExpectAsync(HttpStatusCode.OK);
        var bot = await (await _admin.PostAsync(P("agent_bots"), Json(new { name = "Typing bot", outgoing_url = botHook.Url }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"inboxes/{inbox!["id"]}/set_agent_bot"), Json(new { agent_bot = bot!["id"]!.GetValue<int>() }))).ExpectAsync(HttpStatusCode.OK);

        var identifier = inbox["inbox_identifier"]!.GetValue<string>();
        using var anonymous = _server.Client();
        var contact = await (await anonymous.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts", Json(new { name = "Typing Tom" }))).ExpectAsync(HttpStatusCode.OK);
        var source = contact!["source_id"]!.GetValue<string>();
        var conversation = (await (await anonymous.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts/{source}/conversations", Json(new { })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();

        // An agent types a private note; then the contact stops typing.
        await (await _admin.PostAsync(P($"conversations/{conversation}/toggle_typing_status"), Json(new { typing_status = "on", is_private = true })))
            .ExpectAsync(HttpStatusCode.OK);
        await (await anonymous.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts/{source}/conversations/{conversation}/toggle_typing",
            Json(new { typing_status = "off" }))).ExpectAsync(HttpStatusCode.OK);
        // Anything but on/off does nothing, as the reference; a typing_status that is not text is refused, naming it.
        await (await _admin.PostAsync(P($"conversations/{conversation}/toggle_typing_status"), Json(new { typing_status = "recording" }))).ExpectAsync(HttpStatusCode.OK);
        var bad = await (await _admin.PostAsync(P($"conversations/{conversation}/toggle_typing_status"), Json(new { typing_status = new[] { 1 } })))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("typing_status", bad!.ToJsonString());

        foreach (var receiver in new[] { hook, inboxHook })
        {
            var got = await receiver.WaitForAsync(r => r.Any(x => x.Event == "conversation_typing_off"));
            var on = got.Single(x => x.Event == "conversation_typing_on").Json;
            Assert.Equal(["conversation", "event", "is_private", "user"], on.Select(p => p.Key).Order(StringComparer.Ordinal));
            Assert.True(on["is_private"]!.GetValue<bool>());
            Assert.Equal("user", on["user"]!["type"]!.GetValue<string>());
            Assert.Equal(UniLinkServer.AdminEmail, on["user"]!["email"]!.GetValue<string>());
            Assert.Equal(conversation, on["conversation"]!["id"]!.GetValue<int>());
            Assert.Equal("Typing Tom", on["conversation"]!["meta"]!["sender"]!["name"]!.GetValue<string>());
            var off = got.Single(x => x.Event == "conversation_typing_off").Json;
            Assert.False(off["is_private"]!.GetValue<bool>());
            Assert.Equal("contact", off["user"]!["type"]!.GetValue<string>());
            Assert.Equal("Typing Tom", off["user"]!["name"]!.GetValue<string>());
            Assert.DoesNotContain(got, x => x.Event.StartsWith("conversation_typing") && x.Json["user"] is null);
            Assert.Equal(2, got.Count(x => x.Event.StartsWith("conversation_typing")));
        }
        // The bot heard of the conversation, never of typing.
        await botHook.WaitForEventAsync("conversation_created");
        await Task.Delay(500);
        Assert.DoesNotContain(botHook.Received, x => x.Event.StartsWith("conversation_typing"));
    }
}
