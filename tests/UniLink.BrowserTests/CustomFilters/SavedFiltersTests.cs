using System.Net;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.BrowserTests.CustomFilters;

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

    [Fact]
    public async Task The_list_s_filters_are_saved_as_a_view_in_the_reference_s_shape_then_renamed_and_deleted()
    {
        using var admin = _server.AdminClient();
        var account = _server.AccountId;
        string P(string rest) => $"/api/v1/accounts/{account}/{rest}";
        await (await admin.PostAsync(P("labels"), Json(new { title = "vip" }))).ExpectAsync(HttpStatusCode.OK);
        var ids = new Dictionary<string, int>();
        foreach (var (name, vip, resolved) in new[] { ("Open Vip", true, false), ("Plain Customer", false, false), ("Resolved Vip", true, true) })
        {
            var id = ids[name] = (await admin.CreateConversationAsync(account, name, "Hello"))["id"]!.GetValue<int>();
            if (vip) await (await admin.PostAsync(P($"conversations/{id}/labels"), Json(new { labels = new[] { "vip" } }))).ExpectAsync(HttpStatusCode.OK);
            if (resolved) await (await admin.PostAsync(P($"conversations/{id}/toggle_status"), Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
        }
        var adminId = _server.AdminUserId;
        var second = await _server.CreateAccountAsync("Second", adminId);

        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{account}/conversations");
        await page.WaitForInteractiveAsync();
        var rows = page.GetByRole(AriaRole.List, new() { Name = "Conversations" }).GetByRole(AriaRole.Listitem);
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Saved filter" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Label" }).SelectOptionAsync(new SelectOptionValue { Label = "vip" });
        await page.WaitForAddressAsync(url => url.Contains("labels=vip"));
        await Expect(rows).ToHaveCountAsync(1);

        // A blank name is refused with the rule's own words; then the view is saved and shown.
        await page.GetByRole(AriaRole.Button, new() { Name = "Save view" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "View name" }).FillAsync("   ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Name can't be blank");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "View name" }).FillAsync("Open VIPs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await page.WaitForAddressAsync(url => url.Contains("custom_filter="));
        var savedFilter = page.GetByRole(AriaRole.Combobox, new() { Name = "Saved filter" });
        await Expect(savedFilter.Locator("option:checked")).ToHaveTextAsync("Open VIPs");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Open Vip");

        // What the reference's clients read: the list's filters as its filter payload; the user's own, in this account only.
        var views = (await (await admin.GetAsync(P("custom_filters"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        var view = Assert.Single(views)!;
        Assert.Equal("Open VIPs", view["name"]!.GetValue<string>());
        Assert.Equal("""{"payload":[{"attribute_key":"status","filter_operator":"equal_to","values":["open"],"query_operator":"and"},"""
            + """{"attribute_key":"labels","filter_operator":"equal_to","values":["vip"],"query_operator":null}]}""", view["query"]!.ToJsonString());
        Assert.Empty((await (await admin.GetAsync($"/api/v1/accounts/{second}/custom_filters")).ExpectAsync(HttpStatusCode.OK))!.AsArray());
        var filtered = await (await admin.PostAsync(P("conversations/filter"), Json(view["query"]!))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([ids["Open Vip"]], filtered!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()));

        // Renamed, then deleted: the list goes back to its own filters.
        await page.GetByRole(AriaRole.Button, new() { Name = "Rename view" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "View name" })).ToHaveValueAsync("Open VIPs");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "View name" }).FillAsync("VIP queue");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rename", Exact = true }).ClickAsync();
        await Expect(savedFilter.Locator("option:checked")).ToHaveTextAsync("VIP queue");
        Assert.Equal("VIP queue", (await (await admin.GetAsync(P("custom_filters"))).ExpectAsync(HttpStatusCode.OK))![0]!["name"]!.GetValue<string>());
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete view" }).ClickAsync();
        await page.WaitForAddressAsync(url => !url.Contains("custom_filter="));
        await Expect(savedFilter).ToHaveCountAsync(0);
        Assert.Empty((await (await admin.GetAsync(P("custom_filters"))).ExpectAsync(HttpStatusCode.OK))!.AsArray());
        Assert.Empty(errors);
    }
}
