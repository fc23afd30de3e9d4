using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using UniLink.Tests.Webhooks;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Widget;

/// <summary>
/// <c>POST /api/v1/widget/events</c> (issues 18 and 15): the widget reports that the visitor opened it, and webhooks and the
/// inbox's agent bot receive the reference's <c>webwidget_triggered</c> — the contact inbox's webhook_data with event_info.
/// </summary>
public sealed class WidgetEventTests(WebhookServer shared) : WebhookTests(shared)
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string websiteToken, string rest, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, $"/api/v1/widget/{rest}{(rest.Contains('?') ? '&' : '?')}website_token={websiteToken}");
        if (body is not null) request.Content = Json(body);
        if (token is not null) request.Headers.Add("X-Auth-Token", token);
        request.Headers.UserAgent.ParseAdd(Firefox);
        request.Headers.AcceptLanguage.ParseAdd("fr-FR,fr;q=0.8");
        return await http.SendAsync(request);
    }

    private static object Opened(string referer) => new
    {
        name = "webwidget.triggered",
        event_info = new { initiated_at = new { timestamp = "Sun Dec 06 2026 12:00:00 GMT+0100" }, referer },
    };

    private async Task<(int Id, string Token)> WebsiteAsync(HttpClient admin, int account, string name)
    {
        var inbox = await (await admin.PostAsync($"/api/v1/accounts/{account}/inboxes",
            Json(new { name, channel = new { type = "web_widget", website_url = "https://shop.example.com" } }))).ExpectAsync(HttpStatusCode.OK);
        return (inbox!["id"]!.GetValue<int>(), inbox["website_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Opening_the_widget_sends_webwidget_triggered_to_webhooks_and_the_bot_with_the_contact_inbox_and_event_info()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var botHook = await WebhookReceiver.StartAsync("/bot");
        await (await _admin.PostAsync(P("webhooks"), Json(new { webhook = new { url = hook.Url, subscriptions = new[] { "webwidget_triggered", "message_created" } } })))
            .ExpectAsync(HttpStatusCode.OK);
        var site = await WebsiteAsync(_admin, _account, "Events shop");
        var bot = await (await _admin.PostAsync(P("agent_bots"), Json(new { name = "Greeter", outgoing_url = botHook.Url }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"inboxes/{site.Id}/set_agent_bot"), Json(new { agent_bot = bot!["id"]!.GetValue<int>() }))).ExpectAsync(HttpStatusCode.OK);

        // A second account with its own website and webhook, and a user in both: nothing of one reaches the other.
        var adminId = _server.Db(db => db.Users.Single(u => u.Email == UniLinkServer.AdminEmail).Id);
        var otherAccount = await _server.CreateAccountAsync("Other events shop", adminId);
        await using var otherHook = await WebhookReceiver.StartAsync("/other");
        await (await _admin.PostAsync($"/api/v1/accounts/{otherAccount}/webhooks", Json(new { webhook = new { url = otherHook.Url, subscriptions = new[] { "webwidget_triggered" } } })))
            .ExpectAsync(HttpStatusCode.OK);
        var otherSite = await WebsiteAsync(_admin, otherAccount, "Other shop website");

        using var http = _server.Client();
        var config = await (await SendAsync(http, HttpMethod.Post, site.Token, "config", null)).ExpectAsync(HttpStatusCode.OK);
        var token = config!["website_channel_config"]!["auth_token"]!.GetValue<string>();
        var contactId = config["contact"]!["id"]!.GetValue<int>();
        var opened = await SendAsync(http, HttpMethod.Post, site.Token, "events?locale=fr", token, Opened("https://shop.example.com/pricing"));
        Assert.Equal(HttpStatusCode.NoContent, opened.StatusCode);
        Assert.False(opened.Headers.Contains("X-Auth-Token"));

        var first = (await hook.WaitForEventAsync("webwidget_triggered")).Single(r => r.Event == "webwidget_triggered").Json;
        Assert.Equal(["account", "contact", "current_conversation", "event", "event_info", "id", "inbox", "source_id"], first.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(contactId, first["contact"]!["id"]!.GetValue<int>());
        Assert.Equal("contact", first["contact"]!["type"]!.GetValue<string>());
        Assert.Equal(site.Id, first["inbox"]!["id"]!.GetValue<int>());
        Assert.Equal("Events shop", first["inbox"]!["name"]!.GetValue<string>());
        Assert.Equal(_account, first["account"]!["id"]!.GetValue<int>());
        Assert.Null(first["current_conversation"]);
        var link = _server.Db(db => db.ContactInboxes.Single(l => l.InboxId == site.Id && l.ContactId == contactId));
        Assert.Equal(link.Id, first["id"]!.GetValue<int>());
        Assert.Equal(link.SourceId, first["source_id"]!.GetValue<string>());
        var info = first["event_info"]!;
        Assert.Equal("https://shop.example.com/pricing", info["referer"]!.GetValue<string>());
        Assert.Equal("Sun Dec 06 2026 12:00:00 GMT+0100", info["initiated_at"]!["timestamp"]!.GetValue<string>());
        Assert.Equal("fr", info["widget_language"]!.GetValue<string>());
        Assert.Equal("fr-FR", info["browser_language"]!.GetValue<string>());
        Assert.Equal("Firefox", info["browser"]!["browser_name"]!.GetValue<string>());
        Assert.Equal("Generic Linux", info["browser"]!["platform_name"]!.GetValue<string>());
        // The inbox's bot hears it too (its cue to greet), before any conversation exists.
        Assert.Equal(contactId, (await botHook.WaitForEventAsync("webwidget_triggered")).Single(r => r.Event == "webwidget_triggered").Json["contact"]!["id"]!.GetValue<int>());

        // Once the visitor has written, the event names the conversation as the API shows it.
        var sent = await (await SendAsync(http, HttpMethod.Post, site.Token, "messages", token, new { message = new { content = "Hello" } })).ExpectAsync(HttpStatusCode.OK);
        var displayId = sent!["conversation_id"]!.GetValue<int>();
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(http, HttpMethod.Post, site.Token, "events", token, Opened("https://shop.example.com/cart"))).StatusCode);
        var second = (await hook.WaitForEventAsync("webwidget_triggered", 2)).Where(r => r.Event == "webwidget_triggered").Last().Json;
        Assert.Equal(displayId, second["current_conversation"]!["id"]!.GetValue<int>());
        Assert.Equal("Channel::WebWidget", second["current_conversation"]!["channel"]!.GetValue<string>());
        Assert.Equal(link.SourceId, second["current_conversation"]!["contact_inbox"]!["source_id"]!.GetValue<string>());
        Assert.Null(second["event_info"]!["widget_language"]);

        // Without a visitor token: a new visitor (the reference's ensure_contact), whose token comes back in the header.
        var fresh = await SendAsync(http, HttpMethod.Post, site.Token, "events", null, Opened("https://shop.example.com/"));
        Assert.Equal(HttpStatusCode.NoContent, fresh.StatusCode);
        var freshToken = Assert.Single(fresh.Headers.GetValues("X-Auth-Token"));
        var freshContact = await (await SendAsync(http, HttpMethod.Get, site.Token, "contact", freshToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(contactId, freshContact!["id"]!.GetValue<int>());
        await hook.WaitForAsync(r => r.Count(x => x.Event == "webwidget_triggered") == 3);

        // The other account's visitor: only the other account's webhook hears of them.
        var otherConfig = await (await SendAsync(http, HttpMethod.Post, otherSite.Token, "config", null)).ExpectAsync(HttpStatusCode.OK);
        var otherToken = otherConfig!["website_channel_config"]!["auth_token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(http, HttpMethod.Post, otherSite.Token, "events", otherToken, Opened("https://other.example.com/"))).StatusCode);
        var theirs = (await otherHook.WaitForEventAsync("webwidget_triggered")).Single().Json;
        Assert.Equal(otherAccount, theirs["account"]!["id"]!.GetValue<int>());
        // A visitor token of one account's website is no visitor of the other's: a new visitor there, never the first one.
        var crossed = await SendAsync(http, HttpMethod.Post, otherSite.Token, "events", token, Opened("https://other.example.com/"));
        Assert.Equal(HttpStatusCode.NoContent, crossed.StatusCode);
        Assert.True(crossed.Headers.Contains("X-Auth-Token"));
        var crossedEvent = (await otherHook.WaitForEventAsync("webwidget_triggered", 2)).Last().Json;
        Assert.NotEqual(contactId, crossedEvent["contact"]!["id"]!.GetValue<int>());
        await Task.Delay(500);
        Assert.Equal(3, hook.Received.Count(x => x.Event == "webwidget_triggered"));
        Assert.DoesNotContain(hook.Received, x => x.Json["account"]?["id"]?.GetValue<int>() == otherAccount);
    }

    [Fact]
    public async Task Bad_event_bodies_are_a_422_naming_the_field_and_other_event_names_do_nothing()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await (await _admin.PostAsync(P("webhooks"), Json(new { webhook = new { url = hook.Url, subscriptions = new[] { "webwidget_triggered" } } })))
            .ExpectAsync(HttpStatusCode.OK);
        var site = await WebsiteAsync(_admin, _account, "Bad events shop");
        using var http = _server.Client();
        var config = await (await SendAsync(http, HttpMethod.Post, site.Token, "config", null)).ExpectAsync(HttpStatusCode.OK);
        var token = config!["website_channel_config"]!["auth_token"]!.GetValue<string>();
        var contacts = _server.Db(db => db.Contacts.Count(c => c.AccountId == _account));

        var missing = await (await SendAsync(http, HttpMethod.Post, site.Token, "events", token, new { event_info = new { } })).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("name", missing!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        var notObject = await (await SendAsync(http, HttpMethod.Post, site.Token, "events", null, new { name = "webwidget.triggered", event_info = "x" }))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("event_info", notObject!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        var tooBig = await (await SendAsync(http, HttpMethod.Post, site.Token, "events", token,
            new { name = "webwidget.triggered", event_info = new { referer = new string('x', 10_000) } })).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("event_info", tooBig!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        await (await SendAsync(http, HttpMethod.Post, "no-such-website", "events", token, Opened("https://x.example.com/"))).ExpectAsync(HttpStatusCode.NotFound);
        // Refused bodies created nobody.
        Assert.Equal(contacts, _server.Db(db => db.Contacts.Count(c => c.AccountId == _account)));

        // A name the reference has no listener for: accepted, nothing sent.
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(http, HttpMethod.Post, site.Token, "events", token, new { name = "campaign.triggered" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(http, HttpMethod.Post, site.Token, "events", token, new { name = "webwidget.triggered" })).StatusCode);
        var got = await hook.WaitForEventAsync("webwidget_triggered");
        await Task.Delay(500);
        var only = Assert.Single(hook.Received);
        Assert.Equal("webwidget_triggered", only.Event);
        Assert.Equal("Firefox", only.Json["event_info"]!["browser"]!["browser_name"]!.GetValue<string>());
        Assert.NotNull(got);
    }
}
