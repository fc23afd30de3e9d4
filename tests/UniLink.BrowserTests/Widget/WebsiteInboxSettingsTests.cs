using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.Widget;

public sealed class WebsiteInboxSettingsTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly UniLinkServer _server = new();
    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task An_administrator_creates_a_website_inbox_and_its_page_shows_the_snippet_to_paste()
    {
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{_server.AccountId}/settings/inboxes");
        await page.WaitForInteractiveAsync();

        var form = page.Locator("form.new-website-inbox");
        await form.GetByLabel("Website name").FillAsync("Shop site");
        await form.GetByLabel("Website URL").FillAsync("https://shop.example.com");
        await form.GetByLabel("Welcome heading").FillAsync("Hello from the shop");
        await form.GetByLabel("Allowed domains").FillAsync("shop.example.com");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create website inbox" }).ClickAsync();

        var snippet = page.Locator("pre.widget-snippet");
        await Expect(snippet).ToBeVisibleAsync();
        var token = _server.Db(db => db.Inboxes.Where(i => i.Name == "Shop site").Select(i => i.InboxIdentifier).Single());
        var origin = _server.BaseAddress.GetLeftPart(UriPartial.Authority);
        await Expect(snippet).ToContainTextAsync($"var BASE_URL=\"{origin}\";");
        await Expect(snippet).ToContainTextAsync($"websiteToken: '{token}'");
        await Expect(snippet).ToContainTextAsync("/packs/js/sdk.js");
        var stored = _server.Db(db => db.Inboxes.Single(i => i.Name == "Shop site"));
        Assert.Equal("Hello from the shop", stored.WelcomeTitle);
        Assert.Equal("shop.example.com", stored.AllowedDomains);

        // A bad allowed domain is refused with a message, nothing changes.
        var edit = page.Locator("section.website-inbox form");
        await edit.GetByLabel("Allowed domains").FillAsync("<b>evil</b>");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("allowed domains");
        Assert.Equal("shop.example.com", _server.Db(db => db.Inboxes.Single(i => i.Name == "Shop site")).AllowedDomains);
        await edit.GetByLabel("Enforce identity verification").CheckAsync();
        await edit.GetByLabel("Allowed domains").FillAsync("shop.example.com\n*.example.org");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        stored = _server.Db(db => db.Inboxes.Single(i => i.Name == "Shop site"));
        Assert.True(stored.HmacMandatory);
        Assert.Equal("shop.example.com\n*.example.org", stored.AllowedDomains);
        Assert.Empty(errors);
    }
}
