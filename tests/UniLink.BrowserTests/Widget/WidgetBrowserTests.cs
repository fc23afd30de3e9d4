using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.Public;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.BrowserTests.Widget;

/// <summary>
/// The website widget on a site of its own (issue 18): the reference's snippet, unchanged, on a page served from another
/// origin — <c>localhost</c>, another site than UniLink's <c>127.0.0.1</c>, so the widget is a third-party frame whose own
/// storage this Chromium blocks — with a visitor in one browser and an agent in the dashboard in another.
/// </summary>
public sealed class WidgetBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    // Webhooks may go to a receiver on loopback (webwidget_triggered).
    private readonly UniLinkServer _server = new(new Dictionary<string, string?> { ["UNILINK_OUTBOUND_ALLOW_PRIVATE"] = "1" });
    private TestAppServer _site = null!;
    private readonly Dictionary<string, string> _pages = new();
    /// <summary>Pictures the site holds back until the test lets them go: their page's load event waits for them.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _held = new();

    public async Task InitializeAsync() =>
        _site = await TestAppServer.StartAsync(app =>
        {
            app.MapGet("/site/{name}", (string name) =>
                _pages.TryGetValue(name, out var html) ? Results.Content(html, "text/html") : Results.NotFound());
            app.MapGet("/held/{name}.svg", async (string name) =>
            {
                await Held(name).Task.WaitAsync(TimeSpan.FromSeconds(30));
                return Results.Content("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>", "image/svg+xml");
            });
        });

    private TaskCompletionSource Held(string name) => _held.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        _server.Dispose();
    }

    /// <summary>The snippet exactly as the reference's inbox settings show it, with this server as BASE_URL.</summary>
    internal static string ReferenceSnippet(string baseUrl, string websiteToken) => $$"""
        <script>
          (function(d,t) {
            var BASE_URL="{{baseUrl}}";
            var g=d.createElement(t),s=d.getElementsByTagName(t)[0];
            g.src=BASE_URL+"/packs/js/sdk.js";
            g.defer = true;
            g.async = true;
            s.parentNode.insertBefore(g,s);
            g.onload=function(){
              window.chatwootSDK.run({
                websiteToken: '{{websiteToken}}',
                baseUrl: BASE_URL
              })
            }
          })(document,"script");
        </script>
        """;

    /// <summary>A shop page on the site's origin, with the snippet, settings, and a record of the widget's window events.</summary>
    private string SitePage(string name, string websiteToken, string settings = "{}", string body = "")
    {
        _pages[name] = $$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Shop {{name}}</title></head>
            <body><h1>Our shop</h1><p>Products.</p>{{body}}
            <script>
              window.chatwootSettings = {{settings}};
              window.events = [];
              ['chatwoot:ready', 'chatwoot:on-message', 'chatwoot:error', 'chatwoot:on-start-conversation'].forEach(function (name) {
                window.addEventListener(name, function (e) { window.events.push({ name: name, detail: e.detail === undefined ? null : e.detail }); });
              });
            </script>
            {{ReferenceSnippet(_server.BaseAddress.GetLeftPart(UriPartial.Authority), websiteToken)}}
            </body></html>
            """;
        return $"http://localhost:{_site.Origin.Port}/site/{name}";
    }

    private async Task<(int Id, string Token, string Hmac)> WebsiteAsync(object? channelExtra = null)
    {
        using var admin = _server.AdminClient();
        var channel = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(channelExtra ?? new { }))!.AsObject();
        channel["type"] = "web_widget";
        channel["website_url"] = "https://shop.example.com";
        channel["welcome_title"] = "Hello from the shop";
        var inbox = await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/inboxes",
            Json(new System.Text.Json.Nodes.JsonObject { ["name"] = "Shop website", ["channel"] = channel }))).ExpectAsync(HttpStatusCode.OK);
        return (inbox!["id"]!.GetValue<int>(), inbox["website_token"]!.GetValue<string>(), inbox["hmac_token"]!.GetValue<string>());
    }

    private static Task WaitForEventAsync(IPage page, string name) =>
        page.WaitForFunctionAsync($"() => window.events && window.events.some(e => e.name === '{name}')", null, new() { Timeout = 15_000 });

    [Fact]
    public async Task A_visitor_and_an_agent_chat_live_both_ways_and_a_reload_keeps_the_conversation()
    {
        var site = await WebsiteAsync();
        var url = SitePage("home", site.Token, "{ position: 'left', launcherTitle: 'Talk to us' }");
        var visitorErrors = new List<string>();
        var visitor = await browser.NewPageAsync(_site.Origin, visitorErrors);
        await visitor.GotoAsync(url);
        var bubble = visitor.Locator("button.woot-widget-bubble");
        await Expect(bubble).ToBeVisibleAsync();
        await Expect(bubble).ToHaveAttributeAsync("aria-label", "Talk to us");
        Assert.Equal("20px", await Bounded(bubble.EvaluateAsync<string>("b => b.style.left")));
        await WaitForEventAsync(visitor, "chatwoot:ready");

        await bubble.ClickAsync();
        var widget = visitor.FrameLocator("#chatwoot_live_chat_widget");
        await Expect(widget.GetByRole(AriaRole.Heading, new() { Name = "Hello from the shop" })).ToBeVisibleAsync();
        var input = widget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" });
        await Expect(input).ToBeFocusedAsync();
        await input.FillAsync("<b>Need help</b> with my order");
        await input.PressAsync("Enter");
        await Expect(widget.Locator(".cw-in .cw-text")).ToHaveTextAsync("<b>Need help</b> with my order");
        await WaitForEventAsync(visitor, "chatwoot:on-start-conversation");

        var conversation = _server.Db(db => db.Conversations.Where(c => c.InboxId == site.Id).Select(c => new { c.DisplayId, c.AdditionalAttributes }).Single());
        Assert.Contains($"\"referer\":\"{url}\"", conversation.AdditionalAttributes);
        Assert.Contains("\"browser_name\":\"Chrome\"", conversation.AdditionalAttributes);

        // The agent has the conversation open: the visitor's next message arrives without a reload, the reply goes back live.
        var agentErrors = new List<string>();
        var agent = await browser.NewPageAsync(_server.BaseAddress, agentErrors);
        await agent.SignInAsAdminAsync();
        await agent.OpenConversationAsync(_server.AccountId, conversation.DisplayId);
        await Expect(agent.Locator(".message").Filter(new() { HasText = "<b>Need help</b> with my order" })).ToHaveCountAsync(1);
        await input.FillAsync("Are you there?");
        await widget.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(agent.Locator(".message").Filter(new() { HasText = "Are you there?" })).ToHaveCountAsync(1);
        await agent.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("Yes, here to help");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(widget.Locator(".cw-out .cw-text").Filter(new() { HasText = "Yes, here to help" })).ToBeVisibleAsync();
        await visitor.WaitForFunctionAsync("() => window.events.some(e => e.name === 'chatwoot:on-message' && e.detail.content === 'Yes, here to help')");
        // The README's picture (scripts/screenshots points UNILINK_SCREENSHOTS_DIR at docs/screenshots).
        var shots = Environment.GetEnvironmentVariable("UNILINK_SCREENSHOTS_DIR") is { Length: > 0 } d ? d : Path.Combine(Path.GetTempPath(), "unilink-screenshots");
        Directory.CreateDirectory(shots);
        await visitor.ScreenshotAsync(new() { Path = Path.Combine(shots, "widget.png") });

        // A reload (the visitor's token is kept by the page for the widget's origin) shows the whole conversation again.
        await visitor.ReloadAsync();
        await WaitForEventAsync(visitor, "chatwoot:ready");
        await visitor.Locator("button.woot-widget-bubble").ClickAsync();
        await Expect(widget.Locator(".cw-msg .cw-text")).ToContainTextAsync(["<b>Need help</b> with my order", "Are you there?", "Yes, here to help"]);
        Assert.Equal(1, _server.Db(db => db.Conversations.Count(c => c.InboxId == site.Id)));

        // While the window is closed, an agent's reply shows as an unread badge on the bubble.
        await visitor.Locator("button.woot-widget-bubble").ClickAsync();
        await agent.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("Your parcel left today");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(visitor.Locator("button.woot-widget-bubble span[aria-label='1 unread']")).ToBeVisibleAsync();

        // The widget's start came in its address's fragment (no handshake): the visitor's token does not stay in its address.
        var frame = visitor.Frames.Single(f => f.Url.Contains("/widget?"));
        Assert.DoesNotContain("#", frame.Url);
        // A widget page loaded without it (as a browser's reload of the frame) asks the page, and still finds the conversation.
        await Bounded(visitor.Locator("#chatwoot_live_chat_widget").EvaluateAsync("f => { f.src = f.src.split('#')[0]; }"));
        await visitor.WaitForFunctionAsync("() => window.events.filter(e => e.name === 'chatwoot:ready').length === 2", null, new() { Timeout = 15_000 });
        await visitor.Locator("button.woot-widget-bubble").ClickAsync();
        await Expect(widget.Locator(".cw-msg .cw-text")).ToContainTextAsync(["<b>Need help</b> with my order", "Are you there?", "Yes, here to help", "Your parcel left today"]);
        Assert.Equal(1, _server.Db(db => db.Conversations.Count(c => c.InboxId == site.Id)));
        Assert.Empty(visitorErrors);
        Assert.Empty(agentErrors);
    }

    [Fact]
    public async Task During_the_page_load_only_the_bubble_is_added_the_chat_window_comes_after_it_and_hears_replies_while_closed()
    {
        var site = await WebsiteAsync();
        var errors = new List<string>();
        const string LoadingWithoutFrame = "() => document.readyState !== 'complete' && !document.querySelector('iframe')";

        // The page's load waits for a picture: the bubble is there, the chat window's frame is not.
        var page = await browser.NewPageAsync(_site.Origin, errors);
        await page.GotoAsync(SitePage("slow", site.Token, body: "<img src=\"/held/slow.svg\" alt=\"\">"), new() { WaitUntil = WaitUntilState.Commit });
        var bubble = page.Locator("button.woot-widget-bubble");
        await Expect(bubble).ToBeVisibleAsync();
        Assert.True(await Bounded(page.EvaluateAsync<bool>(LoadingWithoutFrame)), "the frame was made during the page's load");
        // Once the page has loaded, the frame comes (on idle) and the widget is ready.
        Held("slow").TrySetResult();
        await Expect(page.Locator("iframe#chatwoot_live_chat_widget")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await WaitForEventAsync(page, "chatwoot:ready");
        await bubble.ClickAsync();
        var widget = page.FrameLocator("#chatwoot_live_chat_widget");
        await widget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" }).FillAsync("Is the red one back?");
        await widget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" }).PressAsync("Enter");
        await Expect(widget.Locator(".cw-in .cw-text")).ToHaveTextAsync("Is the red one back?");
        var displayId = await PollAsync(() => _server.Db(db => db.Conversations.Where(c => c.InboxId == site.Id).Select(c => (int?)c.DisplayId).FirstOrDefault()));

        // Reloaded and never opened: the frame made after the load connects, so a reply shows as unread and reaches the page.
        await page.ReloadAsync();
        await WaitForEventAsync(page, "chatwoot:ready");
        using (var admin = _server.AdminClient())
            await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/conversations/{displayId}/messages", Json(new { content = "Back on Monday" })))
                .ExpectAsync(HttpStatusCode.OK);
        await Expect(bubble.Locator("span[aria-label='1 unread']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.WaitForFunctionAsync("() => window.events.some(e => e.name === 'chatwoot:on-message' && e.detail.content === 'Back on Monday')",
            null, new() { Timeout = 15_000 });
        await bubble.ClickAsync();
        await Expect(widget.Locator(".cw-msg .cw-text")).ToContainTextAsync(["Is the red one back?", "Back on Monday"]);

        // A visitor who opens the window while the page still loads gets it at once.
        var early = await browser.NewPageAsync(_site.Origin, errors);
        await early.GotoAsync(SitePage("slow-open", site.Token, body: "<img src=\"/held/slow-open.svg\" alt=\"\">"), new() { WaitUntil = WaitUntilState.Commit });
        await Expect(early.Locator("button.woot-widget-bubble")).ToBeVisibleAsync();
        Assert.True(await Bounded(early.EvaluateAsync<bool>(LoadingWithoutFrame)), "the frame was made during the page's load");
        await early.Locator("button.woot-widget-bubble").ClickAsync();
        await Expect(early.FrameLocator("#chatwoot_live_chat_widget").GetByRole(AriaRole.Textbox, new() { Name = "Type your message" }))
            .ToBeFocusedAsync(new() { Timeout = 15_000 });
        Assert.NotEqual("complete", await Bounded(early.EvaluateAsync<string>("() => document.readyState")));

        // A $chatwoot call that needs the widget during the load makes the frame at once, and runs once the widget is ready.
        var calling = await browser.NewPageAsync(_site.Origin, errors);
        await calling.GotoAsync(SitePage("slow-call", site.Token, body: "<img src=\"/held/slow-call.svg\" alt=\"\">"), new() { WaitUntil = WaitUntilState.Commit });
        await Expect(calling.Locator("button.woot-widget-bubble")).ToBeVisibleAsync();
        Assert.True(await Bounded(calling.EvaluateAsync<bool>(LoadingWithoutFrame)), "the frame was made during the page's load");
        await Bounded(calling.EvaluateAsync("() => window.$chatwoot.setUser('early-bird', { name: 'Early Bird' })"));
        Assert.Equal(1, await Bounded(calling.EvaluateAsync<int>("() => document.querySelectorAll('iframe#chatwoot_live_chat_widget').length")));
        await WaitForEventAsync(calling, "chatwoot:ready");
        Assert.Equal("Early Bird", await PollAsync(() => _server.Db(db => db.Contacts.Where(c => c.Identifier == "early-bird").Select(c => c.Name).FirstOrDefault())));
        Held("slow-open").TrySetResult();
        Held("slow-call").TrySetResult();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_visitor_sees_live_when_an_agent_has_read_their_messages()
    {
        var site = await WebsiteAsync();
        var errors = new List<string>();
        var visitor = await browser.NewPageAsync(_site.Origin, errors);
        await visitor.GotoAsync(SitePage("read", site.Token));
        await WaitForEventAsync(visitor, "chatwoot:ready");
        await visitor.Locator("button.woot-widget-bubble").ClickAsync();
        var widget = visitor.FrameLocator("#chatwoot_live_chat_widget");
        var input = widget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" });
        await input.FillAsync("Did my order ship?");
        await input.PressAsync("Enter");
        var first = widget.Locator(".cw-in").Filter(new() { HasText = "Did my order ship?" });
        await Expect(first).ToHaveCountAsync(1);
        var displayId = await PollAsync(() => _server.Db(db => db.Conversations.Where(c => c.InboxId == site.Id).Select(c => (int?)c.DisplayId).FirstOrDefault()));
        // Nobody has opened it yet.
        await visitor.WaitForTimeoutAsync(500);
        await Expect(widget.Locator(".cw-read")).ToHaveCountAsync(0);

        // The agent opens the conversation in the dashboard: "Read" shows under the visitor's message, without a reload.
        var agent = await browser.NewPageAsync(_server.BaseAddress, errors);
        await agent.SignInAsAdminAsync();
        await agent.OpenConversationAsync(_server.AccountId, displayId!.Value);
        await Expect(first.Locator(".cw-read")).ToHaveTextAsync("Read", new() { Timeout = 15_000 });

        // With the conversation open, the next message is read as it arrives: "Read" moves under it.
        await input.FillAsync("It was order 1042");
        await input.PressAsync("Enter");
        await Expect(agent.Locator(".message").Filter(new() { HasText = "It was order 1042" })).ToHaveCountAsync(1);
        await Expect(widget.Locator(".cw-in").Filter(new() { HasText = "It was order 1042" }).Locator(".cw-read")).ToHaveTextAsync("Read", new() { Timeout = 15_000 });
        await Expect(widget.Locator(".cw-read")).ToHaveCountAsync(1);

        // A reload shows it again; another visitor's unread message shows nothing.
        await visitor.ReloadAsync();
        await WaitForEventAsync(visitor, "chatwoot:ready");
        await visitor.Locator("button.woot-widget-bubble").ClickAsync();
        await Expect(widget.Locator(".cw-in").Filter(new() { HasText = "It was order 1042" }).Locator(".cw-read")).ToHaveTextAsync("Read");
        var other = await browser.NewPageAsync(_site.Origin, errors);
        await other.GotoAsync(SitePage("read-other", site.Token));
        await WaitForEventAsync(other, "chatwoot:ready");
        await other.Locator("button.woot-widget-bubble").ClickAsync();
        var otherWidget = other.FrameLocator("#chatwoot_live_chat_widget");
        await otherWidget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" }).FillAsync("Me too");
        await otherWidget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" }).PressAsync("Enter");
        await Expect(otherWidget.Locator(".cw-in .cw-text")).ToHaveTextAsync("Me too");
        await other.WaitForTimeoutAsync(500);
        await Expect(otherWidget.Locator(".cw-read")).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }

    /// <summary>Playwright's evaluate has no timeout of its own: every one here is bounded.</summary>
    internal static Task<T> Bounded<T>(Task<T> task, int seconds = 20) => task.WaitAsync(TimeSpan.FromSeconds(seconds));

    internal static Task Bounded(Task task, int seconds = 20) => task.WaitAsync(TimeSpan.FromSeconds(seconds));

    [Fact]
    public async Task SetUser_with_a_valid_hash_verifies_the_visitor_with_their_attributes_and_labels_and_a_wrong_hash_raises_an_error()
    {
        var site = await WebsiteAsync();
        using (var admin = _server.AdminClient())
            await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/labels", Json(new { title = "vip" }))).ExpectAsync(HttpStatusCode.OK);
        var hash = IdentifierHash.Of(site.Hmac, "customer-77");
        var url = SitePage("account", site.Token);
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_site.Origin, errors);
        await page.GotoAsync(url);
        await WaitForEventAsync(page, "chatwoot:ready");
        await Bounded(page.EvaluateAsync($$"""
            () => {
              window.$chatwoot.setUser('customer-77', { name: 'Paula Kunde', email: 'paula@example.com', identifier_hash: '{{hash}}' });
              window.$chatwoot.setCustomAttributes({ plan: 'gold' });
              window.$chatwoot.setLabel('vip');
              window.$chatwoot.setConversationCustomAttributes({ cart: '3 items' });
            }
            """));
        await page.Locator("button.woot-widget-bubble").ClickAsync();
        var widget = page.FrameLocator("#chatwoot_live_chat_widget");
        await widget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" }).FillAsync("Where is my parcel?");
        await widget.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(widget.Locator(".cw-in .cw-text")).ToHaveTextAsync("Where is my parcel?");

        using var client = _server.AdminClient();
        var displayId = await PollAsync(() => _server.Db(db => db.Conversations.Where(c => c.InboxId == site.Id).Select(c => (int?)c.DisplayId).FirstOrDefault()));
        var seen = await PollUntilAsync(async () =>
        {
            var c = await (await client.GetAsync($"/api/v1/accounts/{_server.AccountId}/conversations/{displayId}")).ExpectAsync(HttpStatusCode.OK);
            return c!["labels"]!.AsArray().Count > 0 && c["custom_attributes"]!["cart"] is not null ? c : null;
        });
        Assert.True(seen!["meta"]!["hmac_verified"]!.GetValue<bool>());
        Assert.Equal("Paula Kunde", seen["meta"]!["sender"]!["name"]!.GetValue<string>());
        Assert.Equal("customer-77", seen["meta"]!["sender"]!["identifier"]!.GetValue<string>());
        Assert.Equal("gold", seen["meta"]!["sender"]!["custom_attributes"]!["plan"]!.GetValue<string>());
        Assert.Equal(["vip"], seen["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("3 items", seen["custom_attributes"]!["cart"]!.GetValue<string>());

        // Another visitor claiming an identity with a wrong hash: refused, and the page hears it as chatwoot:error.
        var other = await browser.NewPageAsync(_site.Origin, errors);
        await other.GotoAsync(url);
        await WaitForEventAsync(other, "chatwoot:ready");
        await Bounded(other.EvaluateAsync("() => window.$chatwoot.setUser('customer-77', { identifier_hash: 'not-the-hash' })"));
        await other.WaitForFunctionAsync("() => window.events.some(e => e.name === 'chatwoot:error' && /HMAC failed/.test(e.detail.message))");
        Assert.Equal(1, _server.Db(db => db.Contacts.Count(c => c.Identifier == "customer-77")));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Opening_the_widget_tells_webhooks_webwidget_triggered_with_the_visitor_the_page_and_the_browser()
    {
        await using var hook = await UniLink.Tests.Webhooks.WebhookReceiver.StartAsync();
        using (var admin = _server.AdminClient())
            await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/webhooks",
                Json(new { webhook = new { url = hook.Url, subscriptions = new[] { "webwidget_triggered" } } }))).ExpectAsync(HttpStatusCode.OK);
        var site = await WebsiteAsync();
        var url = SitePage("opened", site.Token, "{ locale: 'de' }");
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_site.Origin, errors);
        await page.GotoAsync(url);
        await WaitForEventAsync(page, "chatwoot:ready");
        // Loading the page tells nobody; opening the window does, each time.
        await page.WaitForTimeoutAsync(500);
        Assert.Empty(hook.Received);
        await page.Locator("button.woot-widget-bubble").ClickAsync();
        var opened = (await hook.WaitForEventAsync("webwidget_triggered")).Single().Json;
        Assert.Equal(url, opened["event_info"]!["referer"]!.GetValue<string>());
        Assert.Equal("de", opened["event_info"]!["widget_language"]!.GetValue<string>());
        Assert.Equal("Chrome", opened["event_info"]!["browser"]!["browser_name"]!.GetValue<string>());
        Assert.NotNull(opened["event_info"]!["initiated_at"]!["timestamp"]);
        Assert.Equal(site.Id, opened["inbox"]!["id"]!.GetValue<int>());
        Assert.Null(opened["current_conversation"]);
        // The visitor the event names is the one the widget goes on with: their message lands on that contact.
        var widget = page.FrameLocator("#chatwoot_live_chat_widget");
        var input = widget.GetByRole(AriaRole.Textbox, new() { Name = "Nachricht eingeben" });
        await input.FillAsync("Hallo");
        await input.PressAsync("Enter");
        await Expect(widget.Locator(".cw-in .cw-text")).ToHaveTextAsync("Hallo");
        var contactId = await PollAsync(() => _server.Db(db => db.Conversations.Where(c => c.InboxId == site.Id).Select(c => (int?)c.ContactId).FirstOrDefault()));
        Assert.Equal(contactId, opened["contact"]!["id"]!.GetValue<int>());
        Assert.Equal(1, _server.Db(db => db.ContactInboxes.Count(l => l.InboxId == site.Id)));
        await page.Locator("button.woot-widget-bubble").ClickAsync();
        await page.Locator("button.woot-widget-bubble").ClickAsync();
        var again = (await hook.WaitForEventAsync("webwidget_triggered", 2)).Last().Json;
        Assert.Equal(contactId, again["contact"]!["id"]!.GetValue<int>());
        Assert.NotNull(again["current_conversation"]!["id"]);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task With_nobody_online_the_widget_asks_for_the_email_and_the_visitor_ends_the_conversation_and_starts_a_new_one()
    {
        var site = await WebsiteAsync();
        var url = SitePage("away", site.Token);
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_site.Origin, errors);
        await page.GotoAsync(url);
        await WaitForEventAsync(page, "chatwoot:ready");
        await page.Locator("button.woot-widget-bubble").ClickAsync();
        var widget = page.FrameLocator("#chatwoot_live_chat_widget");
        var input = widget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" });
        // No agent of the inbox is online: after the first message the widget asks where to reply.
        await input.FillAsync("First question");
        await input.PressAsync("Enter");
        await Expect(widget.GetByText("We are away right now. Leave your email and we will reply there.")).ToBeVisibleAsync();
        var email = widget.GetByRole(AriaRole.Textbox, new() { Name = "Email address" });
        await email.FillAsync("not-an-email@");
        await widget.GetByRole(AriaRole.Button, new() { Name = "Notify me" }).ClickAsync();
        await Expect(email).ToBeVisibleAsync(); // the browser's own check refuses it before any request
        await email.FillAsync("Away.Visitor@Example.com");
        await widget.GetByRole(AriaRole.Button, new() { Name = "Notify me" }).ClickAsync();
        await Expect(widget.GetByText("Thanks! We will reply to Away.Visitor@Example.com.")).ToBeVisibleAsync();
        var first = _server.Db(db => db.Conversations.Where(c => c.InboxId == site.Id).Select(c => new { c.Id, c.Contact.Email }).Single());
        Assert.Equal("away.visitor@example.com", first.Email);

        // The visitor ends the conversation: resolved for agents, and the widget offers to start again.
        await widget.GetByRole(AriaRole.Button, new() { Name = "End conversation" }).ClickAsync();
        await Expect(widget.GetByText("This conversation was resolved. Write to reopen it, or start a new one.")).ToBeVisibleAsync();
        await Expect(widget.GetByRole(AriaRole.Button, new() { Name = "End conversation" })).ToBeHiddenAsync();
        Assert.Equal(UniLink.Features.Conversations.ConversationStatus.Resolved,
            await PollAsync(() => _server.Db(db => db.Conversations.Where(c => c.Id == first.Id && c.Status == UniLink.Features.Conversations.ConversationStatus.Resolved)
                .Select(c => (UniLink.Features.Conversations.ConversationStatus?)c.Status).FirstOrDefault())));
        await widget.GetByRole(AriaRole.Button, new() { Name = "Start a new conversation" }).ClickAsync();
        await Expect(widget.Locator(".cw-in")).ToHaveCountAsync(0);
        await Expect(input).ToBeFocusedAsync();
        await input.FillAsync("Second question");
        await input.PressAsync("Enter");
        await Expect(widget.Locator(".cw-in .cw-text")).ToHaveTextAsync("Second question");
        var second = await PollAsync(() => _server.Db(db => db.Conversations.Where(c => c.InboxId == site.Id && c.Id != first.Id).Select(c => (int?)c.DisplayId).FirstOrDefault()));
        Assert.Equal(2, _server.Db(db => db.Conversations.Count(c => c.InboxId == site.Id)));
        // The e-mail is known now: no second prompt.
        await Expect(widget.Locator(".cw-email")).ToBeHiddenAsync();

        // An agent resolves it: the widget shows it at once; a reload shows the new conversation alone, still resolved.
        using (var admin = _server.AdminClient())
            await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/conversations/{second}/toggle_status", Json(new { status = "resolved" })))
                .ExpectAsync(HttpStatusCode.OK);
        await Expect(widget.GetByRole(AriaRole.Button, new() { Name = "Start a new conversation" })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await WaitForEventAsync(page, "chatwoot:ready");
        await page.Locator("button.woot-widget-bubble").ClickAsync();
        await Expect(widget.Locator(".cw-in .cw-text")).ToHaveTextAsync("Second question");
        await Expect(widget.GetByRole(AriaRole.Button, new() { Name = "Start a new conversation" })).ToBeVisibleAsync();
        Assert.Empty(errors);

        // With an agent online, nobody is asked for an e-mail.
        var agent = await _server.CreateUserAsync(_server.AccountId, name: "Otto Online");
        using (var admin = _server.AdminClient()) await admin.AddInboxMemberAsync(_server.AccountId, site.Id, agent.Id);
        var other = await browser.NewPageAsync(_site.Origin, errors);
        await other.GotoAsync(SitePage("online", site.Token));
        await WaitForEventAsync(other, "chatwoot:ready");
        await other.Locator("button.woot-widget-bubble").ClickAsync();
        var otherWidget = other.FrameLocator("#chatwoot_live_chat_widget");
        await otherWidget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" }).FillAsync("Hello while you are here");
        await otherWidget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" }).PressAsync("Enter");
        await Expect(otherWidget.Locator(".cw-in .cw-text")).ToHaveTextAsync("Hello while you are here");
        await other.WaitForTimeoutAsync(1000);
        await Expect(otherWidget.Locator(".cw-email")).ToBeHiddenAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_visitor_sends_a_picture_the_agent_sees_it_and_the_agents_file_reaches_the_widget_live()
    {
        var site = await WebsiteAsync();
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_site.Origin, errors);
        await page.GotoAsync(SitePage("files", site.Token));
        await WaitForEventAsync(page, "chatwoot:ready");
        await page.Locator("button.woot-widget-bubble").ClickAsync();
        var widget = page.FrameLocator("#chatwoot_live_chat_widget");
        var photo = UniLink.Tests.Attachments.TestFiles.Png(400, 300);
        await widget.GetByLabel("Attach a file").SetInputFilesAsync(new FilePayload { Name = "broken-box.png", MimeType = "image/png", Buffer = photo });
        var sent = widget.Locator(".cw-in img.cw-image");
        await Expect(sent).ToHaveAttributeAsync("alt", "broken-box.png");
        // The picture shows: the browser loaded it (its own signed link, no session in this third-party frame).
        var loaded = false;
        for (var i = 0; i < 100 && !loaded; i++, await Task.Delay(100))
            loaded = await Bounded(sent.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        Assert.True(loaded, "the picture did not load: " + await sent.GetAttributeAsync("src"));
        await WaitForEventAsync(page, "chatwoot:on-start-conversation");
        var conversation = await PollAsync(() => _server.Db(db => db.Conversations.Where(c => c.InboxId == site.Id).Select(c => (int?)c.DisplayId).FirstOrDefault()));
        // The agent sees the picture in the conversation.
        var agent = await browser.NewPageAsync(_server.BaseAddress, errors);
        await agent.SignInAsAdminAsync();
        await agent.OpenConversationAsync(_server.AccountId, conversation!.Value);
        await Expect(agent.Locator(".message.incoming .attachment-image img")).ToHaveCountAsync(1);
        // The agent answers with a file: it reaches the widget at once, as a link to download it.
        await agent.Locator("textarea[data-draft-ready]").WaitForAsync();
        await agent.GetByLabel("Attach files").SetInputFilesAsync(new FilePayload { Name = "return-label.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4 label"u8.ToArray() });
        await agent.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("Print this label");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        var reply = widget.Locator(".cw-out").Filter(new() { HasText = "Print this label" });
        await Expect(reply.Locator("a.cw-file-link")).ToHaveTextAsync("📄 return-label.pdf");
        // The window is open: the visitor has read it, and the agent sees so.
        await Expect(agent.Locator(".message.outgoing").Filter(new() { HasText = "Print this label" }).Locator(".read-state")).ToHaveTextAsync("✓✓ Seen");
        var href = await reply.Locator("a.cw-file-link").GetAttributeAsync("href");
        using (var anonymous = new HttpClient())
            Assert.Equal("%PDF-1.4 label"u8.ToArray(), await anonymous.GetByteArrayAsync(new Uri(_server.BaseAddress, href!)));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_pre_chat_form_asks_for_the_email_first_and_starts_the_conversation_with_it()
    {
        var site = await WebsiteAsync(new { pre_chat_form_enabled = true, pre_chat_form_options = new { pre_chat_message = "Tell us how to reach you" } });
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_site.Origin, errors);
        await page.GotoAsync(SitePage("prechat", site.Token));
        await WaitForEventAsync(page, "chatwoot:ready");
        await page.Locator("button.woot-widget-bubble").ClickAsync();
        var widget = page.FrameLocator("#chatwoot_live_chat_widget");
        await Expect(widget.GetByText("Tell us how to reach you")).ToBeVisibleAsync();
        await Expect(widget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" })).ToBeHiddenAsync();
        await widget.GetByLabel("Email address").FillAsync("Nora@Example.com");
        await widget.GetByLabel("Full name").FillAsync("Nora Berg");
        await widget.GetByLabel("Message", new() { Exact = true }).FillAsync("Do you ship to Norway?");
        await widget.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await Expect(widget.Locator(".cw-in .cw-text")).ToHaveTextAsync("Do you ship to Norway?");
        await Expect(widget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" })).ToBeVisibleAsync();
        var contact = _server.Db(db => db.Conversations.Where(c => c.InboxId == site.Id).Select(c => new { c.Contact.Name, c.Contact.Email }).Single());
        Assert.Equal("Nora Berg", contact.Name);
        Assert.Equal("nora@example.com", contact.Email);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_site_outside_the_allowed_domains_gets_no_widget()
    {
        var site = await WebsiteAsync(new { allowed_domains = "shop.example.com" });
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_site.Origin, errors);
        await page.GotoAsync(SitePage("elsewhere", site.Token));
        await Expect(page.Locator("button.woot-widget-bubble")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(2000);
        Assert.False(await Bounded(page.EvaluateAsync<bool>("() => window.events.some(e => e.name === 'chatwoot:ready')")));
        foreach (var f in page.Frames.Where(f => f != page.MainFrame))
            Assert.Equal(0, await f.Locator(".cw-window").CountAsync());
        Assert.Equal(0, _server.Db(db => db.Contacts.Count(c => c.Name != null && c.Name.StartsWith("Visitor "))));
    }

    private static async Task<T> PollAsync<T>(Func<T?> read)
    {
        for (var i = 0; i < 100; i++)
        {
            if (read() is { } value) return value;
            await Task.Delay(100);
        }
        throw new TimeoutException("the value never came");
    }

    private static async Task<T> PollUntilAsync<T>(Func<Task<T?>> read) where T : class
    {
        for (var i = 0; i < 100; i++)
        {
            if (await read() is { } value) return value;
            await Task.Delay(100);
        }
        throw new TimeoutException("the value never came");
    }
}

/// <summary>The widget and its launcher checked with axe-core (npm, installed by ./test) for WCAG 2.1 A/AA, light and dark.</summary>
public sealed class WidgetAccessibilityTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly UniLinkServer _server = new();
    private TestAppServer _site = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        using var admin = _server.AdminClient();
        _token = (await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/inboxes", Json(new
        {
            name = "Shop website", greeting_enabled = true, greeting_message = "Ask us anything!",
            channel = new { type = "web_widget", welcome_title = "Hello from the shop", welcome_tagline = "We reply fast", widget_color = "#3aa1ff" },
        }))).ExpectAsync(HttpStatusCode.OK))!["website_token"]!.GetValue<string>();
        var baseUrl = _server.BaseAddress.GetLeftPart(UriPartial.Authority);
        _site = await TestAppServer.StartAsync(app => app.MapGet("/site", (string? mode) => Results.Content($$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><main><h1>Our shop</h1></main>
            <script>window.chatwootSettings = { darkMode: '{{(mode == "dark" ? "dark" : "light")}}' };</script>
            <script>
              (function(d,t) {
                var BASE_URL="{{baseUrl}}";
                var g=d.createElement(t),s=d.getElementsByTagName(t)[0];
                g.src=BASE_URL+"/packs/js/sdk.js";
                g.async = true;
                s.parentNode.insertBefore(g,s);
                g.onload=function(){ window.chatwootSDK.run({ websiteToken: '{{_token}}', baseUrl: BASE_URL }) }
              })(document,"script");
            </script></body></html>
            """, "text/html")));
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        _server.Dispose();
    }

    private static string AxeSource()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "UniLink.slnx"))) dir = dir.Parent;
        var path = Path.Combine(dir?.FullName ?? ".", ".test-tools", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(path), $"axe-core is missing at {path}: ./test installs it (npm install --prefix .test-tools axe-core)");
        return File.ReadAllText(path);
    }

    /// <summary>axe's serious and critical violations, one a line ("" when there is none).</summary>
    private static async Task<string> SeriousViolationsAsync(IFrame frame, bool iframes)
    {
        await WidgetBrowserTests.Bounded(frame.AddScriptTagAsync(new() { Content = AxeSource() }));
        return await WidgetBrowserTests.Bounded(frame.EvaluateAsync<string>("""
            async (iframes) => {
              const result = await axe.run(document, { iframes, runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')).join('\n');
            }
            """, iframes), seconds: 90);
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task The_widget_and_its_launcher_have_no_serious_accessibility_violations(string mode)
    {
        // The check injects axe into pages whose policy allows only their own scripts: this context looks past the policy.
        var context = await browser.Browser.NewContextAsync(new() { BypassCSP = true });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync($"http://localhost:{_site.Origin.Port}/site?mode={mode}");
        await page.WaitForFunctionAsync("() => window.$chatwoot && window.$chatwoot.hasLoaded");
        await page.Locator("button.woot-widget-bubble").ClickAsync();
        var widget = page.FrameLocator("#chatwoot_live_chat_widget");
        await widget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" }).FillAsync("Is this in stock?");
        await widget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" }).PressAsync("Enter");
        await Expect(widget.Locator(".cw-in .cw-text")).ToHaveTextAsync("Is this in stock?");
        var displayId = _server.Db(db => db.Conversations.Select(c => c.DisplayId).Single());
        using (var admin = _server.AdminClient())
            await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/conversations/{displayId}/messages", Json(new { content = "Yes, 3 left." })))
                .ExpectAsync(HttpStatusCode.OK);
        await Expect(widget.Locator(".cw-out .cw-text").Filter(new() { HasText = "Yes, 3 left." })).ToBeVisibleAsync();

        var frame = page.Frames.Single(f => f.Url.Contains("/widget?"));
        Assert.Equal(mode == "dark", await WidgetBrowserTests.Bounded(frame.EvaluateAsync<bool>("() => document.documentElement.classList.contains('cw-dark')")));
        var inWidget = await SeriousViolationsAsync(frame, iframes: false);
        Assert.True(inWidget.Length == 0, "widget: " + inWidget);
        var onPage = await SeriousViolationsAsync(page.MainFrame, iframes: false);
        Assert.True(onPage.Length == 0, "launcher: " + onPage);
        Assert.Empty(errors);
        await context.CloseAsync();
    }
}
