using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.BrowserTests.Teams;

public sealed class TeamsInDashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly UniLinkServer _server = new();
    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task An_agent_hands_a_conversation_to_a_team_in_the_header_and_the_list_filters_by_team()
    {
        using var admin = _server.AdminClient();
        var account = _server.AccountId;
        var team = (await (await admin.PostAsync($"/api/v1/accounts/{account}/teams", Json(new { name = "Billing" }))).ExpectAsync(System.Net.HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var routed = (await admin.CreateConversationAsync(account, "Team Customer", "Invoice question"))["id"]!.GetValue<int>();
        await admin.CreateConversationAsync(account, "Other Customer", "Shipping question");

        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.OpenConversationAsync(account, routed);
        var header = page.Locator(".conversation-header");
        await header.GetByRole(AriaRole.Combobox, new() { Name = "Team" }).SelectOptionAsync(new SelectOptionValue { Label = "billing" });
        await Expect(page.Locator(".message.activity").Last).ToContainTextAsync("Assigned to billing by Administrator");
        Assert.Equal(team, _server.Db(db => db.Conversations.Single(c => c.AccountId == account && c.DisplayId == routed).TeamId));

        await page.GotoAsync($"/app/accounts/{account}/conversations");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Team" }).SelectOptionAsync(new SelectOptionValue { Label = "billing" });
        await page.WaitForAddressAsync(url => url.Contains($"team_id={team}"));
        var rows = page.GetByRole(AriaRole.List, new() { Name = "Conversations" }).GetByRole(AriaRole.Listitem);
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Team Customer");
        Assert.Empty(errors);
    }
}
