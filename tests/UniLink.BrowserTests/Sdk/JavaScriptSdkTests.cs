using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UniLink.AppSdk;
using UniLink.BrowserTests.DashboardApps;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.DashboardApps;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.Sdk;

/// <summary>The JavaScript SDK (/sdk/dashboard-app.js) in an app on another origin: inside UniLink, inside a host like the reference, and against forged messages.</summary>
public sealed class JavaScriptSdkTests(SdkFixture fx) : IClassFixture<SdkFixture>
{
    /// <summary>The SDK app's frame once its module has connected.</summary>
    private static async Task<IFrame> SdkFrameAsync(ILocator iframe)
    {
        await Assertions.Expect(iframe).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^https?://"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var frame = await (await iframe.ElementHandleAsync()).ContentFrameAsync();
            try
            {
                if (frame is not null && !frame.Url.StartsWith("about:") && await frame.EvaluateAsync<bool>("() => !!window.app")) return frame;
            }
            catch (PlaywrightException) { } // navigating
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the SDK app did not connect");
            await Task.Delay(50);
        }
    }

    private static async Task<JsonArray> ContextsAsync(IFrame frame) =>
        JsonNode.Parse(await frame.EvaluateAsync<string>("() => JSON.stringify(window.sdk.contexts)"))!.AsArray();

    private static async Task<JsonArray> WaitForContextsAsync(IFrame frame, Func<JsonArray, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var contexts = await ContextsAsync(frame);
            if (condition(contexts)) return contexts;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"condition not met; contexts: {contexts.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Runs an SDK call in the app and returns <c>{"ok": value}</c> or <c>{"rejected": message}</c>.</summary>
    private static async Task<JsonNode> OutcomeAsync(IFrame frame, string call) =>
        JsonNode.Parse(await frame.EvaluateAsync<string>($"() => window.outcome({call})"))!;

    private async Task<int> AddAppAsync(int account, string url) =>
        await fx.Server.DbAsync(async db =>
        {
            var now = UnixTime.Now();
            var app = new DashboardApp
            {
                AccountId = account, Title = "SDK app", CreatedAt = now, UpdatedAt = now,
                Content = JsonSerializer.Serialize(new[] { new { type = "frame", url } }),
            };
            db.DashboardApps.Add(app);
            await db.SaveChangesAsync();
            return app.Id;
        });

    [Fact]
    public async Task The_sdk_is_served_as_a_cross_origin_es_module_with_its_typings()
    {
        using var client = fx.Server.Client();
        var js = await client.GetAsync("/sdk/dashboard-app.js");
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Contains("javascript", js.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", js.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("export function connect", await js.Content.ReadAsStringAsync());
        var typings = await client.GetAsync("/sdk/dashboard-app.d.ts");
        Assert.Equal(HttpStatusCode.OK, typings.StatusCode);
        Assert.Contains("export function connect(options?: ConnectOptions): DashboardApp;", await typings.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Inside_unilink_the_sdk_hands_over_the_signed_context_fetches_it_and_acts_with_permission()
    {
        var account = await fx.Server.CreateAccountAsync("SDK " + Guid.NewGuid().ToString("N")[..6],
            fx.Server.AdminUserId);
        var appId = await AddAppAsync(account, fx.AppUrl());
        using var admin = fx.Server.AdminClient();
        var secret = (await (await admin.PostAsync($"/api/v1/accounts/{account}/dashboard_apps/{appId}/secret", null)).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>();
        await (await admin.PutAsync($"/api/v1/accounts/{account}/dashboard_apps/{appId}/permissions",
            HttpAssertions.Json(new { permissions = new[] { "add_labels" } }))).ExpectAsync(HttpStatusCode.OK);
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez", "Where is order #1042?"))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await fx.Browser.NewPageAsync(fx.Server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.OpenConversationAsync(account, conversation);
        await page.GetByRole(AriaRole.Tab, new() { Name = "SDK app" }).ClickAsync();
        var frame = await SdkFrameAsync(page.Locator("#dashboard-app--frame-0-0"));

        // onContext: the context the host posted on load, parsed, with the token.
        var context = (await WaitForContextsAsync(frame, c => c.Count >= 1))[0]!;
        Assert.Equal(conversation, context["conversation"]!["id"]!.GetValue<int>());
        Assert.Equal("Maria Lopez", context["contact"]!["name"]!.GetValue<string>());
        var token = await frame.EvaluateAsync<string?>("() => window.app.token");
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal(context["token"]!.GetValue<string>(), token);
        var claims = ContextToken.VerifyContextToken(token, secret, appId, out var error);
        Assert.True(claims is not null, error);
        Assert.Equal(conversation, claims!.ConversationId);

        // fetchContext: the documented request, answered by UniLink.
        var fetched = await OutcomeAsync(frame, "window.app.fetchContext()");
        Assert.Equal(conversation, fetched["ok"]!["conversation"]!["id"]!.GetValue<int>());
        Assert.Equal(UniLinkServer.AdminEmail, fetched["ok"]!["currentAgent"]!["email"]!.GetValue<string>());

        // act: resolves with the host's action-result when allowed, rejects with the host's reason when not.
        var labelled = await OutcomeAsync(frame, "window.app.act('add_labels', { labels: ['from-sdk'] })");
        Assert.Equal("unilink:action-result", labelled["ok"]?["event"]?.GetValue<string>());
        Assert.True(labelled["ok"]!["ok"]!.GetValue<bool>(), labelled.ToJsonString());
        Assert.Contains("from-sdk", fx.Server.Db(db => db.ConversationLabels
            .Where(l => db.Conversations.Any(c => c.Id == l.ConversationId && c.AccountId == account)).Select(l => l.Title).ToList()));
        var denied = await OutcomeAsync(frame, "window.app.act('add_private_note', { content: 'Refund issued' })");
        Assert.Contains("not allowed", denied["rejected"]!.GetValue<string>());
        Assert.Equal(0, fx.Server.Db(db => db.Messages.Count(m => m.AccountId == account && m.Content == "Refund issued")));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_sdk_on_hands_typed_events_to_a_keep_alive_app_across_a_conversation_switch_and_unsubscribes()
    {
        var account = await fx.Server.CreateAccountAsync("SDK " + Guid.NewGuid().ToString("N")[..6],
            fx.Server.AdminUserId);
        var appId = await AddAppAsync(account, fx.AppUrl());
        using var admin = fx.Server.AdminClient();
        await (await admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{appId}/settings",
            HttpAssertions.Json(new { keep_alive = true, placement = "conversation_sidebar" }))).ExpectAsync(HttpStatusCode.OK);
        var first = (await admin.CreateConversationAsync(account, "Maria Lopez", "First question"))["id"]!.GetValue<int>();
        var second = (await admin.CreateConversationAsync(account, "Tom Becker", "Second question"))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await fx.Browser.NewPageAsync(fx.Server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.OpenConversationAsync(account, first);
        var frame = await SdkFrameAsync(page.Locator("#dashboard-app--frame-0-0"));
        await WaitForContextsAsync(frame, c => c.Count >= 1);
        await frame.EvaluateAsync("""
            () => {
              window.events = [];
              window.stopMessages = window.app.on('message.created', (data, type) => window.events.push({ type, data }));
              window.app.on('conversation.switched', (data, type) => window.events.push({ type, data }));
            }
            """);
        async Task<JsonArray> EventsAsync(Func<JsonArray, bool> until)
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (true)
            {
                var events = JsonNode.Parse(await frame.EvaluateAsync<string>("() => JSON.stringify(window.events)"))!.AsArray();
                if (until(events)) return events;
                if (DateTime.UtcNow > deadline) throw new TimeoutException(events.ToJsonString());
                await Task.Delay(50);
            }
        }
        await Task.Delay(200);

        // The agent's own reply, sent from the dashboard.
        var reply = page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        await reply.FillAsync("Shipped today");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        var events = await EventsAsync(e => e.Any(x => x!["data"]!["content"]?.GetValue<string>() == "Shipped today"));
        Assert.All(events, e => Assert.Equal("message.created", e!["type"]!.GetValue<string>()));
        Assert.Equal(first, events.Last()!["data"]!["conversation_id"]!.GetValue<int>());

        // Another conversation: the kept frame hears of the switch, with the new conversation's record.
        await page.Locator("a.conversation-row", new() { HasText = "Tom Becker" }).ClickAsync();
        events = await EventsAsync(e => e.Any(x => x!["type"]!.GetValue<string>() == "conversation.switched"));
        var switched = events.Single(x => x!["type"]!.GetValue<string>() == "conversation.switched")!["data"]!;
        Assert.Equal(second, switched["id"]!.GetValue<int>());
        Assert.Equal("Tom Becker", switched["meta"]!["sender"]!["name"]!.GetValue<string>());

        // Unsubscribed from message.created: a new message is no event (the switch listener stays).
        await frame.EvaluateAsync("() => window.stopMessages()");
        await Task.Delay(200);
        var count = events.Count;
        await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{second}/messages",
            HttpAssertions.Json(new { content = "Quiet one", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await WaitForContextsAsync(frame, c => c.ToJsonString().Contains("Quiet one"));
        await Task.Delay(300);
        Assert.Equal(count, (await EventsAsync(_ => true)).Count);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task In_a_host_like_the_reference_the_sdk_falls_back_to_the_plain_context_and_act_fails_cleanly()
    {
        var errors = new List<string>();
        var page = await fx.Browser.NewPageAsync(fx.Host.Origin, errors);
        await page.GotoAsync(fx.Host.Url($"/host?app={Uri.EscapeDataString(fx.AppUrl("&actionTimeoutMs=1500"))}"));
        var frame = await SdkFrameAsync(page.Locator("#app"));

        var contexts = await WaitForContextsAsync(frame, c => c.Count >= 1);
        Assert.Equal(77, contexts[0]!["conversation"]!["id"]!.GetValue<int>());
        Assert.Equal("Ann", contexts[0]!["contact"]!["name"]!.GetValue<string>());
        Assert.Null(await frame.EvaluateAsync<string?>("() => window.app.token"));

        // The reference answers the exact fetch-info string the SDK sends.
        var fetched = await OutcomeAsync(frame, "window.app.fetchContext()");
        Assert.Equal("sam@example.com", fetched["ok"]!["currentAgent"]!["email"]!.GetValue<string>());
        Assert.Contains("chatwoot-dashboard-app:fetch-info", await page.EvaluateAsync<string[]>("() => window.hostReceived"));

        // No actions there: act rejects with a reason instead of hanging, and nothing breaks.
        var acted = await OutcomeAsync(frame, "window.app.act('insert_reply', { text: 'hello' })");
        Assert.Contains("no answer from the host", acted["rejected"]!.GetValue<string>());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Messages_from_another_window_or_another_origin_than_the_host_are_ignored()
    {
        var errors = new List<string>();
        var page = await fx.Browser.NewPageAsync(fx.Host.Origin, errors);
        await page.GotoAsync(fx.Host.Url($"/host?app={Uri.EscapeDataString(fx.AppUrl())}"));
        var frame = await SdkFrameAsync(page.Locator("#app"));
        await WaitForContextsAsync(frame, c => c.Count == 1);

        // A sibling frame on the host's own origin posts a forged context straight to the app's window.
        await page.EvaluateAsync("src => window.addRogue(src)", fx.Host.Url("/rogue"));
        await frame.WaitForFunctionAsync("() => window.received.some(m => m.data && m.data.data && m.data.data.contact && m.data.data.contact.name === 'Forged')");
        await page.EvaluateAsync("() => window.sendContext()");
        var contexts = await WaitForContextsAsync(frame, c => c.Any(x => x?["sent"]?.GetValue<int>() == 2));
        Assert.All(contexts, c => Assert.Equal(77, c!["conversation"]!["id"]!.GetValue<int>()));
        Assert.Null(await frame.EvaluateAsync<string?>("() => window.app.token"));

        // The same host, but the app expects another origin: its parent's messages are not believed either.
        var strict = await fx.Browser.NewPageAsync(fx.Host.Origin, errors);
        await strict.GotoAsync(fx.Host.Url($"/host?app={Uri.EscapeDataString(fx.AppUrl($"&hostOrigins={Uri.EscapeDataString(fx.UniLinkOrigin)}"))}"));
        var strictFrame = await SdkFrameAsync(strict.Locator("#app"));
        await strict.EvaluateAsync("() => window.sendContext()");
        await strictFrame.WaitForFunctionAsync("() => window.received.filter(m => m.fromParent && m.data && m.data.event === 'appContext').length >= 1");
        Assert.Empty(await ContextsAsync(strictFrame));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Without_a_known_host_origin_the_sdk_posts_nothing_and_says_why()
    {
        // Opened on its own: no parent, no ancestorOrigins, no referrer. The SDK used to post to '*' here.
        var page = await fx.Browser.NewPageAsync(fx.Apps.Origin, []);
        var console = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") console.Add(m.Text); };
        await page.GotoAsync(fx.AppUrl());
        await page.WaitForFunctionAsync("() => !!window.app");

        await page.EvaluateAsync("() => { window.app.fetchContext(); window.app.resize(300); }");
        await page.WaitForTimeoutAsync(300);

        Assert.Empty(JsonNode.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.received)"))!.AsArray());
        Assert.Contains(console, m => m.Contains("origin is unknown") && m.Contains("hostOrigins"));
    }
}
