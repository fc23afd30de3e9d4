using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps.Placements;

/// <summary>
/// The composer placement: a button in the reply box opens the app (on another origin, registered by name and URL) in a
/// popover with the same protocol — context, actions, resize — where it can insert into or replace the draft with its
/// grant, and close itself.
/// </summary>
public sealed class ComposerPlacementTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    private static async Task<JsonNode> ActAsync(IFrame frame, string id, string action, object payload)
    {
        var request = System.Text.Json.JsonSerializer.Serialize(new { @event = "unilink:action", id, action, payload });
        await frame.EvaluateAsync("r => window.parent.postMessage(r, '*')", request);
        var received = await frame.WaitForAsync(r => r.Any(m => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result" && m["data"]!["id"]?.GetValue<string>() == id));
        return received.Last(m => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result" && m["data"]!["id"]?.GetValue<string>() == id)!["data"]!;
    }

    [Fact]
    public async Task A_composer_app_opens_from_the_reply_box_inserts_or_replaces_the_draft_with_its_grant_resizes_and_closes_itself()
    {
        var account = await fx.NewAccountAsync();
        await fx.AddAppAsync(account, "CRM", fx.Apps.Url("/app?mode=listen&c=tab"));
        var snippets = await fx.AddAppAsync(account, "Snippets", fx.Apps.Url("/app?mode=listen&c=composer"));
        using var admin = fx.Server.AdminClient();
        await (await admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{snippets}/settings",
            HttpAssertions.Json(new { placement = "composer" }))).ExpectAsync(HttpStatusCode.OK);
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez", "Which sizes do you have?"))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.OpenConversationAsync(account, conversation);

        // Not a tab: a button in the reply box, and nothing loaded until it is pressed.
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Snippets" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "CRM" })).ToBeVisibleAsync();
        var button = page.Locator("form.reply-box").GetByRole(AriaRole.Button, new() { Name = "Open Snippets" });
        await Expect(button).ToBeVisibleAsync();
        await Expect(page.Locator("iframe[data-app-id]")).ToHaveCountAsync(0);

        await button.ClickAsync();
        var popover = page.GetByRole(AriaRole.Dialog, new() { Name = "Snippets" });
        await Expect(popover).ToBeVisibleAsync();
        var iframe = popover.Locator("iframe");
        var frame = await page.AppFrameAsync((await iframe.GetAttributeAsync("id"))!);
        var received = await frame.WaitForAsync(r => r.Contexts().Any());
        Assert.Equal(conversation, received.Contexts().Last()["conversation"]!["id"]!.GetValue<int>());
        Assert.Equal(fx.Server.BaseAddress.GetLeftPart(UriPartial.Authority), received[0]!["origin"]!.GetValue<string>());

        var reply = page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        await reply.FillAsync("Hi Maria,");
        var denied = await ActAsync(frame, "c1", "insert_reply", new { text = "We have S to XL." });
        Assert.Equal("The app is not allowed to insert reply", denied["error"]!.GetValue<string>());
        await Expect(reply).ToHaveValueAsync("Hi Maria,");

        await (await admin.PutAsync($"/api/v1/accounts/{account}/dashboard_apps/{snippets}/permissions",
            HttpAssertions.Json(new { permissions = new[] { "insert_reply" } }))).ExpectAsync(HttpStatusCode.OK);
        var inserted = await ActAsync(frame, "c2", "insert_reply", new { text = "We have S to XL." });
        Assert.True(inserted["ok"]!.GetValue<bool>(), inserted.ToJsonString());
        await Expect(reply).ToHaveValueAsync("Hi Maria,\nWe have S to XL.");
        var bad = await ActAsync(frame, "c3", "insert_reply", new { text = "x", replace = "yes" });
        Assert.Equal("payload.replace must be true or false", bad["error"]!.GetValue<string>());
        var replaced = await ActAsync(frame, "c4", "insert_reply", new { text = "All sizes from S to XL are in stock.", replace = true });
        Assert.True(replaced["ok"]!.GetValue<bool>(), replaced.ToJsonString());
        await Expect(reply).ToHaveValueAsync("All sizes from S to XL are in stock.");

        // Resize works in the popover too; the app closes itself; the button opens it again, its state intact.
        await frame.EvaluateAsync("() => window.parent.postMessage(JSON.stringify({ event: 'unilink:resize', height: 180 }), '*')");
        await Expect(iframe).ToHaveJSPropertyAsync("offsetHeight", 180);
        await frame.EvaluateAsync("() => { window.marker = 'kept'; window.parent.postMessage(JSON.stringify({ event: 'unilink:close' }), '*'); }");
        await Expect(popover).ToBeHiddenAsync();
        await button.ClickAsync();
        await Expect(popover).ToBeVisibleAsync();
        Assert.Equal("kept", await frame.EvaluateAsync<string>("() => window.marker"));
        // Its own close button closes it too.
        await popover.GetByRole(AriaRole.Button, new() { Name = "Close Snippets" }).ClickAsync();
        await Expect(popover).ToBeHiddenAsync();
        Assert.Empty(errors);
    }
}
