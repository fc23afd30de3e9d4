using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.Agents;

public class InvitationFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Invited_agent_sets_a_password_signs_in_and_sees_conversations_but_not_administration()
    {
        using var server = new UniLinkServer();
        var errors = new List<string>();
        var accountId = server.AccountId;

        var admin = await browser.NewPageAsync(server.BaseAddress, errors);
        await admin.SignInAsAdminAsync();
        await admin.GotoAsync($"/app/accounts/{accountId}/settings/agents");
        await admin.Locator("[data-interactive=true]").WaitForAsync();
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync("Nadia Agent");
        await admin.GetByLabel("Email", new() { Exact = true }).FillAsync("nadia@example.com");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add agent" }).ClickAsync();
        var link = admin.GetByLabel("Invitation link");
        await Assertions.Expect(link).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/app/invitations/"));
        var invitationUrl = await link.InputValueAsync();
        await Assertions.Expect(admin.Locator("tr", new() { HasText = "nadia@example.com" })).ToContainTextAsync("Invited");

        var agent = await browser.NewPageAsync(server.BaseAddress, errors);
        await agent.GotoAsync(invitationUrl);
        await agent.GetByLabel("Password", new() { Exact = true }).FillAsync("nadia-password-1");
        await agent.GetByLabel("Confirm password").FillAsync("nadia-password-1");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Your password is set" })).ToBeVisibleAsync();

        await agent.SignInAsync("nadia@example.com", "nadia-password-1");
        Assert.EndsWith($"/app/accounts/{accountId}/conversations", agent.Url);
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Conversations" })).ToBeVisibleAsync();

        // Agents see no settings entry, and reaching administrators' pages directly shows "Not authorized".
        await Assertions.Expect(agent.GetByRole(AriaRole.Link, new() { Name = "Integrations" })).ToHaveCountAsync(0);
        await agent.GotoAsync($"/app/accounts/{accountId}/settings/integrations/dashboard_apps");
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Not authorized" })).ToBeVisibleAsync();
        await Assertions.Expect(agent.GetByRole(AriaRole.Button, new() { Name = "Add a new dashboard app" })).ToHaveCountAsync(0);
        await agent.GotoAsync($"/app/accounts/{accountId}/settings/agents");
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Not authorized" })).ToBeVisibleAsync();
        await Assertions.Expect(agent.GetByRole(AriaRole.Button, new() { Name = "Add agent" })).ToHaveCountAsync(0);

        // The link was for one use only.
        await agent.GotoAsync(invitationUrl);
        await Assertions.Expect(agent.GetByText("expired or has already been used")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }
}
