using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps;

/// <summary>After install, an administrator edits an app's setting values (a secret one only shown as set, never its value),
/// and chooses the teams and agents it is for, in the settings page.</summary>
public sealed class AppSettingValuesAndAudienceDialogTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private const string FirstKey = "sk_live_first_0d3e8a";
    private const string SecondKey = "sk_live_second_7c41b9";
    private readonly UniLinkServer _server = new();
    public void Dispose() => _server.Dispose();

    private string Apps => $"/api/v1/accounts/{_server.AccountId}/dashboard_apps";

    private async Task<IPage> OpenAsync(List<string> errors)
    {
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{_server.AccountId}/settings/integrations/dashboard_apps");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a new dashboard app" }).WaitForAsync();
        await page.WaitForInteractiveAsync();
        return page;
    }

    [Fact]
    public async Task Setting_values_are_edited_after_install_and_a_secret_one_shows_only_as_set()
    {
        using var admin = _server.AdminClient();
        var manifest = new JsonObject
        {
            ["manifest_version"] = 1, ["name"] = "Acme CRM", ["version"] = "1.0.0",
            ["frames"] = new JsonArray(new JsonObject { ["url"] = "https://crm.example.com/cw" }),
            ["settings"] = new JsonArray(
                new JsonObject { ["name"] = "api_key", ["label"] = "API key", ["required"] = true, ["secret"] = true },
                new JsonObject { ["name"] = "region", ["label"] = "Region" }),
            ["request_domains"] = new JsonArray("api.crm.example.com"),
        };
        var app = (await (await admin.PostAsync($"{Apps}/install", HttpAssertions.RawJson(new JsonObject
        {
            ["manifest"] = manifest, ["consent"] = true, ["settings"] = new JsonObject { ["api_key"] = FirstKey, ["region"] = "eu" },
        }.ToJsonString()))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();

        var errors = new List<string>();
        var page = await OpenAsync(errors);
        await page.GetByRole(AriaRole.Button, new() { Name = "Setting values of Acme CRM" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Setting values of Acme CRM" });
        await Expect(dialog.GetByLabel("API key is set")).ToHaveTextAsync("Set");
        await Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Region" })).ToHaveValueAsync("eu");
        Assert.DoesNotContain(FirstKey, await page.ContentAsync());

        // Only the region: the key is kept.
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Region" }).FillAsync("us");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save values" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The setting values of “Acme CRM” were saved");
        var view = (await (await admin.GetAsync($"{Apps}/{app}/manifest")).ExpectAsync(HttpStatusCode.OK))!["settings"]!.AsArray();
        Assert.Equal("us", view.Single(s => s!["name"]!.GetValue<string>() == "region")!["value"]!.GetValue<string>());
        Assert.True(view.Single(s => s!["name"]!.GetValue<string>() == "api_key")!["is_set"]!.GetValue<bool>());

        // A new key replaces the old one on the server, and is not shown again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Setting values of Acme CRM" }).ClickAsync();
        await dialog.Locator("input[name='value-api_key']").FillAsync(SecondKey);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save values" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Setting values of Acme CRM" }).ClickAsync();
        await Expect(dialog.Locator("input[name='value-api_key']")).ToHaveValueAsync("");
        Assert.DoesNotContain(SecondKey, await page.ContentAsync());
        var secret = _server.Db(db => db.DashboardApps.Single(a => a.Id == app).SecretSettingsCiphertext);
        Assert.DoesNotContain(SecondKey, secret);
        var log = (await (await admin.GetAsync($"/api/v1/accounts/{_server.AccountId}/audit_logs?event=setting_values_changed")).ExpectAsync(HttpStatusCode.OK))!["audit_logs"]!.AsArray();
        Assert.Equal(["""{"api_key":"[set]"}""", """{"region":"us"}"""], log.Select(l => l!["request"]!.ToJsonString()));
        Assert.DoesNotContain(errors, e => !e.Contains("favicon"));
    }

    [Fact]
    public async Task An_administrator_chooses_the_teams_and_agents_an_app_is_for_in_its_dialog()
    {
        using var admin = _server.AdminClient();
        var account = _server.AccountId;
        var agent = await _server.CreateUserAsync(account, name: "Zoe Named");
        var team = (await (await admin.PostAsync($"/api/v1/accounts/{account}/teams", HttpAssertions.Json(new { name = "billing" }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var app = (await (await admin.PostAsync(Apps, HttpAssertions.Json(new { title = "Payroll", content = new[] { new { type = "frame", url = "https://payroll.example.com/x" } } })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();

        var page = await OpenAsync([]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Payroll" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Visible to").SelectOptionAsync("selected");
        var audience = dialog.GetByRole(AriaRole.Group, new() { Name = "Who sees the app" });
        // None chosen: the server's rule, shown in the dialog.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("needs at least one team");
        await audience.GetByLabel("Team billing").CheckAsync();
        await audience.GetByLabel("Zoe Named").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("“Payroll” was updated");
        var settings = (await (await admin.GetAsync($"{Apps}/{app}/settings")).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal("selected", settings["visible_to"]!.GetValue<string>());
        Assert.Equal($"[{team}]", settings["visible_to_team_ids"]!.ToJsonString());
        Assert.Equal($"[{agent.Id}]", settings["visible_to_agent_ids"]!.ToJsonString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Payroll" }).ClickAsync();
        await Expect(dialog.GetByLabel("Visible to")).ToHaveValueAsync("selected");
        await Expect(audience.GetByLabel("Team billing")).ToBeCheckedAsync();
        await Expect(audience.GetByLabel("Zoe Named")).ToBeCheckedAsync();
    }
}
