using System.Net;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.Conversations;

public sealed class DashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly UniLinkServer _server = new();
    public void Dispose() => _server.Dispose();

    private async Task<(IPage Page, int Conversation, List<string> Errors)> OpenConversationAsync(string contact = "Maria Lopez", string message = "Where is order #1042?")
    {
        using var admin = _server.AdminClient();
        var conversation = (await admin.CreateConversationAsync(_server.AccountId, contact, message))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{_server.AccountId}/conversations/{conversation}");
        await page.WaitForInteractiveAsync();
        return (page, conversation, errors);
    }

    [Fact]
    public async Task The_list_shows_open_conversations_newest_first_and_opens_one()
    {
        using var admin = _server.AdminClient();
        await admin.CreateConversationAsync(_server.AccountId, "Older Customer", "first");
        await admin.CreateConversationAsync(_server.AccountId, "Newer Customer", "second");
        var page = await browser.NewPageAsync(_server.BaseAddress, []);
        await page.SignInAsAdminAsync();
        var rows = page.GetByRole(AriaRole.List, new() { Name = "Conversations" }).GetByRole(AriaRole.Listitem);
        await Expect(rows.First).ToContainTextAsync("Newer Customer");
        await Expect(rows.Nth(1)).ToContainTextAsync("Older Customer");
        // A click while the prerendered list is being replaced by the interactive one can be lost.
        await page.WaitForInteractiveAsync();
        await rows.First.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Newer Customer");
    }

    [Fact]
    public async Task An_agent_replies_and_writes_a_private_note_and_both_are_stored()
    {
        var (page, conversation, errors) = await OpenConversationAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("It ships today.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator(".message.outgoing")).ToContainTextAsync("It ships today.");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Private note" }).CheckAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Private note" }).FillAsync("VIP customer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(page.Locator(".message.private-note")).ToContainTextAsync("VIP customer");
        var stored = _server.Db(db => db.Messages.Where(m => m.Content == "VIP customer" || m.Content == "It ships today.")
            .Select(m => new { m.Content, m.Private }).ToList());
        Assert.Contains(stored, m => m.Content == "It ships today." && !m.Private);
        Assert.Contains(stored, m => m.Content == "VIP customer" && m.Private);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Resolving_shows_the_activity_and_the_new_status()
    {
        var (page, conversation, _) = await OpenConversationAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(page.Locator(".conversation-header .status-badge")).ToHaveTextAsync("resolved");
        await Expect(page.Locator(".message.activity")).ToContainTextAsync("Conversation was marked resolved by Administrator");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reopen" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_message_posted_through_the_api_appears_without_a_reload()
    {
        var (page, conversation, _) = await OpenConversationAsync();
        using var admin = _server.AdminClient();
        await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/conversations/{conversation}/messages",
            HttpAssertions.Json(new { content = "Any update?", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await Expect(page.Locator(".message.incoming").Last).ToContainTextAsync("Any update?");
    }

    [Fact]
    public async Task Customer_content_is_rendered_as_text_and_never_runs()
    {
        var (page, _, errors) = await OpenConversationAsync("<img src=x onerror=\"window.pwned=1\">", "<script>window.pwned=1</script><b>bold?</b>");
        await Expect(page.Locator(".message.incoming .content")).ToHaveTextAsync("<script>window.pwned=1</script><b>bold?</b>");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("<img src=x");
        Assert.Equal(0, await page.Locator(".message b").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.pwned === undefined"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_theme_switch_is_remembered_after_a_reload()
    {
        var (page, _, _) = await OpenConversationAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Dark theme" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await page.ReloadAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Light theme" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var (page, conversation, _) = await OpenConversationAsync();
        await page.Locator("summary[aria-label=\"User menu\"]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.Contains("/app/login"));
        await page.GotoAsync($"/app/accounts/{_server.AccountId}/conversations/{conversation}");
        Assert.Contains("/app/login", page.Url);
    }
}
