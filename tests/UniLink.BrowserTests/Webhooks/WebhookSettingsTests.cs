using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using UniLink.Tests.Webhooks;

namespace UniLink.BrowserTests.Webhooks;

public class WebhookSettingsTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_adds_a_webhook_sees_its_secret_sends_a_test_event_retries_a_failed_delivery_and_deletes_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = n => n == 2 ? 500 : 200;
        using var server = new UniLinkServer(WebhookServer.Settings);
        var errors = new List<string>();
        var page = await browser.NewPageAsync(server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{server.AccountId}/settings/integrations");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Webhooks" }).GetByRole(AriaRole.Link, new() { Name = "Configure" }))
            .ToHaveAttributeAsync("href", $"/app/accounts/{server.AccountId}/settings/integrations/webhooks");
        await page.GotoAsync($"/app/accounts/{server.AccountId}/settings/integrations/webhooks");
        await page.Locator("[data-interactive=true]").WaitForAsync();
        await Assertions.Expect(page.GetByText("There are no webhooks configured on this account yet")).ToBeVisibleAsync();

        await page.GetByLabel("Webhook URL").FillAsync(receiver.Url);
        await page.GetByLabel("Name").FillAsync("Orders bridge");
        await page.GetByLabel("conversation_updated").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Webhook created");
        var secret = server.Db(db => db.Webhooks.Single().Secret);
        await Assertions.Expect(page.GetByLabel("Signing secret")).ToHaveValueAsync(secret);
        Assert.DoesNotContain("conversation_updated", server.Db(db => db.Webhooks.Single().Subscriptions));

        var row = page.Locator("tr", new() { HasText = receiver.Url });
        await row.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        var test = (await receiver.WaitForEventAsync("webhook_test")).Single();
        Assert.True(WebhookReceiver.SignatureValid(test, secret));
        var log = page.GetByRole(AriaRole.Table, new() { Name = "Delivery log" });
        await ExpectBadgeAsync(page, log, "delivered");

        // The second request is answered 500: the log says so, and Retry sends it again at once.
        await row.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await receiver.WaitForAsync(r => r.Count >= 2);
        var failed = log.Locator("tr", new() { HasText = "500" });
        for (var i = 0; i < 50 && await failed.CountAsync() == 0; i++)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
            await Task.Delay(100);
        }
        await failed.First.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await receiver.WaitForAsync(r => r.Count >= 3);

        await row.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        // The form is filled by the render that answers the click: typing before it lands would be overwritten.
        await Assertions.Expect(page.GetByLabel("Name")).ToHaveValueAsync("Orders bridge");
        await page.GetByLabel("Name").FillAsync("Orders bridge 2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save webhook" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Webhook saved.");
        Assert.Equal("Orders bridge 2", server.Db(db => db.Webhooks.Single().Name));

        await page.GetByLabel("Webhook URL").FillAsync("ftp://nope.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Webhook URL must be an http or https URL");

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Yes, delete" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr", new() { HasText = receiver.Url })).ToHaveCountAsync(0);
        Assert.Equal(0, server.Db(db => db.Webhooks.Count()));
        Assert.Empty(errors);
    }

    private static async Task ExpectBadgeAsync(IPage page, ILocator log, string state)
    {
        var badge = log.Locator($".badge.{state}");
        for (var i = 0; i < 50 && await badge.CountAsync() == 0; i++)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
            await Task.Delay(100);
        }
        await Assertions.Expect(badge.First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Administrator_creates_a_bot_sees_its_token_and_connects_it_to_an_inbox()
    {
        using var server = new UniLinkServer(WebhookServer.Settings);
        using var admin = server.AdminClient();
        var inbox = await admin.CreateInboxAsync(server.AccountId, "WhatsApp bridge");
        var errors = new List<string>();
        var page = await browser.NewPageAsync(server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{server.AccountId}/settings/bots");
        await page.Locator("[data-interactive=true]").WaitForAsync();

        await page.GetByLabel("Bot name").FillAsync("Order bot");
        await page.GetByLabel("Outgoing URL").FillAsync("http://127.0.0.1:9/bot");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create bot" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Bot created");
        var tokenHash = server.Db(db => db.AgentBots.Single(b => b.Name == "Order bot").AccessTokenHash);
        var shownToken = await page.GetByLabel("Bot access token").InputValueAsync();
        Assert.Equal(tokenHash, UniLink.Infrastructure.Auth.Tokens.Hash(shownToken));

        await page.GetByLabel("Bot of WhatsApp bridge").SelectOptionAsync(new SelectOptionValue { Label = "Order bot" });
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The bot now answers WhatsApp bridge first.");
        Assert.NotNull(server.Db(db => db.Inboxes.Single(i => i.Id == inbox).AgentBotId));
        Assert.Empty(errors);
    }
}
