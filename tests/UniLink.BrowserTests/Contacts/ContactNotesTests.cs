using System.Net;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.BrowserTests.Contacts;

/// <summary>Agents' notes on a contact in the contact panel, the same notes as the API's …/contacts/{id}/notes.</summary>
public sealed class ContactNotesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly UniLinkServer _server = new();
    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Notes_are_written_changed_and_deleted_in_the_contact_panel_and_notes_from_the_api_appear_live()
    {
        using var admin = _server.AdminClient();
        var account = _server.AccountId;
        var created = await admin.CreateConversationAsync(account, "Maria Lopez", "Where is order #1042?");
        var conversation = created["id"]!.GetValue<int>();
        var contact = created["meta"]!["sender"]!["id"]!.GetValue<int>();
        string Notes(string rest = "") => $"/api/v1/accounts/{account}/contacts/{contact}/notes{rest}";
        await (await admin.PostAsync(Notes(), Json(new { note = new { content = "Called on Monday <b>twice</b>" } }))).ExpectAsync(HttpStatusCode.OK);

        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{account}/conversations/{conversation}");
        await page.WaitForInteractiveAsync();
        var notes = page.GetByRole(AriaRole.Region, new() { Name = "Notes" });
        var items = notes.GetByRole(AriaRole.Listitem);
        await Expect(items).ToHaveCountAsync(1);
        await Expect(items.First).ToContainTextAsync("Called on Monday <b>twice</b>"); // text, never markup

        // A blank note is refused with the rule's words; a note is added, newest first, and the API has it with its author.
        await notes.GetByRole(AriaRole.Textbox, new() { Name = "New contact note" }).FillAsync("   ");
        await notes.GetByRole(AriaRole.Button, new() { Name = "Add contact note" }).ClickAsync();
        await Expect(notes.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Content can't be blank");
        await notes.GetByRole(AriaRole.Textbox, new() { Name = "New contact note" }).FillAsync("Prefers e-mail");
        await notes.GetByRole(AriaRole.Button, new() { Name = "Add contact note" }).ClickAsync();
        await Expect(items).ToHaveCountAsync(2);
        await Expect(items.First).ToContainTextAsync("Prefers e-mail");
        await Expect(notes.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        var listed = (await (await admin.GetAsync(Notes())).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal(["Prefers e-mail", "Called on Monday <b>twice</b>"], listed.Select(n => n!["content"]!.GetValue<string>()));
        Assert.Equal(UniLinkServer.AdminEmail, listed[0]!["user"]!["email"]!.GetValue<string>());
        var added = listed[0]!["id"]!.GetValue<int>();

        // Changed, then deleted.
        await items.First.GetByRole(AriaRole.Button, new() { Name = "Edit contact note" }).ClickAsync();
        await notes.GetByRole(AriaRole.Textbox, new() { Name = "Edit contact note" }).FillAsync("Prefers e-mail, never phone");
        await notes.GetByRole(AriaRole.Button, new() { Name = "Save contact note" }).ClickAsync();
        await Expect(items.First).ToContainTextAsync("Prefers e-mail, never phone");
        Assert.Equal("Prefers e-mail, never phone",
            (await (await admin.GetAsync(Notes($"/{added}"))).ExpectAsync(HttpStatusCode.OK))!["content"]!.GetValue<string>());
        await items.First.GetByRole(AriaRole.Button, new() { Name = "Delete contact note" }).ClickAsync();
        await Expect(items).ToHaveCountAsync(1);
        await (await admin.GetAsync(Notes($"/{added}"))).ExpectAsync(HttpStatusCode.NotFound);

        // A note written through the API by another agent appears without a reload.
        var agent = await _server.CreateUserAsync(account, name: "Agent Kim");
        using var kim = _server.Client(agent.Token);
        await (await kim.PostAsync(Notes(), Json(new { content = "Asked for a refund" }))).ExpectAsync(HttpStatusCode.OK);
        await Expect(items).ToHaveCountAsync(2);
        await Expect(items.First).ToContainTextAsync("Asked for a refund");
        await Expect(items.First).ToContainTextAsync("Agent Kim");

        // The administrator of a second account too: there, the contact and its notes do not exist.
        var adminId = _server.AdminUserId;
        var other = await _server.CreateAccountAsync("Other", adminId);
        await (await admin.GetAsync($"/api/v1/accounts/{other}/contacts/{contact}/notes")).ExpectAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsync($"/api/v1/accounts/{other}/contacts/{contact}/notes", Json(new { content = "x" }))).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Empty(errors);
    }
}
