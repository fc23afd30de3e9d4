using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps.Embedding;

/// <summary>Apps that do not load: each tab says why and offers a retry, and the conversation goes on working.</summary>
public sealed class AppLoadFailureTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    private async Task<(IPage Page, List<string> Errors)> OpenAppAsync(params (string Title, string Url)[] apps)
    {
        var account = await fx.NewAccountAsync();
        foreach (var (title, url) in apps) await fx.AddAppAsync(account, title, url);
        using var admin = fx.Server.AdminClient();
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez", "Where is order #1042?"))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.OpenConversationAsync(account, conversation);
        await page.GetByRole(AriaRole.Tab, new() { Name = apps[0].Title }).ClickAsync();
        return (page, errors);
    }

    private static ILocator Failure(IPage page, string title) =>
        page.GetByRole(AriaRole.Tabpanel, new() { Name = title }).GetByRole(AriaRole.Alert);

    private static async Task RepliesStillWorkAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Tab, new() { Name = "Messages" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("Checking with the warehouse.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator(".message.outgoing")).ToContainTextAsync("Checking with the warehouse.");
    }

    [Fact]
    public async Task A_refused_connection_says_so_with_a_retry_and_the_conversation_keeps_working()
    {
        var (page, errors) = await OpenAppAsync(("CRM", $"http://127.0.0.1:{TestAppServer.FreePort()}/app"));
        var failure = Failure(page, "CRM");
        await Expect(failure).ToBeVisibleAsync();
        await Expect(failure).ToContainTextAsync("CRM did not load. Could not connect to http://127.0.0.1:");
        await Expect(failure.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeVisibleAsync();
        await Expect(page.Locator("#dashboard-app--frame-0-0")).ToBeHiddenAsync();
        await RepliesStillWorkAsync(page);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_app_answering_x_frame_options_deny_is_reported_as_refusing_to_be_embedded()
    {
        var (page, errors) = await OpenAppAsync(("CRM", fx.Apps.Url("/app?mode=listen&xfo=DENY")));
        var failure = Failure(page, "CRM");
        await Expect(failure).ToContainTextAsync("does not allow UniLink to show it");
        await Expect(failure).ToContainTextAsync("X-Frame-Options: DENY");
        await RepliesStillWorkAsync(page);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_app_whose_frame_ancestors_is_none_is_reported_and_one_naming_the_dashboard_loads()
    {
        var dashboard = fx.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var (page, errors) = await OpenAppAsync(
            ("CRM", fx.Apps.Url("/app?mode=listen&csp=" + Uri.EscapeDataString("frame-ancestors 'none'"))),
            ("Orders", fx.Apps.Url("/app?mode=listen&csp=" + Uri.EscapeDataString($"default-src 'self' 'unsafe-inline'; frame-ancestors 'self' {dashboard}"))));
        var failure = Failure(page, "CRM");
        await Expect(failure).ToContainTextAsync("frame-ancestors 'none'");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Orders" }).ClickAsync();
        var orders = await page.AppFrameAsync("dashboard-app--frame-1-0");
        await orders.WaitForAsync(r => r.Contexts().Any());
        await Expect(page.GetByRole(AriaRole.Tabpanel, new() { Name = "Orders" }).Locator(".app-failed")).ToBeHiddenAsync();
        await RepliesStillWorkAsync(page);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Retry_loads_the_app_once_it_is_up()
    {
        var port = TestAppServer.FreePort();
        var (page, errors) = await OpenAppAsync(("CRM", $"http://127.0.0.1:{port}/app?mode=listen"));
        var failure = Failure(page, "CRM");
        await Expect(failure).ToContainTextAsync("Could not connect");

        await using var app = await TestAppServer.StartAsync(port: port);
        await failure.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        var received = await frame.WaitForAsync(r => r.Contexts().Any());
        Assert.Equal("Maria Lopez", received.Contexts().Last()["contact"]!["name"]!.GetValue<string>());
        await Expect(page.Locator("#dashboard-app--frame-0-0")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Tabpanel, new() { Name = "CRM" }).Locator(".app-failed")).ToBeHiddenAsync();
        Assert.Empty(errors);
    }
}
