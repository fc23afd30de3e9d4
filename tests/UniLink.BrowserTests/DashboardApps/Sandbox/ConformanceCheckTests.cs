using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using UniLink.BrowserTests.DashboardApps;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.DashboardApps.Platform;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps.Sandbox;

/// <summary>
/// The App sandbox's conformance check against two apps on another loopback origin — a good one and a careless one —
/// with the report expected for each; the sandbox's live events and hooks; and the frame's messages (contexts, events,
/// action results, hooks) validating against the published schemas.
/// </summary>
public sealed class ConformanceCheckTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>, IAsyncLifetime
{
    private static readonly ProtocolSchemas Schemas = new();
    private TestAppServer _apps = null!;
    /// <summary>The good app's secret, which its server checks X-UniLink-Signature with.</summary>
    private volatile string _secret = "";

    public async Task InitializeAsync() => _apps = await TestAppServer.StartAsync(app =>
    {
        app.MapGet("/good", () => Results.Content(Page(GoodScript), "text/html"));
        app.MapGet("/careless", () => Results.Content(Page(CarelessScript), "text/html"));
        app.MapPost("/good/events", async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body, Encoding.UTF8).ReadToEndAsync();
            var signed = http.Request.Headers["X-UniLink-Timestamp"] + "." + body;
            var expected = "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_secret), Encoding.UTF8.GetBytes(signed))).ToLowerInvariant();
            return http.Request.Headers["X-UniLink-Signature"] == expected ? Results.Ok() : Results.StatusCode(401);
        });
        app.MapPost("/careless/events", () => Results.Ok());
    });

    public async Task DisposeAsync() => await _apps.DisposeAsync();

    private static string Page(string script) => $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Conformance test app</title></head>
        <body><h1>Conformance test app</h1><p id="who"></p>
        <script>
          window.received = [];
          {{script}}
        </script>
        </body></html>
        """;

    /// <summary>Checks the host's origin (given in its URL) and the window, parses strings, posts only to the host, answers hooks at once.</summary>
    private const string GoodScript = """
        var HOST = new URLSearchParams(location.search).get('host');
        var context = null;
        window.addEventListener('message', function (e) {
          if (e.source !== window.parent || e.origin !== HOST || typeof e.data !== 'string') return;
          var m;
          try { m = JSON.parse(e.data); } catch (x) { return; }
          window.received.push(m);
          if (m.event === 'appContext') {
            var first = context === null;
            context = m.data;
            var who = context.contact && context.contact.name ? context.contact.name : 'no contact';
            document.getElementById('who').textContent = who + ' (' + context.conversation.messages.length + ' messages)';
            if (first) window.parent.postMessage(JSON.stringify({ event: 'unilink:subscribe', types: ['*'] }), HOST);
          }
          if (m.event === 'unilink:hook') {
            var draft = (m.data && m.data.draft) || '';
            var answer = /\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}/.test(draft) ? { outcome: 'block', reason: 'The reply holds a card number' } : { outcome: 'allow' };
            answer.event = 'unilink:hook-result';
            answer.id = m.id;
            window.parent.postMessage(JSON.stringify(answer), HOST);
          }
        });
        window.act = function (action, payload) {
          window.parent.postMessage(JSON.stringify({ event: 'unilink:action', id: 'a-' + Date.now(), action: action, payload: payload }), HOST);
        };
        window.parent.postMessage('chatwoot-dashboard-app:fetch-info', HOST);
        """;

    /// <summary>As careless apps are: trusts any sender, posts with '*', never asks for the context, reads the contact's name
    /// without looking, and works on every message at once.</summary>
    private const string CarelessScript = """
        var context = null;
        window.addEventListener('message', function (e) {
          var m = typeof e.data === 'string' ? JSON.parse(e.data) : e.data;
          window.received.push(m);
          if (m.event === 'appContext') {
            context = m.data;
            for (var i = 0; i < context.conversation.messages.length; i++) { var t = Date.now(); while (Date.now() - t < 1) { } }
          }
          if (m.event === 'unilink:hook') {
            var greeting = 'Hi ' + context.contact.name.split(' ')[0];
            window.parent.postMessage(JSON.stringify({ event: 'unilink:hook-result', id: m.id, outcome: 'allow', note: greeting }), '*');
          }
        });
        """;

    private async Task<(int Account, int AppId, IPage Page, List<string> Errors)> SandboxWithAppAsync(string path, string title)
    {
        var account = await fx.NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        await admin.CreateConversationAsync(account, "Maria Lopez", "Where is order #1042?");
        var host = fx.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var appId = await fx.AddAppAsync(account, title, _apps.Url($"{path}?host={Uri.EscapeDataString(host)}"));
        (await admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{appId}/settings",
            HttpAssertions.Json(new { event_endpoint = _apps.Url($"{path}/events"), events = new[] { "message.created" } }))).EnsureSuccessStatusCode();
        var secret = await (await admin.PostAsync($"/api/v1/accounts/{account}/dashboard_apps/{appId}/secret", null)).ExpectAsync(HttpStatusCode.OK);
        if (path == "/good") _secret = secret!["secret"]!.GetValue<string>();
        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.GotoAsync($"/app/accounts/{account}/settings/integrations/dashboard_apps/sandbox?app={appId}");
        await page.GetByRole(AriaRole.Heading, new() { Name = "App sandbox" }).WaitForAsync();
        await page.WaitForInteractiveAsync();
        return (account, appId, page, errors);
    }

    private static async Task<Dictionary<string, (string Status, string Evidence)>> RunCheckAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Run conformance check" }).ClickAsync();
        var rows = page.GetByRole(AriaRole.Table, new() { Name = "Conformance report" }).Locator("tbody tr");
        var problem = page.Locator(".sandbox-conformance [role=alert]");
        await Expect(rows.Or(problem).First).ToBeVisibleAsync(new() { Timeout = 150_000 });
        Assert.False(await problem.IsVisibleAsync(), await problem.IsVisibleAsync() ? await problem.TextContentAsync() : "");
        await Expect(rows).ToHaveCountAsync(8);
        var report = new Dictionary<string, (string, string)>();
        foreach (var row in await rows.AllAsync())
            report[(await row.GetAttributeAsync("data-check"))!] = ((await row.GetAttributeAsync("data-status"))!, (await row.Locator("td").Nth(2).TextContentAsync())!);
        return report;
    }

    private static string Show(Dictionary<string, (string Status, string Evidence)> report) =>
        string.Join("\n", report.Select(r => $"{r.Key}: {r.Value.Status} — {r.Value.Evidence}"));

    [Fact]
    public async Task A_good_app_passes_every_item_with_its_evidence()
    {
        var (_, _, page, errors) = await SandboxWithAppAsync("/good", "Good app");
        var report = await RunCheckAsync(page);
        var all = Show(report);
        Assert.All(report, r => Assert.True(r.Value.Status == "pass", all));
        Assert.Contains("the string", report["fetch_info"].Evidence);
        Assert.Contains("5,000 messages", report["big_context"].Evidence);
        Assert.Contains("another origin (null)", report["origin_check"].Evidence);
        Assert.Contains("HTTP 200", report["server_verifies"].Evidence);
        Assert.Contains("HTTP 401", report["server_verifies"].Evidence);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_careless_app_fails_what_it_does_wrong_and_the_evidence_says_why()
    {
        var (_, _, page, _) = await SandboxWithAppAsync("/careless", "Careless app");
        var report = await RunCheckAsync(page);
        var all = Show(report);
        var expected = new Dictionary<string, string>
        {
            ["fetch_info"] = "fail", ["string_context"] = "pass", ["hooks"] = "pass", ["no_contact"] = "fail", ["big_context"] = "fail",
            ["origin_check"] = "fail", ["no_star"] = "fail", ["server_verifies"] = "fail",
        };
        Assert.True(expected.All(e => report[e.Key].Status == e.Value), all);
        Assert.Contains("asked for nothing", report["fetch_info"].Evidence);
        Assert.Contains("no longer answered", report["no_contact"].Evidence);
        Assert.Contains("5,000 messages", report["big_context"].Evidence);
        Assert.Contains("answered a hook sent from another origin", report["origin_check"].Evidence);
        Assert.Contains("unilink:hook-result", report["no_star"].Evidence);
        Assert.Contains("forged", report["server_verifies"].Evidence);
    }

    [Fact]
    public async Task Live_events_and_hooks_reach_the_app_and_every_frame_message_validates_against_the_schemas()
    {
        var (account, _, page, errors) = await SandboxWithAppAsync("/good", "Good app");
        await page.GetByRole(AriaRole.Button, new() { Name = "Load app" }).ClickAsync();
        var frame = await page.AppFrameAsync("app-sandbox-frame");
        await frame.WaitForFunctionAsync("() => window.received.some(m => m.event === 'appContext')");
        await Task.Delay(300); // its subscription has arrived

        var live = page.Locator("#sandbox-live-status");
        foreach (var type in new[] { "message.created", "conversation.status_changed", "contact.updated", "reply.draft_changed" })
        {
            await page.Locator("#sandbox-event-type").SelectOptionAsync(type);
            await page.GetByRole(AriaRole.Button, new() { Name = "Send event" }).ClickAsync();
            await Expect(live).ToHaveTextAsync($"{type} sent");
            await frame.WaitForFunctionAsync($"() => window.received.some(m => m.event === 'unilink:event' && m.type === '{type}')");
        }
        await page.Locator("#sandbox-hook-draft").FillAsync("My card is 4111 1111 1111 1111");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send hook" }).ClickAsync();
        await Expect(live).ToContainTextAsync("before_send: block — The reply holds a card number");
        await page.Locator("#sandbox-hook-draft").FillAsync("Your order ships today");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send hook" }).ClickAsync();
        await Expect(live).ToContainTextAsync("before_send: allow");
        await page.Locator("#sandbox-hook-type").SelectOptionAsync("before_resolve");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send hook" }).ClickAsync();
        await Expect(live).ToContainTextAsync("before_resolve: allow");
        // An action the app is not granted: refused, with the reason.
        await frame.EvaluateAsync("() => window.act('add_labels', { labels: ['vip'] })");
        await frame.WaitForFunctionAsync("() => window.received.some(m => m.event === 'unilink:action-result')");

        var received = JsonNode.Parse(await frame.EvaluateAsync<string>("() => JSON.stringify(window.received)"))!.AsArray();
        var kinds = new Dictionary<string, string>
        {
            ["appContext"] = "context", ["unilink:event"] = "events", ["unilink:hook"] = "hooks", ["unilink:action-result"] = "results",
        };
        foreach (var message in received) Schemas.AssertValid(kinds[message!["event"]!.GetValue<string>()], message.ToJsonString());
        Assert.Equal(["appContext", "unilink:action-result", "unilink:event", "unilink:hook"], received.Select(m => m!["event"]!.GetValue<string>()).Distinct().Order());
        var result = received.Single(m => m!["event"]!.GetValue<string>() == "unilink:action-result")!;
        Assert.False(result["ok"]!.GetValue<bool>());
        Assert.Empty(errors);
        _ = account;
    }
}
