using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using UniLink.Tests.Webhooks;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.AgentBots;

/// <summary>API inboxes talk back through their webhook_url; agent bots get their inbox's pending conversations and answer.</summary>
public sealed class AgentBotAndInboxTests(WebhookServer shared) : WebhookTests(shared)
{
    private async Task<(int Id, string Identifier, string? Secret)> ApiInboxAsync(string? webhookUrl = null)
    {
        var inbox = await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Shop API", channel = new { type = "api", webhook_url = webhookUrl } })))
            .ExpectAsync(HttpStatusCode.OK);
        return (inbox!["id"]!.GetValue<int>(), inbox["inbox_identifier"]!.GetValue<string>(), inbox["secret"]?.GetValue<string>());
    }

    /// <summary>A customer writes in through the public client API, as a bridge (WhatsApp, Telegram …) does; returns the conversation id.</summary>
    private async Task<(int Conversation, string Source)> CustomerWritesAsync(string identifier, string content)
    {
        using var anonymous = _server.Client();
        var contact = await (await anonymous.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts", Json(new { name = "Customer" }))).ExpectAsync(HttpStatusCode.OK);
        var source = contact!["source_id"]!.GetValue<string>();
        var conversation = await (await anonymous.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts/{source}/conversations", Json(new { })))
            .ExpectAsync(HttpStatusCode.OK);
        var id = conversation!["id"]!.GetValue<int>();
        await (await anonymous.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts/{source}/conversations/{id}/messages", Json(new { content })))
            .ExpectAsync(HttpStatusCode.OK);
        return (id, source);
    }

    [Fact]
    public async Task An_api_inbox_webhook_url_gets_the_agent_s_reply_signed_with_the_inbox_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (inbox, identifier, secret) = await ApiInboxAsync(receiver.Url);
        Assert.False(string.IsNullOrEmpty(secret));
        var (conversation, _) = await CustomerWritesAsync(identifier, "Is my parcel on its way?");
        await (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "Yes, it left this morning" }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "internal", @private = true }))).ExpectAsync(HttpStatusCode.OK);

        var got = await receiver.WaitForAsync(r => r.Any(x => x.Json["content"]?.GetValue<string>() == "internal"));
        var reply = got.Single(x => x.Event == "message_created" && x.Json["content"]?.GetValue<string>() == "Yes, it left this morning");
        Assert.True(WebhookReceiver.SignatureValid(reply, secret!));
        Assert.Equal("outgoing", reply.Json["message_type"]!.GetValue<string>());
        Assert.Equal(inbox, reply.Json["inbox"]!["id"]!.GetValue<int>());
        Assert.False(reply.Json["private"]!.GetValue<bool>());
        Assert.Contains(got, x => x.Event == "conversation_created");
        Assert.Contains(got, x => x.Event == "message_created" && x.Json["message_type"]!.GetValue<string>() == "incoming");

        // Agents do not see the secret; an administrator does.
        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        await _admin.AddInboxMemberAsync(_account, inbox, agent.Id);
        using var agentClient = _server.Client(agent.Token);
        Assert.Null((await (await agentClient.GetAsync(P($"inboxes/{inbox}"))).ExpectAsync(HttpStatusCode.OK))!["secret"]);
        Assert.Equal(secret, (await (await _admin.GetAsync(P($"inboxes/{inbox}"))).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bot_bridge_gets_the_pending_conversation_answers_as_the_bot_and_hands_over()
    {
        await using var botEndpoint = await WebhookReceiver.StartAsync("/bot");
        var created = await (await _admin.PostAsync(P("agent_bots"), Json(new { name = "Order bot", description = "Answers order questions", outgoing_url = botEndpoint.Url })))
            .ExpectAsync(HttpStatusCode.OK);
        var botId = created!["id"]!.GetValue<int>();
        var botToken = created["access_token"]!.GetValue<string>();
        var botSecret = created["secret"]!.GetValue<string>();
        Assert.Equal(botEndpoint.Url, created["outgoing_url"]!.GetValue<string>());
        Assert.Equal(_account, created["account_id"]!.GetValue<int>());

        var (inbox, identifier, _) = await ApiInboxAsync();
        await (await _admin.PostAsync(P($"inboxes/{inbox}/set_agent_bot"), Json(new { agent_bot = botId }))).ExpectAsync(HttpStatusCode.OK);
        var connected = await (await _admin.GetAsync(P($"inboxes/{inbox}/agent_bot"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(botId, connected!["agent_bot"]!["id"]!.GetValue<int>());

        var (conversation, _) = await CustomerWritesAsync(identifier, "Where is order 1042?");
        var status = await (await _admin.GetAsync(P($"conversations/{conversation}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pending", status!["status"]!.GetValue<string>());

        // The bot bridge: the customer's message arrives, signed with the bot's secret.
        var got = await botEndpoint.WaitForAsync(r => r.Any(x => x.Event == "message_created"));
        var incoming = got.First(x => x.Event == "message_created");
        Assert.True(WebhookReceiver.SignatureValid(incoming, botSecret));
        Assert.Equal("Where is order 1042?", incoming.Json["content"]!.GetValue<string>());
        Assert.Equal(conversation, incoming.Json["conversation"]!["id"]!.GetValue<int>());
        var accountId = incoming.Json["account"]!["id"]!.GetValue<int>();

        // It answers with its own token; the message's sender is the bot.
        using var bot = _server.Client(botToken);
        await (await bot.PostAsync($"/api/v1/accounts/{accountId}/conversations/{conversation}/messages",
            Json(new { content = "It ships tomorrow.", message_type = "outgoing" }))).ExpectAsync(HttpStatusCode.OK);
        var messages = await (await _admin.GetAsync(P($"conversations/{conversation}/messages"))).ExpectAsync(HttpStatusCode.OK);
        var answer = messages!["payload"]!.AsArray().Last(m => m!["content"]?.GetValue<string>() == "It ships tomorrow.")!;
        Assert.Equal("agent_bot", answer["sender"]!["type"]!.GetValue<string>());
        Assert.Equal("Order bot", answer["sender"]!["name"]!.GetValue<string>());

        // It hands over to a human; the bot hears of it, and no longer gets the conversation's messages.
        await (await bot.PostAsync($"/api/v1/accounts/{accountId}/conversations/{conversation}/toggle_status", Json(new { status = "open" })))
            .ExpectAsync(HttpStatusCode.OK);
        var handover = (await botEndpoint.WaitForEventAsync("conversation_status_changed")).First(x => x.Event == "conversation_status_changed");
        Assert.Equal("open", handover.Json["status"]!.GetValue<string>());
        await (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "A human here" }))).ExpectAsync(HttpStatusCode.OK);
        await Task.Delay(1500);
        Assert.DoesNotContain(botEndpoint.Received, x => x.Json["content"]?.GetValue<string>() == "A human here");
    }

    [Fact]
    public async Task Agent_bot_crud_and_a_bot_of_another_account_is_refused()
    {
        var created = await (await _admin.PostAsync(P("agent_bots"), Json(new { agent_bot = new { name = "Temp bot" } }))).ExpectAsync(HttpStatusCode.OK);
        var id = created!["id"]!.GetValue<int>();
        var updated = await (await _admin.PatchAsync(P($"agent_bots/{id}"), Json(new { outgoing_url = "http://127.0.0.1:9/bot", description = "d" })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("http://127.0.0.1:9/bot", updated!["outgoing_url"]!.GetValue<string>());
        Assert.Contains(( await (await _admin.GetAsync(P("agent_bots"))).ExpectAsync(HttpStatusCode.OK))!.AsArray(), b => b!["id"]!.GetValue<int>() == id);

        var bad = await (await _admin.PostAsync(P("agent_bots"), Json(new { name = "x", outgoing_url = "ftp://bot" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("outgoing_url", bad!["attributes"]![0]!.GetValue<string>());
        await (await _admin.PostAsync(P("agent_bots"), Json(new { description = "no name" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);

        // A user administering two accounts cannot connect one account's bot to the other's inbox.
        var admin = await _server.CreateUserAsync(_account, Roles.Administrator);
        var other = await _server.CreateAccountAsync("Bots elsewhere", admin.Id);
        using var client = _server.Client(admin.Token);
        var otherInbox = await client.CreateInboxAsync(other);
        var refused = await (await client.PostAsync($"/api/v1/accounts/{other}/inboxes/{otherInbox}/set_agent_bot", Json(new { agent_bot = id })))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("agent_bot", refused!["attributes"]![0]!.GetValue<string>());
        var none = await (await client.GetAsync($"/api/v1/accounts/{other}/inboxes/{otherInbox}/agent_bot")).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(none!["agent_bot"]);
        await (await client.GetAsync($"/api/v1/accounts/{other}/agent_bots/{id}")).ExpectAsync(HttpStatusCode.NotFound);

        await (await _admin.DeleteAsync(P($"agent_bots/{id}"))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.GetAsync(P($"agent_bots/{id}"))).ExpectAsync(HttpStatusCode.NotFound);
    }
}
