using System.Net;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps.Audit;

/// <summary>Settings › Audit log: what an app on another origin did in a conversation is there for administrators, filterable.</summary>
public sealed class AppAuditLogPageTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    [Fact]
    public async Task An_action_performed_by_an_app_and_the_context_it_received_show_in_the_audit_log_page()
    {
        var account = await fx.NewAccountAsync();
        var app = await fx.AddAppAsync(account, "Tagger", fx.Apps.Url("/app?mode=listen&a=tagger"));
        await fx.AddAppAsync(account, "Quiet", fx.Apps.Url("/app?mode=listen&a=quiet"));
        using var admin = fx.Server.AdminClient();
        await (await admin.PutAsync($"/api/v1/accounts/{account}/dashboard_apps/{app}/permissions", HttpAssertions.Json(new { permissions = new[] { "add_labels" } })))
            .ExpectAsync(HttpStatusCode.OK);
        var conversation = (await admin.CreateConversationAsync(account))["id"]!.GetValue<int>();

        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.OpenConversationAsync(account, conversation);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Tagger", Exact = true }).ClickAsync();
        var frameId = await page.Locator($"iframe[data-app-id='{app}']").GetAttributeAsync("id");
        var frame = await page.AppFrameAsync(frameId!);
        await frame.WaitForAsync(r => r.Contexts().Any());
        await frame.EvaluateAsync("() => window.parent.postMessage(JSON.stringify({ event: 'unilink:action', id: 'a1', action: 'add_labels', payload: { labels: ['audited'] } }), '*')");
        var received = await frame.WaitForAsync(r => r.Any(m => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result"));
        Assert.True(received.Last(m => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result")!["data"]!["ok"]!.GetValue<bool>());

        await page.GotoAsync($"/app/accounts/{account}/settings/audit-log");
        await Expect(page.Locator("section.audit-log[data-interactive='true']")).ToBeVisibleAsync();
        var performed = page.Locator("tr[data-event='action_performed']");
        await Expect(performed).ToHaveCountAsync(1);
        await Expect(performed).ToContainTextAsync("Tagger");
        await Expect(performed).ToContainTextAsync($"#{conversation}");
        await Expect(performed).ToContainTextAsync("add_labels");
        await Expect(performed).ToContainTextAsync("audited");
        await Expect(performed).ToContainTextAsync("ok");
        await Expect(performed).ToContainTextAsync(fx.Server.Db(db => db.Users.First(u => u.Email == UniLinkServer.AdminEmail).Name));
        await Expect(page.Locator("tr[data-event='context_received']")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-event='context_received']")).ToContainTextAsync("Tagger");

        // Filtered to the other conversation: nothing; back to this one: the action is there.
        var filters = page.GetByRole(AriaRole.Search, new() { Name = "Filter the audit log" });
        await filters.GetByLabel("Conversation").FillAsync((conversation + 1000).ToString());
        await filters.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.GetByText("Nothing recorded that matches")).ToBeVisibleAsync();
        await filters.GetByLabel("Conversation").FillAsync(conversation.ToString());
        await filters.GetByLabel("App").SelectOptionAsync(new SelectOptionValue { Label = "Tagger" });
        await filters.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(performed).ToHaveCountAsync(1);
        Assert.DoesNotContain(errors, e => !e.Contains("favicon"));
    }
}
