using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.Inboxes;

/// <summary>An agent's dashboard lists, counts and opens only the conversations of the inboxes they work.</summary>
public class InboxVisibilityDashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_agent_sees_only_their_inboxes_conversations_and_cannot_open_another_inboxs()
    {
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        var account = server.AccountId;
        var theirs = await admin.CreateConversationAsync(account, "Visible Customer", "A question for my agent");
        var hidden = await admin.CreateConversationAsync(account, "Hidden Customer", "A question for billing");
        var agent = await server.CreateUserAsync(account, Roles.Agent, "Ina Agent");
        await admin.AddInboxMemberAsync(account, theirs["inbox_id"]!.GetValue<int>(), agent.Id);

        var page = await browser.NewPageAsync(server.BaseAddress, []);
        await page.SignInAsync(agent.Email, agent.Password);
        await page.GotoAsync($"/app/accounts/{account}/conversations");
        await page.WaitForInteractiveAsync();
        var rows = page.GetByRole(AriaRole.List, new() { Name = "Conversations", Exact = true }).GetByRole(AriaRole.Listitem);
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Visible Customer");
        await Expect(page.Locator(".assignee-tabs [data-count=all]")).ToHaveTextAsync("1");
        // The inbox filter offers only their inbox.
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Inbox" }).Locator("option")).ToHaveCountAsync(2);

        await page.GotoAsync($"/app/accounts/{account}/conversations/{hidden["id"]}");
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Conversation not found" })).ToBeVisibleAsync();
        Assert.DoesNotContain("A question for billing", await page.ContentAsync());

        // Made a member of that inbox, they open it.
        await admin.AddInboxMemberAsync(account, hidden["inbox_id"]!.GetValue<int>(), agent.Id);
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("article").GetByText("A question for billing")).ToBeVisibleAsync();
    }
}
