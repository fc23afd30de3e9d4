using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using UniLink.BrowserTests.DashboardApps;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.DashboardApps;
using UniLink.Features.Public;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.BrowserTests.Widget;

/// <summary>
/// What a site tells the widget with <c>$chatwoot</c> (a verified user, contact and conversation attributes, a label) and
/// what the widget knows of the visitor (browser, page, time) reach the agent's dashboard and a Dashboard App's
/// <c>appContext</c> (issue 18): the shop on one origin, UniLink on another, the app on a third.
/// </summary>
public sealed class WidgetAppContextTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly UniLinkServer _server = new();
    private TestAppServer _site = null!;
    private TestAppServer _apps = null!;
    private string _page = "";

    public async Task InitializeAsync()
    {
        _site = await TestAppServer.StartAsync(app => app.MapGet("/shop", () => Results.Content(_page, "text/html")));
        _apps = await TestAppServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        await _apps.DisposeAsync();
        _server.Dispose();
    }

    [Fact]
    public async Task Attributes_labels_identity_and_browser_from_the_page_reach_the_agent_and_the_apps_context()
    {
        using var admin = _server.AdminClient();
        var account = _server.AccountId;
        await (await admin.PostAsync($"/api/v1/accounts/{account}/labels", Json(new { title = "vip" }))).ExpectAsync(HttpStatusCode.OK);
        var inbox = await (await admin.PostAsync($"/api/v1/accounts/{account}/inboxes",
            Json(new { name = "Shop website", channel = new { type = "web_widget", website_url = "https://shop.example.com" } }))).ExpectAsync(HttpStatusCode.OK);
        var token = inbox!["website_token"]!.GetValue<string>();
        var hash = IdentifierHash.Of(inbox["hmac_token"]!.GetValue<string>(), "customer-88");
        await _server.DbAsync(async db =>
        {
            var now = UnixTime.Now();
            db.DashboardApps.Add(new DashboardApp
            {
                AccountId = account, Title = "CRM", CreatedAt = now, UpdatedAt = now,
                Content = JsonSerializer.Serialize(new[] { new { type = "frame", url = _apps.Url("/app?mode=listen") } }),
            });
            return await db.SaveChangesAsync();
        });

        _page = $$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Shop</h1>
            <script>
              window.events = [];
              window.addEventListener('chatwoot:ready', function () {
                window.events.push('ready');
                window.$chatwoot.setUser('customer-88', { name: 'Hanna Kunde', email: 'hanna@example.com', identifier_hash: '{{hash}}' });
                window.$chatwoot.setCustomAttributes({ plan: 'gold', seats: 12 });
                window.$chatwoot.setConversationCustomAttributes({ cart: '3 items' });
                window.$chatwoot.setLabel('vip');
              });
            </script>
            {{WidgetBrowserTests.ReferenceSnippet(_server.BaseAddress.GetLeftPart(UriPartial.Authority), token)}}
            </body></html>
            """;
        var shopUrl = $"http://localhost:{_site.Origin.Port}/shop";
        var errors = new List<string>();
        var visitor = await browser.NewPageAsync(_site.Origin, errors);
        await visitor.GotoAsync(shopUrl);
        await visitor.WaitForFunctionAsync("() => window.events.includes('ready')");
        await visitor.Locator("button.woot-widget-bubble").ClickAsync();
        var widget = visitor.FrameLocator("#chatwoot_live_chat_widget");
        var input = widget.GetByRole(AriaRole.Textbox, new() { Name = "Type your message" });
        await input.FillAsync("Can I add two more seats?");
        await input.PressAsync("Enter");
        await Expect(widget.Locator(".cw-in .cw-text")).ToHaveTextAsync("Can I add two more seats?");
        // The label and the conversation's attributes wait for the conversation, then follow it.
        var conversation = 0;
        for (var i = 0; i < 100 && conversation == 0; i++, await Task.Delay(100))
            conversation = _server.Db(db => db.Conversations.Where(c => c.InboxId == inbox["id"]!.GetValue<int>() && c.Labels.Any() && c.CustomAttributes.Contains("cart"))
                .Select(c => c.DisplayId).FirstOrDefault());
        Assert.NotEqual(0, conversation);

        // The agent sees the label and the contact's attributes.
        var agent = await browser.NewPageAsync(_server.BaseAddress, errors);
        await agent.SignInAsAdminAsync();
        await agent.OpenConversationAsync(account, conversation);
        await Expect(agent.Locator(".conversation-labels .label-chip[data-label='vip']")).ToBeVisibleAsync();
        await Expect(agent.Locator(".contact-attributes dd[data-attribute='plan']")).ToHaveTextAsync("gold");
        await Expect(agent.Locator(".contact-name")).ToHaveTextAsync("Hanna Kunde");

        // The app's context holds all of it: the verified identity, the page, the browser, the time, attributes and labels.
        await agent.GetByRole(AriaRole.Tab, new() { Name = "CRM" }).ClickAsync();
        var frame = await agent.AppFrameAsync("dashboard-app--frame-0-0");
        var context = (await frame.WaitForAsync(r => r.Contexts().Any())).Contexts().Last();
        var c = context["conversation"]!;
        Assert.Equal(conversation, c["id"]!.GetValue<int>());
        Assert.True(c["meta"]!["hmac_verified"]!.GetValue<bool>());
        Assert.Equal(["vip"], c["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("3 items", c["custom_attributes"]!["cart"]!.GetValue<string>());
        var attributes = c["additional_attributes"]!;
        Assert.Equal(shopUrl, attributes["referer"]!.GetValue<string>());
        Assert.Equal("Chrome", attributes["browser"]!["browser_name"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(attributes["browser"]!["browser_version"]!.GetValue<string>()));
        Assert.Equal("Generic Linux", attributes["browser"]!["platform_name"]!.GetValue<string>());
        Assert.Matches(@"^\w{3} \w{3} \d{2} \d{4} ", attributes["initiated_at"]!["timestamp"]!.GetValue<string>());
        var sender = c["meta"]!["sender"]!;
        Assert.Equal("customer-88", sender["identifier"]!.GetValue<string>());
        Assert.Equal("gold", sender["custom_attributes"]!["plan"]!.GetValue<string>());
        Assert.Equal(12, sender["custom_attributes"]!["seats"]!.GetValue<int>());
        var contact = context["contact"]!;
        Assert.Equal("hanna@example.com", contact["email"]!.GetValue<string>());
        Assert.Equal("gold", contact["custom_attributes"]!["plan"]!.GetValue<string>());
        // What the visitor wrote is text in the context, as typed.
        Assert.Contains(c["messages"]!.AsArray(), m => m!["content"]?.GetValue<string>() == "Can I add two more seats?");
        Assert.Empty(errors);
    }
}
