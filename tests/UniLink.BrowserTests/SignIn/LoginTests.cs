using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.SignIn;

public class LoginTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_signs_in_and_lands_on_conversations()
    {
        using var server = new UniLinkServer();
        var errors = new List<string>();
        var page = await browser.NewPageAsync(server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        Assert.EndsWith($"/app/accounts/{server.AccountId}/conversations", page.Url);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_and_stays_signed_out()
    {
        using var server = new UniLinkServer();
        var page = await browser.NewPageAsync(server.BaseAddress, []);
        await page.GotoAsync("/app/login");
        await page.Locator("input[type=email]").FillAsync(UniLinkServer.AdminEmail);
        await page.Locator("input[type=password]").FillAsync("wrong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid login credentials");
        await page.GotoAsync($"/app/accounts/{server.AccountId}/conversations");
        Assert.Contains("/app/login", page.Url);
    }
}
