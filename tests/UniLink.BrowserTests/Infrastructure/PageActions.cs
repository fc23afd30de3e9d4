using Microsoft.Playwright;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.Infrastructure;

public static class PageActions
{
    /// <summary>Signs in through the real login form and waits for the dashboard.</summary>
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/app/login");
        await page.Locator("input[type=email]").FillAsync(email);
        await page.Locator("input[type=password]").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForAddressAsync(url => !url.Contains("/app/login"));
    }

    /// <summary>
    /// Waits until the page's address satisfies <paramref name="matches"/>. Not WaitForURLAsync: when the address
    /// already matches, that waits for a load event it can miss and times out (microsoft/playwright-dotnet#3364).
    /// </summary>
    public static async Task WaitForAddressAsync(this IPage page, Func<string, bool> matches)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!matches(page.Url))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The page's address is still {page.Url}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the page's Blazor circuit is connected, so clicks reach their handlers.</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("[data-circuit=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Opens a conversation in the dashboard and waits until its app tabs and its circuit are ready.</summary>
    public static async Task OpenConversationAsync(this IPage page, int account, int conversation)
    {
        await page.GotoAsync($"/app/accounts/{account}/conversations/{conversation}");
        await page.Locator(".app-tabs[data-interactive]").WaitForAsync();
        await page.WaitForInteractiveAsync();
    }

    public static Task SignInAsAdminAsync(this IPage page) =>
        page.SignInAsync(UniLinkServer.AdminEmail, UniLinkServer.AdminPassword);
}
