using Microsoft.Playwright;

namespace UniLink.BrowserTests.Infrastructure;

/// <summary>One headless Debian Chromium for a test class; each test gets its own context (cookies, storage).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright?.Dispose();
    }

    /// <summary>A fresh page whose uncaught script errors fail the test (collected in <paramref name="errors"/>).</summary>
    public async Task<IPage> NewPageAsync(Uri baseUrl, List<string> errors)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString() });
        var page = await context.NewPageAsync();
        page.PageError += (_, e) => errors.Add(e);
        return page;
    }
}
