using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps.Manifests;

/// <summary>
/// Settings › Integrations › Dashboard apps › Install from manifest: the consent screen says what the app will see, do,
/// where it shows and which domains it may call; the app exists only after consent, with those grants; an update that
/// asks for more waits (old grants in force) until the administrator allows it on a second consent screen.
/// </summary>
public sealed class InstallFromManifestTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    private const string ApiKey = "sk_consent_5e0b7a";

    private JsonObject Manifest(string[] scopes, string[] actions) => new()
    {
        ["manifest_version"] = 1, ["name"] = "Consent CRM", ["version"] = "1.0.0", ["description"] = "The customer's CRM record",
        ["author"] = new JsonObject { ["name"] = "Acme" },
        ["frames"] = new JsonArray(new JsonObject { ["url"] = fx.Apps.Url("/app?mode=listen") }),
        ["actions"] = new JsonArray(actions.Select(a => (JsonNode)a).ToArray()),
        ["context_scopes"] = new JsonArray(scopes.Select(s => (JsonNode)s).ToArray()),
        ["settings"] = new JsonArray(new JsonObject { ["name"] = "api_key", ["label"] = "API key", ["secret"] = true, ["required"] = true }),
        ["request_domains"] = new JsonArray("api.crm.example.com"),
    };

    [Fact]
    public async Task Install_with_consent_then_an_update_asking_for_more_waits_for_a_second_consent()
    {
        var served = Manifest(["contact_identity"], ["insert_reply"]);
        await using var host = new LoopbackReceiver(async c =>
        {
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync(served.ToJsonString());
        });
        var account = await fx.NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        var apps = $"/api/v1/accounts/{account}/dashboard_apps";
        var page = await fx.SignedInPageAsync([]);
        await page.GotoAsync($"/app/accounts/{account}/settings/integrations/dashboard_apps");
        await page.GetByRole(AriaRole.Button, new() { Name = "Install from manifest" }).WaitForAsync();
        await page.WaitForInteractiveAsync();

        // Reviewing alone installs nothing: cancel on the consent screen.
        await page.GetByRole(AriaRole.Button, new() { Name = "Install from manifest" }).ClickAsync();
        await page.GetByLabel("Manifest URL").FillAsync(host.Url("/manifest.json"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = "Install Consent CRM?" })).ToBeVisibleAsync();
        await Expect(dialog.Locator("[data-consent=context_scopes]")).ToHaveTextAsync("Who the contact is (name, identifier, avatar)");
        await Expect(dialog.Locator("[data-consent=actions]")).ToHaveTextAsync("Put text in the reply box");
        await Expect(dialog.Locator("[data-consent=placement]")).ToContainTextAsync("A tab in every conversation");
        await Expect(dialog.Locator("[data-consent=placement]")).ToContainTextAsync(fx.Apps.Origin.GetLeftPart(UriPartial.Authority));
        await Expect(dialog.Locator("[data-consent=request_domains]")).ToHaveTextAsync("api.crm.example.com");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.Empty((await (await admin.GetAsync(apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray());

        // A required secret setting must be filled; then allowing installs the app with exactly what was shown.
        await page.GetByRole(AriaRole.Button, new() { Name = "Install from manifest" }).ClickAsync();
        await page.GetByLabel("Manifest URL").FillAsync(host.Url("/manifest.json"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Allow and install" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("settings.api_key is required");
        Assert.Empty((await (await admin.GetAsync(apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray());
        await dialog.GetByLabel("API key").FillAsync(ApiKey);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Allow and install" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("“Consent CRM” was installed");
        var id = Assert.Single((await (await admin.GetAsync(apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray())!["id"]!.GetValue<int>();
        var settings = await (await admin.GetAsync($"{apps}/{id}/settings")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["contact_identity"], settings!["context_scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["insert_reply"], settings["permissions"]!.AsArray().Select(s => s!.GetValue<string>()));
        var view = await (await admin.GetAsync($"{apps}/{id}/manifest")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(view!["settings"]![0]!["is_set"]!.GetValue<bool>());
        Assert.Equal(host.Url("/manifest.json"), view["manifest_url"]!.GetValue<string>());
        Assert.DoesNotContain(ApiKey, await page.ContentAsync());

        // Version 2 wants e-mails and phone numbers and to add notes: it waits, and the old grants stay in force.
        served = Manifest(["contact_identity", "contact_email_phone"], ["insert_reply", "add_private_note"]);
        served["version"] = "2.0.0";
        await page.GetByRole(AriaRole.Button, new() { Name = "Check for an update of Consent CRM" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("“Consent CRM” has an update that asks for more: review it to allow it");
        await Expect(page.GetByRole(AriaRole.Note)).ToContainTextAsync("waits for your consent");
        settings = await (await admin.GetAsync($"{apps}/{id}/settings")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["contact_identity"], settings!["context_scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["insert_reply"], settings["permissions"]!.AsArray().Select(s => s!.GetValue<string>()));

        // The second consent screen marks what is new; allowing grants it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Review the update of Consent CRM" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = "Consent CRM asks for more" })).ToBeVisibleAsync();
        await Expect(dialog.Locator("[data-consent=context_scopes] li").Filter(new() { HasText = "new" })).ToHaveTextAsync("The contact's e-mail and phone number new");
        await Expect(dialog.Locator("[data-consent=actions] li").Filter(new() { HasText = "new" })).ToHaveTextAsync("Add private notes new");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Allow the update" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("“Consent CRM” was updated");
        settings = await (await admin.GetAsync($"{apps}/{id}/settings")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["contact_identity", "contact_email_phone"], settings!["context_scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["insert_reply", "add_private_note"], settings["permissions"]!.AsArray().Select(s => s!.GetValue<string>()));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Review the update of Consent CRM" })).ToHaveCountAsync(0);
    }
}
