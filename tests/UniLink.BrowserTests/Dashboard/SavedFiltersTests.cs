using System.Net;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.BrowserTests.Dashboard;

/// <summary>A user's saved conversation filters (…/custom_filters) in the dashboard's conversation list.</summary>
public sealed class SavedFiltersTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly UniLinkServer _server = new();
    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Choosing_a_saved_filter_lists_the_conversations_its_conditions_match_in_every_status()
    {
        using var admin = _server.AdminClient();
        var account = _server.AccountId;
        string P(string rest) => $"/api/v1/accounts/{account}/{rest}";
        var vip = (await admin.CreateConversationAsync(account, "Vip Customer", "Where is my order?"))["id"]!.GetValue<int>();
        await admin.CreateConversationAsync(account, "Plain Customer", "Just asking");
        await (await admin.PostAsync(P("labels"), Json(new { title = "vip" }))).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostAsync(P($"conversations/{vip}/labels"), Json(new { labels = new[] { "vip" } }))).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostAsync(P($"conversations/{vip}/toggle_status"), Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
        var saved = (await (await admin.PostAsync(P("custom_filters"), Json(new
        {
            custom_filter = new
            {
                name = "VIP only", filter_type = "conversation",
                query = new { payload = new[] { new { attribute_key = "labels", filter_operator = "equal_to", values = new[] { "vip" } } } },
            },
        }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();

        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{account}/conversations");
        await page.WaitForInteractiveAsync();
        var rows = page.GetByRole(AriaRole.List, new() { Name = "Conversations" }).GetByRole(AriaRole.Listitem);
        await Expect(rows).ToHaveCountAsync(1); // the open one: the VIP conversation is resolved
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Saved filter" }).SelectOptionAsync(new SelectOptionValue { Label = "VIP only" });
        await page.WaitForAddressAsync(url => url.Contains($"custom_filter={saved}"));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Vip Customer");

        // Back to no saved filter: the list's own filters again.
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Saved filter" }).SelectOptionAsync(new SelectOptionValue { Label = "No saved filter" });
        await page.WaitForAddressAsync(url => !url.Contains("custom_filter="));
        await Expect(rows).ToHaveCountAsync(2);

        // A filter that is not the user's (or no longer exists) says so instead of listing anything.
        await page.GotoAsync($"/app/accounts/{account}/conversations?custom_filter=999999");
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This saved filter no longer exists.");
        Assert.Empty(errors);
    }
}
