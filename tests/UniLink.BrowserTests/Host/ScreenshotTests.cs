using System.Net;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.Host;

/// <summary>
/// The main screens on the demo data. Writes PNGs to UNILINK_SCREENSHOTS_DIR (scripts/screenshots points it at
/// docs/screenshots) or to a temporary folder, so an ordinary test run never changes the docs.
/// </summary>
public sealed class ScreenshotTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_main_screens_render_on_the_demo_data()
    {
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_DEMO"] = "1" });
        var dir = Environment.GetEnvironmentVariable("UNILINK_SCREENSHOTS_DIR") is { Length: > 0 } d ? d
            : Path.Combine(Path.GetTempPath(), "unilink-screenshots");
        Directory.CreateDirectory(dir);
        var account = server.AccountId;
        var (maria, inbox) = server.Db(db => db.Conversations.Where(c => c.AccountId == account && c.DisplayId == 1)
            .Select(c => new { c.ContactId, c.InboxId }).Single()) is var m ? (m.ContactId, m.InboxId) : default;
        using (var admin = server.AdminClient())
        {
            // An earlier, resolved conversation of the same contact, for the contact panel's history.
            var earlier = (await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations",
                HttpAssertions.Json(new { inbox_id = inbox, contact_id = maria }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
            await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{earlier}/messages",
                HttpAssertions.Json(new { content = "Can I change the delivery address of SO-0988?", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
            await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{earlier}/toggle_status",
                HttpAssertions.Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
            // A registered app, for the settings page.
            await (await admin.PostAsync($"/api/v1/accounts/{account}/dashboard_apps",
                HttpAssertions.Json(new { title = "Orders & payments", content = new[] { new { type = "frame", url = "https://orders.example.com/unilink?email={{contact.email}}" } } })))
                .ExpectAsync(HttpStatusCode.OK);
        }

        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.SignInAsAdminAsync();
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Conversations" }).GetByRole(AriaRole.Listitem).First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "conversations.png") });

        await page.GotoAsync($"/app/accounts/{account}/conversations/1");
        await page.WaitForInteractiveAsync();
        var panel = page.GetByRole(AriaRole.Complementary, new() { Name = "Contact" });
        await Expect(panel.Locator(".previous-conversations a")).ToHaveCountAsync(1);
        await Expect(page.Locator(".messages .message").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "conversation.png") });
        await panel.ScreenshotAsync(new() { Path = Path.Combine(dir, "contact-panel.png") });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Save contact" })).ToBeVisibleAsync();
        await panel.ScreenshotAsync(new() { Path = Path.Combine(dir, "contact-panel-edit.png") });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await page.GotoAsync($"/app/accounts/{account}/settings/integrations/dashboard_apps");
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Orders & payments", Exact = true })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "settings-dashboard-apps.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Orders & payments" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByText("Where and to whom it shows")).ToBeVisibleAsync();
        await dialog.ScreenshotAsync(new() { Path = Path.Combine(dir, "settings-dashboard-app-dialog.png") });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await page.GotoAsync($"/app/accounts/{account}/conversations/1");
        await page.WaitForInteractiveAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Dark theme" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "conversation-dark.png") });
        await page.GotoAsync($"/app/accounts/{account}/conversations?status=all");
        await page.WaitForInteractiveAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "conversations-dark.png") });

        foreach (var name in new[] { "conversations", "conversation", "contact-panel", "contact-panel-edit", "conversation-dark", "conversations-dark", "settings-dashboard-apps", "settings-dashboard-app-dialog" })
            Assert.True(new FileInfo(Path.Combine(dir, name + ".png")).Length > 10_000, name);
        await context.CloseAsync();
    }
}
