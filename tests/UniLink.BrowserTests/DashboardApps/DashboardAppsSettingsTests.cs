using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using UniLink.AppSdk;
using UniLink.Features.DashboardApps;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps;

public sealed class DashboardAppsSettingsTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly UniLinkServer _server = new();
    public void Dispose() => _server.Dispose();

    private string SettingsPath => $"/app/accounts/{_server.AccountId}/settings/integrations/dashboard_apps";

    private async Task<IPage> OpenAsync(List<string>? errors = null)
    {
        var page = await browser.NewPageAsync(_server.BaseAddress, errors ?? []);
        await page.SignInAsAdminAsync();
        await page.GotoAsync(SettingsPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a new dashboard app" }).WaitForAsync();
        await page.WaitForInteractiveAsync();
        return page;
    }

    private List<(string Title, string Content)> Stored() =>
        _server.Db(db => db.DashboardApps.OrderBy(a => a.Id).Select(a => new { a.Title, a.Content }).ToList())
            .Select(a => (a.Title, a.Content)).ToList();

    private static async Task AddAsync(IPage page, string name, params string[] urls)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a new dashboard app" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync(name);
        await dialog.GetByLabel("Endpoint", new() { Exact = true }).FillAsync(urls[0]);
        for (var i = 1; i < urls.Length; i++)
        {
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Add another frame" }).ClickAsync();
            await dialog.GetByRole(AriaRole.Textbox, new() { Name = $"Endpoint {i + 1}" }).FillAsync(urls[i]);
        }
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
    }

    [Fact]
    public async Task Empty_state_then_an_administrator_creates_an_app_and_sees_it_listed()
    {
        var errors = new List<string>();
        var page = await OpenAsync(errors);
        await Expect(page.GetByText("There are no dashboard apps configured on this account yet")).ToBeVisibleAsync();
        await AddAsync(page, "Orders", "https://orders.example.com/frame");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("“Orders” was added");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Orders" })).ToContainTextAsync("https://orders.example.com/frame");
        await Expect(page.GetByLabel("count")).ToHaveTextAsync("(1)");
        Assert.Equal([("Orders", """[{"type":"frame","url":"https://orders.example.com/frame"}]""")], Stored());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Editing_keeps_and_changes_every_frame()
    {
        var page = await OpenAsync();
        await AddAsync(page, "CRM", "https://crm.example.com/a");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit CRM" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("CRM two");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add another frame" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Endpoint 2" }).FillAsync("http://localhost:4000/second");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("“CRM two” was updated");
        Assert.Equal("""[{"type":"frame","url":"https://crm.example.com/a"},{"type":"frame","url":"http://localhost:4000/second"}]""", Stored().Single().Content);

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit CRM two" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Endpoint 2" })).ToHaveValueAsync("http://localhost:4000/second");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Remove endpoint 2" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        // The first update's message is still shown; the dialog closes only once this save is done.
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("was updated");
        Assert.Equal("""[{"type":"frame","url":"https://crm.example.com/a"}]""", Stored().Single().Content);
    }

    [Fact]
    public async Task An_administrator_generates_a_signing_secret_sees_it_once_and_replacing_it_retires_the_old_one()
    {
        var page = await OpenAsync();
        await AddAsync(page, "CRM", "https://crm.example.com/a");
        await page.GetByRole(AriaRole.Button, new() { Name = "Signing secret for CRM" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Alertdialog);
        await Expect(dialog).ToContainTextAsync("has no signing secret");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Generate a secret" }).ClickAsync();
        var first = await dialog.GetByLabel("New signing secret").InputValueAsync();
        Assert.True(first.Length >= 32, first);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        Assert.True(Verifies(first));

        // Shown once: opening it again offers a replacement, never the secret.
        await page.GetByRole(AriaRole.Button, new() { Name = "Signing secret for CRM" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("has a signing secret");
        await Expect(dialog.GetByLabel("New signing secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(first, await page.ContentAsync());
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Replace the secret" }).ClickAsync();
        var second = await dialog.GetByLabel("New signing secret").InputValueAsync();
        Assert.NotEqual(first, second);
        Assert.True(Verifies(second));
        Assert.False(Verifies(first));
    }

    /// <summary>Does a context token the server signs for the app now verify with this secret?</summary>
    private bool Verifies(string secret)
    {
        var app = _server.Db(db => db.DashboardApps.Single());
        var token = _server.Services.GetRequiredService<AppSecrets>()
            .TokenFor(app, new ContextTokenClaims(app.Id, app.AccountId, 1, UniLinkServer.AdminEmail, "administrator", 1, null));
        return ContextToken.VerifyContextToken(token, secret, app.Id, out _) is not null;
    }

    [Fact]
    public async Task Cancel_really_cancels()
    {
        var page = await OpenAsync();
        await AddAsync(page, "Billing", "https://billing.example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Billing" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("Changed");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Billing" }).ClickAsync();
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Billing", Exact = true })).ToBeVisibleAsync();
        Assert.Equal("Billing", Stored().Single().Title);
    }

    [Fact]
    public async Task Search_filters_by_name()
    {
        var page = await OpenAsync();
        await AddAsync(page, "Orders", "https://orders.example.com");
        await AddAsync(page, "Payments", "https://payments.example.com");
        await page.GetByLabel("Search dashboard apps").FillAsync("pay");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Payments", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Orders", Exact = true })).ToHaveCountAsync(0);
        await page.GetByLabel("Search dashboard apps").FillAsync("zzz");
        await Expect(page.GetByText("No dashboard app matches")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Delete_asks_for_confirmation_naming_the_app()
    {
        var page = await OpenAsync();
        await AddAsync(page, "Legacy CRM", "https://legacy.example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Legacy CRM" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Alertdialog);
        await Expect(confirm).ToContainTextAsync("Delete Legacy CRM?");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, delete Legacy CRM" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("“Legacy CRM” was deleted");
        Assert.Empty(Stored());
    }

    [Fact]
    public async Task The_dialog_validates_with_the_servers_rules()
    {
        var page = await OpenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a new dashboard app" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("Name is required");
        await Expect(dialog).ToContainTextAsync("Endpoint is required");
        await dialog.GetByLabel("Name").FillAsync("Files");
        await dialog.GetByLabel("Endpoint", new() { Exact = true }).FillAsync("ftp://files.example.com");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("Enter a valid URL starting with http:// or https://");
        await dialog.GetByLabel("Endpoint", new() { Exact = true }).FillAsync("https://crm.example.com/?x={{contact.password}}");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("Unknown URL variable {{contact.password}}");
        await dialog.GetByLabel("Endpoint", new() { Exact = true }).FillAsync("http://192.168.1.20:8080/app");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("“Files” was added");
        Assert.Single(Stored());
    }

    [Fact]
    public async Task Agents_are_kept_out()
    {
        var agent = await _server.CreateUserAsync(_server.AccountId);
        var page = await browser.NewPageAsync(_server.BaseAddress, []);
        await page.SignInAsync(agent.Email, agent.Password);
        await page.GotoAsync(SettingsPath);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not authorized" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add a new dashboard app" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_administrator_sets_inboxes_audience_placement_keep_alive_and_actions_and_they_are_saved()
    {
        using var admin = _server.AdminClient();
        var orders = await admin.CreateInboxAsync(_server.AccountId, "Orders inbox");
        await admin.CreateInboxAsync(_server.AccountId, "Billing inbox");
        var errors = new List<string>();
        var page = await OpenAsync(errors);
        await AddAsync(page, "CRM", "https://crm.example.com/a");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("“CRM” was added");
        var appId = _server.Db(db => db.DashboardApps.Single().Id);
        var settingsPath = $"/api/v1/accounts/{_server.AccountId}/dashboard_apps/{appId}/settings";
        await (await admin.GetAsync(settingsPath)).ExpectBodyAsync(System.Net.HttpStatusCode.OK,
            """{"placement":"conversation_tab","keep_alive":false,"inbox_ids":[],"visible_to":"all","permissions":[],"extra_frame_origins":[],"context_scopes":["contact_identity","contact_email_phone","contact_attributes","messages_public","messages_all","conversation_attributes","agent_email"],"visible_to_team_ids":[],"visible_to_agent_ids":[],"hook_timeout_ms":2000,"hook_timeout_outcome":"send","event_endpoint":null,"events":[]}""");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit CRM" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Orders inbox" }).CheckAsync();
        await dialog.GetByLabel("Visible to").SelectOptionAsync("administrators");
        await dialog.GetByLabel("Placement").SelectOptionAsync("conversation_sidebar");
        await dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Keep the app loaded when switching conversations" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Put text in the reply box" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Add labels" }).CheckAsync();
        // A hook's time limit and outcome are asked for once a hook is granted.
        await Expect(dialog.GetByLabel("Time limit (milliseconds)")).ToHaveCountAsync(0);
        await dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Check replies before they are sent (and block or change them)" }).CheckAsync();
        await dialog.GetByLabel("Time limit (milliseconds)").FillAsync("1500");
        await dialog.GetByLabel("When the app does not answer in time").SelectOptionAsync("block");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("“CRM” was updated");

        await (await admin.GetAsync(settingsPath)).ExpectBodyAsync(System.Net.HttpStatusCode.OK,
            $$"""{"placement":"conversation_sidebar","keep_alive":true,"inbox_ids":[{{orders}}],"visible_to":"administrators","permissions":["insert_reply","add_labels","before_send"],"extra_frame_origins":[],"context_scopes":["contact_identity","contact_email_phone","contact_attributes","messages_public","messages_all","conversation_attributes","agent_email"],"visible_to_team_ids":[],"visible_to_agent_ids":[],"hook_timeout_ms":1500,"hook_timeout_outcome":"block","event_endpoint":null,"events":[]}""");

        // Reopened, the dialog shows what is stored; unchecking an action saves that too.
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit CRM" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Orders inbox" })).ToBeCheckedAsync();
        await Expect(dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Billing inbox" })).Not.ToBeCheckedAsync();
        await Expect(dialog.GetByLabel("Visible to")).ToHaveValueAsync("administrators");
        await Expect(dialog.GetByLabel("Placement")).ToHaveValueAsync("conversation_sidebar");
        await Expect(dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Keep the app loaded when switching conversations" })).ToBeCheckedAsync();
        await Expect(dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Add private notes" })).Not.ToBeCheckedAsync();
        await Expect(dialog.GetByLabel("Time limit (milliseconds)")).ToHaveValueAsync("1500");
        await Expect(dialog.GetByLabel("When the app does not answer in time")).ToHaveValueAsync("block");
        await dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Add labels" }).UncheckAsync();
        await dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Check replies before they are sent (and block or change them)" }).UncheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("“CRM” was updated");
        var saved = await (await admin.GetAsync(settingsPath)).ExpectAsync(System.Net.HttpStatusCode.OK);
        Assert.Equal("""["insert_reply"]""", saved!["permissions"]!.ToJsonString());
        Assert.Equal("conversation_sidebar", saved["placement"]!.GetValue<string>());
        Assert.Empty(errors);
    }
}
