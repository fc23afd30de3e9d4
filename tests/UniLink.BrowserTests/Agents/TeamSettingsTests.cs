using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.Agents;

public class TeamSettingsTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_changes_roles_resets_a_password_and_removes_an_agent_but_not_the_last_administrator()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId, name: "Otto Agent");
        var errors = new List<string>();
        var page = await browser.NewPageAsync(server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{server.AccountId}/settings/agents");
        await page.Locator("[data-interactive=true]").WaitForAsync();

        await page.GetByLabel($"Role of {UniLinkServer.AdminEmail}").SelectOptionAsync("agent");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("An account needs at least one administrator");
        await Assertions.Expect(page.GetByLabel($"Role of {UniLinkServer.AdminEmail}")).ToHaveValueAsync("administrator");

        await page.GetByLabel($"Role of {agent.Email}").SelectOptionAsync("administrator");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        Assert.Equal("administrator", server.Db(db => db.AccountUsers.Single(m => m.UserId == agent.Id).Role));

        var row = page.Locator("tr", new() { HasText = agent.Email });
        await row.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Invitation link")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/app/invitations/"));
        await Assertions.Expect(row).ToContainTextAsync("Invited");

        await row.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Yes, remove" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr", new() { HasText = agent.Email })).ToHaveCountAsync(0);
        Assert.False(server.Db(db => db.AccountUsers.Any(m => m.UserId == agent.Id)));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Administrator_renames_the_account()
    {
        using var server = new UniLinkServer();
        var page = await browser.NewPageAsync(server.BaseAddress, []);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{server.AccountId}/settings/account");
        await page.Locator("[data-interactive=true]").WaitForAsync();
        await page.GetByLabel("Account name").FillAsync("Acme Support");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        Assert.Equal("Acme Support", server.Db(db => db.Accounts.Single(a => a.Id == server.AccountId).Name));
    }

    [Fact]
    public async Task Agent_edits_their_profile_and_resets_their_token_while_staying_signed_in()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        var errors = new List<string>();
        var page = await browser.NewPageAsync(server.BaseAddress, errors);
        await page.SignInAsync(agent.Email, agent.Password);
        await page.GotoAsync($"/app/accounts/{server.AccountId}/profile");
        await page.Locator("[data-interactive=true]").WaitForAsync();

        await page.GetByLabel("Display name").FillAsync("Otto");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save details" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await page.GetByLabel("Availability").SelectOptionAsync("busy");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("You are busy.");
        Assert.Equal(("Otto", "busy"), server.Db(db => db.Users.Where(u => u.Id == agent.Id).Select(u => new { u.DisplayName, u.AvailabilityStatus })
            .AsEnumerable().Select(u => (u.DisplayName, u.AvailabilityStatus)).Single()));

        await page.GetByText("Reset token…").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset token" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("API access token has been reset");
        // The new token is shown this once; only its hash is stored.
        var newToken = await page.GetByLabel("API access token").InputValueAsync();
        Assert.NotEqual(agent.Token, newToken);
        Assert.Equal(UniLink.Infrastructure.Auth.Tokens.Hash(newToken), server.Db(db => db.Users.Single(u => u.Id == agent.Id).AccessTokenHash));
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to your profile" }).ClickAsync();
        // The reset reloaded the page; what is typed before the circuit takes over would be lost.
        await page.Locator("[data-interactive=true]").WaitForAsync();

        await page.GetByLabel("Current password").FillAsync(agent.Password);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("otto-password-2");
        await page.GetByLabel("Confirm new password").FillAsync("otto-password-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password has been changed");
        // Still signed in on this browser after both resets.
        await page.GotoAsync($"/app/accounts/{server.AccountId}/conversations");
        Assert.EndsWith("/conversations", page.Url);
        Assert.Empty(errors);
    }
}
