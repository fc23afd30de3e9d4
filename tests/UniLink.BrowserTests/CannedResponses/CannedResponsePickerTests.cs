using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.BrowserTests.CannedResponses;

public sealed class CannedResponsePickerTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly UniLinkServer _server = new();
    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Typing_a_slash_lists_canned_responses_arrows_move_and_enter_inserts()
    {
        using var admin = _server.AdminClient();
        var account = _server.AccountId;
        foreach (var (code, content) in new[] { ("shipping", "Your order ships today."), ("refund", "Your refund is on its way."), ("returns", "Send it back within 30 days.") })
            await (await admin.PostAsync($"/api/v1/accounts/{account}/canned_responses", Json(new { short_code = code, content }))).ExpectAsync(System.Net.HttpStatusCode.OK);
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez", "Where is my refund?"))["id"]!.GetValue<int>();

        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.OpenConversationAsync(account, conversation);
        var reply = page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        var picker = page.GetByRole(AriaRole.Listbox, new() { Name = "Canned responses" });

        await reply.PressSequentiallyAsync("/re");
        await Expect(picker.GetByRole(AriaRole.Option)).ToHaveCountAsync(2);
        await Expect(picker.GetByRole(AriaRole.Option).First).ToContainTextAsync("/refund");
        await Expect(picker.GetByRole(AriaRole.Option).First).ToHaveAttributeAsync("aria-selected", "true");
        await reply.PressAsync("ArrowDown");
        await Expect(picker.GetByRole(AriaRole.Option, new() { Name = "/returns" })).ToHaveAttributeAsync("aria-selected", "true");
        await reply.PressAsync("Enter");
        await Expect(reply).ToHaveValueAsync("Send it back within 30 days.");
        await Expect(picker).ToHaveCountAsync(0);

        // Escape closes the list and leaves the text; a plain message starting elsewhere never opens it.
        await reply.FillAsync("");
        await reply.PressSequentiallyAsync("/ship");
        await Expect(picker.GetByRole(AriaRole.Option)).ToHaveCountAsync(1);
        await reply.PressAsync("Escape");
        await Expect(picker).ToHaveCountAsync(0);
        await Expect(reply).ToHaveValueAsync("/ship");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_agent_adds_edits_and_deletes_canned_responses_on_the_settings_page()
    {
        var agent = await _server.CreateUserAsync(_server.AccountId, name: "Canned Agent");
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsync(agent.Email, agent.Password);
        await page.GotoAsync($"/app/accounts/{_server.AccountId}/settings/canned-responses");
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByText("There are no canned responses in this account yet.")).ToBeVisibleAsync();

        await page.GetByLabel("Short code").FillAsync("hello");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Content" }).FillAsync("Hello! How can I help?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add canned response" }).ClickAsync();
        var row = page.Locator("tr[data-canned-id]");
        await Expect(row).ToContainTextAsync("/hello");

        await page.GetByLabel("Short code").FillAsync("hello");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Content" }).FillAsync("Again");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add canned response" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Short code has already been taken");

        await row.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        // The form shows the response being edited once the click's render arrives; typing before it would be overwritten.
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Content" })).ToHaveValueAsync("Hello! How can I help?");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Content" }).FillAsync("Hi there!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Hi there!");
        Assert.Equal("Hi there!", _server.Db(db => db.CannedResponses.Single(r => r.ShortCode == "hello").Content));

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Yes, delete" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }
}
