using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.Contacts;

/// <summary>Contact custom attributes edited in the contact panel by their definitions' types.</summary>
public sealed class ContactAttributesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly UniLinkServer _server = new();
    public void Dispose() => _server.Dispose();

    private async Task DefineAsync(HttpClient admin, string name, string key, string type, string[]? values = null, string? pattern = null, string? cue = null) =>
        await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/custom_attribute_definitions", HttpAssertions.Json(new
        {
            attribute_display_name = name, attribute_key = key, attribute_display_type = type, attribute_model = "contact_attribute",
            attribute_values = values ?? [], regex_pattern = pattern, regex_cue = cue,
        }))).ExpectAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Attributes_are_edited_with_inputs_of_their_type_and_stored_typed_after_validation()
    {
        using var admin = _server.AdminClient();
        await DefineAsync(admin, "Employees", "employees", "number");
        await DefineAsync(admin, "Renewal", "renewal", "date");
        await DefineAsync(admin, "Plan", "plan", "list", ["free", "pro", "business"]);
        await DefineAsync(admin, "VIP", "vip", "checkbox");
        await DefineAsync(admin, "CRM record", "crm_record", "link");
        await DefineAsync(admin, "Customer code", "customer_code", "text", pattern: @"^C-\d{4}$", cue: "Customer codes look like C-1234");
        var created = await admin.CreateConversationAsync(_server.AccountId, "Maria Lopez", "Where is order #1042?");
        var conversation = created["id"]!.GetValue<int>();
        var contactId = created["meta"]!["sender"]!["id"]!.GetValue<int>();

        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{_server.AccountId}/conversations/{conversation}");
        await page.WaitForInteractiveAsync();
        var panel = page.GetByRole(AriaRole.Complementary, new() { Name = "Contact" });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();

        Assert.Equal("number", await panel.GetByLabel("Employees").GetAttributeAsync("type"));
        Assert.Equal("date", await panel.GetByLabel("Renewal").GetAttributeAsync("type"));
        Assert.Equal("url", await panel.GetByLabel("CRM record").GetAttributeAsync("type"));
        await Expect(panel.GetByRole(AriaRole.Combobox, new() { Name = "Plan" }).Locator("option")).ToHaveTextAsync(["—", "free", "pro", "business"]);
        await panel.GetByLabel("Employees").FillAsync("42");
        await panel.GetByLabel("Renewal").FillAsync("2026-12-24");
        await panel.GetByRole(AriaRole.Combobox, new() { Name = "Plan" }).SelectOptionAsync("pro");
        await panel.GetByRole(AriaRole.Checkbox, new() { Name = "VIP" }).CheckAsync();
        await panel.GetByLabel("CRM record").FillAsync("crm.example/c/1");
        await panel.GetByLabel("Customer code").FillAsync("1234");

        var save = panel.GetByRole(AriaRole.Button, new() { Name = "Save contact" });
        await save.ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Alert)).ToHaveTextAsync("CRM record must be a link starting with http:// or https://");
        await panel.GetByLabel("CRM record").FillAsync("https://crm.example/c/1");
        await save.ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Customer codes look like C-1234");
        var untouched = await (await admin.GetAsync($"/api/v1/accounts/{_server.AccountId}/contacts/{contactId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(untouched!["payload"]!["custom_attributes"]!.AsObject()); // a refused save writes nothing

        await panel.GetByLabel("Customer code").FillAsync("C-1234");
        await save.ClickAsync();
        await Expect(panel.Locator("[data-attribute=employees]")).ToHaveTextAsync("42");
        await Expect(panel.Locator("[data-attribute=renewal]")).ToHaveTextAsync("2026-12-24");
        await Expect(panel.Locator("[data-attribute=plan]")).ToHaveTextAsync("pro");
        await Expect(panel.Locator("[data-attribute=vip]")).ToHaveTextAsync("Yes");
        await Expect(panel.Locator("[data-attribute=crm_record]").GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", "https://crm.example/c/1");
        await Expect(panel.Locator("[data-attribute=customer_code]")).ToHaveTextAsync("C-1234");

        var stored = (await (await admin.GetAsync($"/api/v1/accounts/{_server.AccountId}/contacts/{contactId}")).ExpectAsync(HttpStatusCode.OK))!
            ["payload"]!["custom_attributes"]!.AsObject();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"employees":42,"renewal":"2026-12-24T00:00:00.000Z","plan":"pro","vip":true,"crm_record":"https://crm.example/c/1","customer_code":"C-1234"}
            """), stored), stored.ToJsonString());

        // Editing again starts from the stored values, in the same inputs.
        await panel.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(panel.GetByLabel("Renewal")).ToHaveValueAsync("2026-12-24");
        await Expect(panel.GetByRole(AriaRole.Checkbox, new() { Name = "VIP" })).ToBeCheckedAsync();
        await Expect(panel.GetByRole(AriaRole.Combobox, new() { Name = "Plan" })).ToHaveValueAsync("pro");
        await panel.GetByRole(AriaRole.Checkbox, new() { Name = "VIP" }).UncheckAsync();
        await panel.GetByRole(AriaRole.Combobox, new() { Name = "Plan" }).SelectOptionAsync("");
        await save.ClickAsync();
        await Expect(panel.Locator("[data-attribute=vip]")).ToHaveTextAsync("No");
        await Expect(panel.Locator("[data-attribute=plan]")).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }
}
