using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UniLink.BrowserTests.DashboardApps;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps.Sandbox;

/// <summary>The administrators' app sandbox, with test apps on other origins.</summary>
public sealed class AppSandboxTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    private static string SandboxPath(int account) => $"/app/accounts/{account}/settings/integrations/dashboard_apps/sandbox";

    private static ILocator LogRows(IPage page, string direction, string @event) =>
        page.GetByRole(AriaRole.Table, new() { Name = "Message log" }).Locator("tbody tr")
            .Filter(new() { HasText = direction }).Filter(new() { HasText = @event });

    private static ILocator Status(IPage page) =>
        page.GetByRole(AriaRole.Region, new() { Name = "Context", Exact = true }).GetByRole(AriaRole.Status);

    private static async Task<JsonNode> BodyOfAsync(ILocator row) =>
        JsonNode.Parse(await row.Locator("pre").TextContentAsync() ?? "")!;

    private async Task<(int Account, int Conversation, IPage Page, List<string> Errors)> OpenSandboxAsync()
    {
        var account = await fx.NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        await admin.CreateConversationAsync(account, "Tom Becker", "Refund please");
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez", "Where is order #1042?"))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.GotoAsync($"/app/accounts/{account}/settings/integrations/dashboard_apps");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "App sandbox" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dashboard_apps/sandbox$"));
        await page.GetByRole(AriaRole.Heading, new() { Name = "App sandbox" }).WaitForAsync();
        await page.WaitForInteractiveAsync();
        return (account, conversation, page, errors);
    }

    [Fact]
    public async Task An_administrator_loads_any_url_sees_both_directions_in_the_log_and_sends_an_edited_context()
    {
        var (_, conversation, page, errors) = await OpenSandboxAsync();
        // Not a registered app: the sandbox loads any URL.
        await page.GetByLabel("App URL").FillAsync(fx.Elsewhere.Url("/app?mode=early"));
        await page.GetByLabel("Conversation").SelectOptionAsync(new SelectOptionValue { Label = $"#{conversation} · Maria Lopez" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Load app" }).ClickAsync();

        var frame = await page.AppFrameAsync("app-sandbox-frame");
        var received = await frame.WaitForAsync(r => r.Contexts().Count() >= 2); // the load's and the fetch-info's answer
        Assert.All(received, r => Assert.Equal("string", r!["type"]!.GetValue<string>()));
        var real = received.Contexts().Last();
        Assert.Equal(conversation, real["conversation"]!["id"]!.GetValue<int>());
        Assert.Equal("Maria Lopez", real["contact"]!["name"]!.GetValue<string>());
        Assert.Equal(UniLinkServer.AdminEmail, real["currentAgent"]!["email"]!.GetValue<string>());

        var outgoing = LogRows(page, "UniLink → app", "appContext");
        await Expect(outgoing.First).ToBeAttachedAsync();
        await Expect(LogRows(page, "app → UniLink", "chatwoot-dashboard-app:fetch-info")).ToHaveCountAsync(1);
        // The log shows the payload exactly as the app got it.
        Assert.True(JsonNode.DeepEquals(received.First(r => r?["data"]?["event"]?.GetValue<string>() == "appContext")!["data"],
            await BodyOfAsync(outgoing.First)));

        var edited = JsonNode.Parse(await page.GetByLabel("Context to send").InputValueAsync())!;
        Assert.True(JsonNode.DeepEquals(received.Last(r => r?["data"]?["event"]?.GetValue<string>() == "appContext")!["data"], edited));
        edited["data"]!["contact"]!["name"] = "Sandbox Tester — ünïcode ✓";
        edited["data"]!["conversation"]!["labels"] = new JsonArray("vip", "test");
        edited["data"]!["extra"] = new JsonObject { ["nested"] = new JsonArray(1, 2.5, null, true) };
        var before = received.Contexts().Count();
        await page.GetByLabel("Context to send").FillAsync(edited.ToJsonString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test context" }).ClickAsync();
        received = await frame.WaitForAsync(r => r.Contexts().Count() > before);
        var test = received.Last()!;
        Assert.Equal("string", test["type"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(edited, test["data"]), $"sent {edited.ToJsonString()}, app got {test["data"]!.ToJsonString()}");
        await Expect(Status(page)).ToHaveTextAsync("Test context sent");

        // A fetch-info now gets the test context too; then the real one comes back on request.
        await frame.EvaluateAsync("() => window.fetchInfo()");
        received = await frame.WaitForAsync(r => r.Contexts().Count() > before + 1);
        Assert.Equal("Sandbox Tester — ünïcode ✓", received.Contexts().Last()["contact"]!["name"]!.GetValue<string>());
        await page.GetByRole(AriaRole.Button, new() { Name = "Re-send the real context" }).ClickAsync();
        received = await frame.WaitForAsync(r => r.Contexts().Last()["contact"]!["name"]!.GetValue<string>() == "Maria Lopez");
        Assert.False(received.Contexts().Last().AsObject().ContainsKey("extra"));

        // Not JSON: nothing is sent and the page says why.
        var count = received.Count;
        await page.GetByLabel("Context to send").FillAsync("{\"event\": ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test context" }).ClickAsync();
        await Expect(Status(page)).ToContainTextAsync("Not valid JSON");
        Assert.Equal(count, (await frame.ReceivedAsync()).Count);

        // Loading another page replaces the frame; the new one gets its context too.
        var other = fx.Apps.Url("/app?mode=listen&second=1");
        await page.GetByLabel("App URL").FillAsync(other);
        await page.GetByRole(AriaRole.Button, new() { Name = "Load app" }).ClickAsync();
        await Expect(page.Locator("#app-sandbox-frame")).ToHaveAttributeAsync("src", other);
        var second = await (await page.AppFrameAsync("app-sandbox-frame")).WaitForAsync(r => r.Contexts().Any());
        Assert.Equal(conversation, second.Contexts().Single()["conversation"]!["id"]!.GetValue<int>());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_registered_app_in_the_sandbox_acts_with_its_own_permissions_and_the_log_shows_the_exchange()
    {
        var (account, conversation, page, errors) = await OpenSandboxAsync();
        var appId = await fx.AddAppAsync(account, "Orders", fx.Apps.Url("/app?mode=listen&sandbox=1"));
        using var admin = fx.Server.AdminClient();
        await (await admin.PutAsync($"/api/v1/accounts/{account}/dashboard_apps/{appId}/permissions",
            HttpAssertions.Json(new { permissions = new[] { "add_labels", "insert_reply" } }))).ExpectAsync(HttpStatusCode.OK);
        await page.GotoAsync(SandboxPath(account) + $"?app={appId}&conversation={conversation}");
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByLabel("App URL")).ToHaveValueAsync(fx.Apps.Url("/app?mode=listen&sandbox=1"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Load app" }).ClickAsync();
        var frame = await page.AppFrameAsync("app-sandbox-frame");
        await frame.WaitForAsync(r => r.Contexts().Any());

        await frame.EvaluateAsync("() => window.parent.postMessage(JSON.stringify({ event: 'unilink:action', id: 's1', action: 'add_labels', payload: { labels: ['sandboxed'] } }), '*')");
        await frame.EvaluateAsync("() => window.parent.postMessage(JSON.stringify({ event: 'unilink:action', id: 's2', action: 'add_private_note', payload: { content: 'no' } }), '*')");
        var received = await frame.WaitForAsync(r => r.Count(m => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result") == 2);
        var results = received.Where(m => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result").Select(m => m!["data"]!).ToDictionary(m => m["id"]!.GetValue<string>());
        Assert.True(results["s1"]["ok"]!.GetValue<bool>(), results["s1"].ToJsonString());
        Assert.False(results["s2"]["ok"]!.GetValue<bool>());
        Assert.Contains("sandboxed", fx.Server.Db(db => db.ConversationLabels
            .Where(l => db.Conversations.Any(c => c.Id == l.ConversationId && c.AccountId == account && c.DisplayId == conversation)).Select(l => l.Title).ToList()));

        await Expect(LogRows(page, "app → UniLink", "unilink:action")).ToHaveCountAsync(2);
        await Expect(LogRows(page, "UniLink → app", "unilink:action-result")).ToHaveCountAsync(2);
        var denied = await BodyOfAsync(LogRows(page, "UniLink → app", "unilink:action-result").Filter(new() { HasText = "s2" }));
        Assert.True(JsonNode.DeepEquals(results["s2"], denied));

        // A reply draft has no reply box here: the page shows it.
        await frame.EvaluateAsync("() => window.parent.postMessage(JSON.stringify({ event: 'unilink:action', id: 's3', action: 'insert_reply', payload: { text: 'Your refund is on its way.' } }), '*')");
        await Expect(page.Locator("p", new() { HasText = "Reply box draft from the app:" })).ToContainTextAsync("Your refund is on its way.");
        // Messages outside the protocol are logged too, marked as ignored.
        await frame.EvaluateAsync("() => window.parent.postMessage({ hello: 'host' }, '*')");
        var ignored = LogRows(page, "app → UniLink", "not part of the protocol");
        await Expect(ignored).ToHaveCountAsync(1);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"hello":"host"}"""), await BodyOfAsync(ignored)));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_agent_cannot_open_the_sandbox()
    {
        var account = await fx.NewAccountAsync();
        var agent = await fx.Server.CreateUserAsync(account, Roles.Agent);
        var page = await fx.Browser.NewPageAsync(fx.Server.BaseAddress, []);
        await page.SignInAsync(agent.Email, agent.Password);
        await page.GotoAsync(SandboxPath(account));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not authorized" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("App URL")).ToHaveCountAsync(0);
        await Expect(page.Locator("iframe")).ToHaveCountAsync(0);
    }
}
