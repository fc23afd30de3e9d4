using System.Net;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.Security;

/// <summary>A dashboard that is already open keeps no right its user has lost since it opened.</summary>
public class OpenDashboardRightsTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>An agent who works the inbox, signed in, with a conversation of it open.</summary>
    private async Task<(TestUser Agent, int ConversationId, IPage Page)> AgentWithOpenConversationAsync(UniLinkServer server, HttpClient admin)
    {
        var conversation = await admin.CreateConversationAsync(server.AccountId);
        var id = conversation["id"]!.GetValue<int>();
        var agent = await server.CreateUserAsync(server.AccountId);
        await admin.AddInboxMemberAsync(server.AccountId, conversation["inbox_id"]!.GetValue<int>(), agent.Id);
        var page = await browser.NewPageAsync(server.BaseAddress, []);
        await page.SignInAsync(agent.Email, agent.Password);
        await page.OpenConversationAsync(server.AccountId, id);
        await Expect(page.Locator("article").GetByText("Hello, where is my order?")).ToBeVisibleAsync();
        return (agent, id, page);
    }

    [Fact]
    public async Task A_removed_agents_open_conversation_closes_and_shows_nothing_new()
    {
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        var (agent, id, page) = await AgentWithOpenConversationAsync(server, admin);

        await (await admin.DeleteAsync($"/api/v1/accounts/{server.AccountId}/agents/{agent.Id}")).ExpectAsync(HttpStatusCode.OK);
        // A message at once gets to the open page no more; within seconds the page loads again, showing no conversation.
        await (await admin.PostAsync($"/api/v1/accounts/{server.AccountId}/conversations/{id}/messages",
            HttpAssertions.Json(new { content = "Sent after the removal", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await page.WaitForTimeoutAsync(1000);
        Assert.DoesNotContain("Sent after the removal", await page.ContentAsync());
        await page.WaitForAddressAsync(url => url.Contains("/app/login"));
        await Expect(page.Locator("article").GetByText("Hello, where is my order?")).ToHaveCountAsync(0);
        await (await admin.PostAsync($"/api/v1/accounts/{server.AccountId}/conversations/{id}/messages",
            HttpAssertions.Json(new { content = "Sent later still", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await page.WaitForTimeoutAsync(1000);
        Assert.DoesNotContain("Sent later still", await page.ContentAsync());
    }

    [Fact]
    public async Task An_agent_signed_out_everywhere_by_an_administrator_loses_the_open_dashboard_at_once()
    {
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        var (agent, id, page) = await AgentWithOpenConversationAsync(server, admin);

        await (await admin.DeleteAsync($"/api/v1/accounts/{server.AccountId}/agents/{agent.Id}/sessions")).ExpectAsync(HttpStatusCode.OK);
        await page.WaitForAddressAsync(url => url.Contains("/app/login"));
        // The cookie the browser still holds names a session that no longer exists.
        await page.GotoAsync($"/app/accounts/{server.AccountId}/conversations/{id}");
        await page.WaitForAddressAsync(url => url.Contains("/app/login"));
        await Expect(page.Locator("article").GetByText("Hello, where is my order?")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_demoted_administrators_open_settings_page_cannot_rotate_a_secret()
    {
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        await (await admin.PostAsync($"/api/v1/accounts/{server.AccountId}/dashboard_apps",
            HttpAssertions.Json(new { dashboard_app = new { title = "CRM", content = new[] { new { type = "frame", url = "https://crm.example.com/app" } } } })))
            .ExpectAsync(HttpStatusCode.OK);
        var second = await server.CreateUserAsync(server.AccountId, Roles.Administrator);
        var page = await browser.NewPageAsync(server.BaseAddress, []);
        await page.SignInAsync(second.Email, second.Password);
        await page.GotoAsync($"/app/accounts/{server.AccountId}/settings/integrations/dashboard_apps");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Signing secret for CRM" }).ClickAsync();

        await (await admin.PatchAsync($"/api/v1/accounts/{server.AccountId}/agents/{second.Id}",
            HttpAssertions.Json(new { role = "agent" }))).ExpectAsync(HttpStatusCode.OK);
        // The open page either follows the change at once (Not authorized) or refuses the write; it never writes.
        var generate = page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Generate a secret" });
        try { await generate.ClickAsync(new() { Timeout = 2000 }); }
        catch (PlaywrightException) { } // already gone: the page shows Not authorized
        await Expect(page.GetByText("Not authorized").Or(page.GetByText("You are no longer an administrator of this account."))).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500);
        Assert.Null(server.Db(db => db.DashboardApps.Select(a => a.SecretCiphertext).Single()));
    }
}
