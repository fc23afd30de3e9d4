using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps.Platform;

/// <summary>An app visible to a chosen team, on another origin: an agent outside the audience never gets its tab, its
/// context, a token or an action, even by forging a frame for it in their own page.</summary>
public sealed class AppAudienceTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    private static ILocator Tab(IPage page, string title) => page.GetByRole(AriaRole.Tab, new() { Name = title, Exact = true });

    [Fact]
    public async Task An_agent_outside_the_audience_sees_no_tab_and_a_forged_frame_gets_no_context_and_no_action()
    {
        var account = await fx.NewAccountAsync();
        await fx.AddAppAsync(account, "CRM", fx.Apps.Url("/app?mode=listen&a=crm"));
        var payroll = await fx.AddAppAsync(account, "Payroll", fx.Apps.Url("/app?mode=listen&a=payroll"));
        using var admin = fx.Server.AdminClient();
        var created = await admin.CreateConversationAsync(account);
        var conversation = created["id"]!.GetValue<int>();
        var inside = await fx.Server.CreateUserAsync(account, name: "Ina Inside");
        var outside = await fx.Server.CreateUserAsync(account, name: "Otto Outside");
        foreach (var agent in new[] { inside, outside })
            await admin.AddInboxMemberAsync(account, created["inbox_id"]!.GetValue<int>(), agent.Id);
        var team = (await (await admin.PostAsync($"/api/v1/accounts/{account}/teams", HttpAssertions.Json(new { name = "payroll" }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        await (await admin.PostAsync($"/api/v1/accounts/{account}/teams/{team}/team_members", HttpAssertions.Json(new { user_ids = new[] { inside.Id } })))
            .ExpectAsync(HttpStatusCode.OK);
        await (await admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{payroll}/settings",
            HttpAssertions.Json(new { visible_to = "selected", visible_to_team_ids = new[] { team }, permissions = new[] { "add_private_note" } }))).ExpectAsync(HttpStatusCode.OK);

        var page = await fx.Browser.NewPageAsync(fx.Server.BaseAddress, []);
        await page.SignInAsync(outside.Email, outside.Password);
        await page.OpenConversationAsync(account, conversation);
        await Expect(Tab(page, "CRM")).ToBeVisibleAsync();
        await Expect(Tab(page, "Payroll")).ToHaveCountAsync(0);
        Assert.Equal(0, await page.Locator($"iframe[data-app-id='{payroll}']").CountAsync());

        // The agent forges a frame for the app in their own page, handed to the dashboard's bridge as the app's frame.
        await page.EvaluateAsync("""
            async ([appId, url]) => {
              const bridge = await import('/Features/DashboardApps/Embedding/DashboardAppTabs.razor.js');
              const box = document.createElement('div');
              box.innerHTML = `<iframe id="forged" data-app-id="${appId}" data-src="${url}"></iframe>`;
              document.body.appendChild(box);
              bridge.registerFramesIn(box);
            }
            """, new object[] { payroll, fx.Apps.Url("/app?mode=listen&a=payroll") });
        var forged = await page.AppFrameAsync("forged");
        await forged.EvaluateAsync("() => window.fetchInfo()");
        await forged.EvaluateAsync("() => window.parent.postMessage(JSON.stringify({ event: 'unilink:action', id: 'x1', action: 'add_private_note', payload: { content: 'forged note' } }), '*')");
        var received = await forged.WaitForAsync(r => r.Any(m => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result"));
        var result = received.Last(m => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result")!["data"]!;
        Assert.False(result["ok"]!.GetValue<bool>());
        // Time for a context to arrive, were one ever to be sent.
        await Task.Delay(1500);
        Assert.Empty((await forged.ReceivedAsync()).Contexts());
        Assert.False(fx.Server.Db(db => db.Messages.Any(m => m.Content == "forged note")));

        // The team's member gets the tab and the context.
        var insidePage = await fx.Browser.NewPageAsync(fx.Server.BaseAddress, []);
        await insidePage.SignInAsync(inside.Email, inside.Password);
        await insidePage.OpenConversationAsync(account, conversation);
        await Tab(insidePage, "Payroll").ClickAsync();
        var frameId = await insidePage.Locator($"iframe[data-app-id='{payroll}']").GetAttributeAsync("id");
        var frame = await insidePage.AppFrameAsync(frameId!);
        var contexts = (await frame.WaitForAsync(r => r.Contexts().Any())).Contexts();
        Assert.Equal(conversation, contexts.Last()["conversation"]!["id"]!.GetValue<int>());
    }
}
