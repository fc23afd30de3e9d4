using System.Net;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps.Embedding;

/// <summary>What real apps do in their frame: dialogs, many apps in one account, a sign-in through another origin.</summary>
public sealed class AppFrameTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    private static ILocator Tab(IPage page, string title) => page.GetByRole(AriaRole.Tab, new() { Name = title, Exact = true });

    private async Task<(int Account, int Conversation)> AccountWithConversationAsync()
    {
        var account = await fx.NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        return (account, (await admin.CreateConversationAsync(account, "Maria Lopez", "Please cancel order #1042"))["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task Confirm_returns_true_when_the_agent_accepts_and_alert_and_prompt_show()
    {
        var (account, conversation) = await AccountWithConversationAsync();
        await fx.AddAppAsync(account, "Orders", fx.Apps.Url("/app?mode=listen&dialogs=1"));
        var page = await fx.SignedInPageAsync([]);
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add($"{dialog.Type}: {dialog.Message}");
            if (dialog.Type == "prompt") await dialog.AcceptAsync("2 items");
            else await dialog.AcceptAsync();
        };
        await page.OpenConversationAsync(account, conversation);
        await Tab(page, "Orders").ClickAsync();
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");

        // What apps do before a destructive button: `if (!confirm(...)) return;`
        Assert.True(await frame.EvaluateAsync<bool>("() => confirm('Cancel order #1042?')"));
        await frame.EvaluateAsync("() => alert('Order cancelled')");
        Assert.Equal("2 items", await frame.EvaluateAsync<string>("() => prompt('How many items?')"));
        Assert.Equal(["confirm: Cancel order #1042?", "alert: Order cancelled", "prompt: How many items?"], dialogs);
    }

    [Fact]
    public async Task A_dismissed_confirm_returns_false()
    {
        var (account, conversation) = await AccountWithConversationAsync();
        await fx.AddAppAsync(account, "Orders", fx.Apps.Url("/app?mode=listen&dialogs=2"));
        var page = await fx.SignedInPageAsync([]);
        page.Dialog += async (_, dialog) => await dialog.DismissAsync();
        await page.OpenConversationAsync(account, conversation);
        await Tab(page, "Orders").ClickAsync();
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        Assert.False(await frame.EvaluateAsync<bool>("() => confirm('Cancel order #1042?')"));
    }

    [Fact]
    public async Task A_tab_clicked_the_moment_it_shows_opens_its_app_every_time()
    {
        var (account, conversation) = await AccountWithConversationAsync();
        await fx.AddAppAsync(account, "Orders", fx.Apps.Url("/app?mode=listen"));
        var page = await fx.SignedInPageAsync([]);
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            // No waiting for the connection: an agent clicks as soon as the tab is painted.
            await page.GotoAsync($"/app/accounts/{account}/conversations/{conversation}", new() { WaitUntil = WaitUntilState.Commit });
            await Tab(page, "Orders").ClickAsync();
            await Expect(Tab(page, "Orders")).ToHaveAttributeAsync("aria-selected", "true", new() { Timeout = 5000 });
            await page.AppFrameAsync("dashboard-app--frame-0-0");
        }
    }

    [Theory]
    [InlineData(1024, 768)]
    [InlineData(1366, 768)]
    [InlineData(390, 844)]
    public async Task Ten_apps_are_all_reachable_with_the_tab_strips_scroll_buttons(int width, int height)
    {
        var (account, conversation) = await AccountWithConversationAsync();
        var titles = Enumerable.Range(1, 10).Select(i => $"Customer app number {i}").ToList();
        foreach (var title in titles) await fx.AddAppAsync(account, title, fx.Apps.Url($"/app?mode=listen&t={Uri.EscapeDataString(title)}"));
        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.SetViewportSizeAsync(width, height);
        await page.OpenConversationAsync(account, conversation);
        var strip = page.Locator(".app-tabs");
        var forward = page.GetByRole(AriaRole.Button, new() { Name = "Scroll tabs right" });
        var back = page.GetByRole(AriaRole.Button, new() { Name = "Scroll tabs left" });
        await Expect(forward).ToBeVisibleAsync();
        await Expect(back).ToBeHiddenAsync();

        // Each tab is reached the way an agent would: scroll buttons only, then a click where the tab is on screen.
        foreach (var title in titles.Append("Messages").Prepend("Messages"))
        {
            var tab = Tab(page, title);
            for (var i = 0; !await FullyInViewAsync(page, tab, strip); i++)
            {
                Assert.True(i < 20, $"“{title}” never came into view");
                var right = (await tab.BoundingBoxAsync())!.X > (await strip.BoundingBoxAsync())!.X;
                await (right ? forward : back).ClickAsync();
                await Task.Delay(50);
            }
            var box = (await tab.BoundingBoxAsync())!;
            // What is at that point is the tab itself (not the contact panel, not a scroll button).
            Assert.True(await tab.EvaluateAsync<bool>("""
                tab => { const r = tab.getBoundingClientRect(); return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest('[role=tab]') === tab; }
                """), $"“{title}” is covered at {width}px");
            await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
            await Expect(tab).ToHaveAttributeAsync("aria-selected", "true");
        }
        // The last app's tab was opened and its frame got its context.
        await Tab(page, titles[^1]).ClickAsync();
        var frame = await page.AppFrameAsync("dashboard-app--frame-9-0");
        await frame.WaitForAsync(r => r.Contexts().Any());
        Assert.Empty(errors);
    }

    private static async Task<bool> FullyInViewAsync(IPage page, ILocator tab, ILocator strip)
    {
        var t = (await tab.BoundingBoxAsync())!;
        var s = (await strip.BoundingBoxAsync())!;
        var viewport = page.ViewportSize!;
        return t.X >= s.X - 0.5 && t.X + t.Width <= s.X + s.Width + 0.5 && t.X + t.Width <= viewport.Width && t.X >= 0;
    }

    [Fact]
    public async Task An_app_that_signs_in_through_another_origin_comes_back_and_gets_its_context_and_a_frame_left_there_gets_nothing()
    {
        // A sign-in origin no app is registered on: only the extra frame origin lets the dashboard show it.
        await using var login = await TestAppServer.StartAsync();
        var loginOrigin = login.Origin.GetLeftPart(UriPartial.Authority);
        var (account, conversation) = await AccountWithConversationAsync();
        var back = fx.Apps.Url("/app?mode=early&signed-in=1");
        var roundTrip = await fx.AddAppAsync(account, "CRM", fx.Apps.Url("/redirect?to=" + Uri.EscapeDataString(login.Url("/redirect?to=" + Uri.EscapeDataString(back)))));
        var staysThere = await fx.AddAppAsync(account, "Billing", fx.Apps.Url("/redirect?to=" + Uri.EscapeDataString(login.Url("/app?mode=early"))));
        using var admin = fx.Server.AdminClient();
        foreach (var app in new[] { roundTrip, staysThere })
            await (await admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{app}/settings",
                HttpAssertions.Json(new { extra_frame_origins = new[] { loginOrigin } }))).ExpectAsync(HttpStatusCode.OK);

        var page = await fx.SignedInPageAsync([]);
        var response = await page.GotoAsync($"/app/accounts/{account}/conversations/{conversation}");
        Assert.Contains(loginOrigin, response!.Headers["content-security-policy"]);
        await page.Locator(".app-tabs[data-interactive]").WaitForAsync();
        await page.WaitForInteractiveAsync();

        await Tab(page, "CRM").ClickAsync();
        var crm = await AppFrameOnAsync(page, "dashboard-app--frame-0-0", fx.Apps.Origin);
        Assert.Equal(back, crm.Url);
        var received = await crm.WaitForAsync(r => r.Contexts().Count() >= 2); // the load's, and the early fetch-info's
        Assert.Equal(conversation, received.Contexts().Last()["conversation"]!["id"]!.GetValue<int>());
        Assert.All(received, r => Assert.Equal(fx.Server.BaseAddress.GetLeftPart(UriPartial.Authority), r!["origin"]!.GetValue<string>()));

        await Tab(page, "Billing").ClickAsync();
        var billing = await AppFrameOnAsync(page, "dashboard-app--frame-1-0", login.Origin);
        await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages",
            HttpAssertions.Json(new { content = "Refund sent" }))).ExpectAsync(HttpStatusCode.OK);
        await billing.EvaluateAsync("() => window.fetchInfo()");
        await Task.Delay(1500);
        Assert.Empty(await billing.ReceivedAsync());
        // The new message did go out: the app back on its own origin gets it when its tab is shown again.
        await Tab(page, "CRM").ClickAsync();
        await crm.WaitForAsync(r => r.Contexts().Any(c => c["conversation"]!["messages"]!.AsArray().Any(m => m!["content"]?.GetValue<string>() == "Refund sent")));
        Assert.Empty(await billing.ReceivedAsync());
    }

    /// <summary>The app frame once the page in it is on <paramref name="origin"/> and listening.</summary>
    private static async Task<IFrame> AppFrameOnAsync(IPage page, string id, Uri origin)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var frame = await page.AppFrameAsync(id);
            if (frame.Url.StartsWith(origin.GetLeftPart(UriPartial.Authority) + "/", StringComparison.Ordinal)) return frame;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"#{id} is on {frame.Url}, not {origin}");
            await Task.Delay(50);
        }
    }
}
