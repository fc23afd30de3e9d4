using System.Text.Json;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.DashboardApps;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.Security;

/// <summary>
/// An app stored on the dashboard's own origin (from before the rule, or written past the API) is not framed:
/// the page's frame-src does not list its own origin, so the browser refuses it and nothing of the dashboard leaks.
/// </summary>
public class SameOriginAppTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_browser_refuses_to_frame_an_app_on_the_dashboards_own_origin()
    {
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        var conversation = (await admin.CreateConversationAsync(server.AccountId))["id"]!.GetValue<int>();
        await server.DbAsync(async db =>
        {
            var now = UnixTime.Now();
            db.DashboardApps.Add(new DashboardApp
            {
                AccountId = server.AccountId, Title = "Inside", CreatedAt = now, UpdatedAt = now,
                Content = JsonSerializer.Serialize(new[] { new { type = "frame", url = new Uri(server.BaseAddress, "/app/login").ToString() } }),
            });
            return await db.SaveChangesAsync();
        });
        var page = await browser.NewPageAsync(server.BaseAddress, []);
        var refusals = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("frame-src")) refusals.Add(m.Text); };
        await page.SignInAsAdminAsync();
        await page.OpenConversationAsync(server.AccountId, conversation);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Inside" }).ClickAsync();
        var iframe = page.Locator("#dashboard-app--frame-0-0");
        await Assertions.Expect(iframe).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^https?://"));
        await page.WaitForTimeoutAsync(1500);

        var frame = await (await iframe.ElementHandleAsync()).ContentFrameAsync();
        Assert.NotNull(frame);
        Assert.False(await IsDashboardAsync(frame!), "the dashboard's own page loaded inside the app frame");
        Assert.NotEmpty(refusals);
    }

    private static async Task<bool> IsDashboardAsync(IFrame frame)
    {
        try
        {
            return await frame.EvaluateAsync<bool>("() => !!document.querySelector('input[type=password]')");
        }
        catch (PlaywrightException)
        {
            return false; // an error page the test cannot even read
        }
    }
}
