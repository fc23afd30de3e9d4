using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps.Placements;

/// <summary>Where and to whom apps show (inboxes, roles, sidebar, keep-alive) and URL variables, as agents and apps see them.</summary>
public sealed class AppPlacementTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    private static async Task SetSettingsAsync(HttpClient admin, int account, int appId, object settings) =>
        await (await admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{appId}/settings", HttpAssertions.Json(settings))).ExpectAsync(HttpStatusCode.OK);

    private static ILocator Tab(IPage page, string title) => page.GetByRole(AriaRole.Tab, new() { Name = title, Exact = true });

    [Fact]
    public async Task An_app_shows_only_in_the_inboxes_it_is_enabled_for()
    {
        var account = await fx.NewAccountAsync();
        var app = await fx.AddAppAsync(account, "CRM", fx.Apps.Url("/app?mode=listen"));
        using var admin = fx.Server.AdminClient();
        var elsewhere = await admin.CreateConversationAsync(account, "Tom Becker");
        var here = await admin.CreateConversationAsync(account, "Maria Lopez");
        await SetSettingsAsync(admin, account, app, new { inbox_ids = new[] { here["inbox_id"]!.GetValue<int>() } });

        var page = await fx.SignedInPageAsync([]);
        await page.OpenConversationAsync(account, elsewhere["id"]!.GetValue<int>());
        await Expect(Tab(page, "Messages")).ToBeVisibleAsync();
        await Expect(Tab(page, "CRM")).ToHaveCountAsync(0);

        await page.OpenConversationAsync(account, here["id"]!.GetValue<int>());
        await Tab(page, "CRM").ClickAsync();
        var received = await (await page.AppFrameAsync("dashboard-app--frame-0-0")).WaitForAsync(r => r.Contexts().Any());
        Assert.Equal(here["id"]!.GetValue<int>(), received.Contexts().Last()["conversation"]!["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_app_for_administrators_only_is_not_shown_to_an_agent()
    {
        var account = await fx.NewAccountAsync();
        await fx.AddAppAsync(account, "CRM", fx.Apps.Url("/app?mode=listen&a=1"));
        var adminOnly = await fx.AddAppAsync(account, "Refunds", fx.Apps.Url("/app?mode=listen&a=2"));
        using var admin = fx.Server.AdminClient();
        await SetSettingsAsync(admin, account, adminOnly, new { visible_to = "administrators" });
        var created = await admin.CreateConversationAsync(account);
        var conversation = created["id"]!.GetValue<int>();
        var agent = await fx.Server.CreateUserAsync(account, name: "Ana Agent");
        await admin.AddInboxMemberAsync(account, created["inbox_id"]!.GetValue<int>(), agent.Id);

        var agentPage = await fx.Browser.NewPageAsync(fx.Server.BaseAddress, []);
        await agentPage.SignInAsync(agent.Email, agent.Password);
        await agentPage.OpenConversationAsync(account, conversation);
        await Expect(Tab(agentPage, "CRM")).ToBeVisibleAsync();
        await Expect(Tab(agentPage, "Refunds")).ToHaveCountAsync(0);

        var adminPage = await fx.SignedInPageAsync([]);
        await adminPage.OpenConversationAsync(account, conversation);
        await Expect(Tab(adminPage, "CRM")).ToBeVisibleAsync();
        await Expect(Tab(adminPage, "Refunds")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Url_variables_are_expanded_and_url_encoded_into_the_src_the_app_is_loaded_with()
    {
        var account = await fx.NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        var template = fx.Apps.Url("/app?mode=listen") + "&email={{contact.email}}&plan={{contact.custom_attributes.plan}}"
            + "&conversation={{conversation.id}}&agent={{agent.email}}&account={{account.id}}&missing={{contact.phone_number}}";
        var appId = (await (await admin.PostAsync($"/api/v1/accounts/{account}/dashboard_apps",
            HttpAssertions.Json(new { title = "CRM", content = new[] { new { type = "frame", url = template } } }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var inbox = await admin.CreateInboxAsync(account);
        var contact = await admin.CreateContactAsync(account, "Maria Lopez", "maria+vip@example.com");
        var contactId = contact["id"]!.GetValue<int>();
        await (await admin.PutAsync($"/api/v1/accounts/{account}/contacts/{contactId}",
            HttpAssertions.Json(new { custom_attributes = new { plan = "gold & silver/2" } }))).ExpectAsync(HttpStatusCode.OK);
        var conversation = (await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations",
            HttpAssertions.Json(new { inbox_id = inbox, contact_id = contactId }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();

        var page = await fx.SignedInPageAsync([]);
        await page.OpenConversationAsync(account, conversation);
        await Tab(page, "CRM").ClickAsync();
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        var expected = fx.Apps.Url("/app?mode=listen") + "&email=maria%2Bvip%40example.com&plan=gold%20%26%20silver%2F2"
            + $"&conversation={conversation}&agent=admin%40example.com&account={account}&missing=";
        Assert.Equal(expected, await frame.EvaluateAsync<string>("() => location.href"));
        Assert.Equal(expected, await page.Locator("#dashboard-app--frame-0-0").GetAttributeAsync("src"));
        // The bridge still talks to the registered origin: the app gets its context.
        var received = await frame.WaitForAsync(r => r.Contexts().Any());
        Assert.Equal(fx.Server.BaseAddress.GetLeftPart(UriPartial.Authority), received[0]!["origin"]!.GetValue<string>());
        Assert.Equal(appId, fx.Server.Db(db => db.DashboardApps.Single(a => a.AccountId == account).Id));
    }

    [Fact]
    public async Task A_sidebar_app_shows_beside_the_reply_box_gets_every_context_and_follows_its_resize_messages()
    {
        var account = await fx.NewAccountAsync();
        var appId = await fx.AddAppAsync(account, "Orders", fx.Apps.Url("/app?mode=listen"));
        using var admin = fx.Server.AdminClient();
        await SetSettingsAsync(admin, account, appId, new { placement = "conversation_sidebar" });
        var secret = (await (await admin.PostAsync($"/api/v1/accounts/{account}/dashboard_apps/{appId}/secret", null)).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>();
        var conversation = (await admin.CreateConversationAsync(account))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.OpenConversationAsync(account, conversation);

        // No tab to open: the app is there at once, next to the reply box, which stays visible.
        await Expect(Tab(page, "Orders")).ToHaveCountAsync(0);
        var sidebar = page.GetByRole(AriaRole.Complementary, new() { Name = "Apps beside the conversation" });
        var iframe = sidebar.Locator("iframe");
        var reply = page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        await Expect(iframe).ToBeVisibleAsync();
        await Expect(reply).ToBeVisibleAsync();
        var replyBox = (await reply.BoundingBoxAsync())!;
        var appBox = (await iframe.BoundingBoxAsync())!;
        Assert.True(appBox.X >= replyBox.X + replyBox.Width, $"the app ({appBox.X}) is not beside the reply box ({replyBox.X}+{replyBox.Width})");

        var id = await iframe.GetAttributeAsync("id");
        var frame = await page.AppFrameAsync(id!);
        var first = (await frame.WaitForAsync(r => r.Contexts().Any())).Contexts().First();
        var claims = UniLink.AppSdk.ContextToken.Verify(first["token"]!.GetValue<string>(), secret, appId, out var tokenError);
        Assert.True(claims is not null, tokenError);
        Assert.Equal(conversation, claims!.ConversationId);
        await frame.EvaluateAsync("() => window.fetchInfo()");
        await frame.WaitForAsync(r => r.Contexts().Count() >= 2);
        await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages",
            HttpAssertions.Json(new { content = "Order shipped" }))).ExpectAsync(HttpStatusCode.OK);
        await frame.WaitForAsync(r => r.Contexts().Any(c => c["conversation"]!["messages"]!.AsArray().Any(m => m!["content"]?.GetValue<string>() == "Order shipped")));

        await frame.EvaluateAsync("() => window.parent.postMessage(JSON.stringify({ event: 'unilink:resize', height: 420 }), '*')");
        await Expect(iframe).ToHaveJSPropertyAsync("offsetHeight", 420);
        // Bad values are ignored, numbers are kept within bounds; messages are handled in order.
        await frame.EvaluateAsync("""
            () => {
              window.parent.postMessage({ event: 'unilink:resize', height: 'tall' }, '*');
              window.parent.postMessage(JSON.stringify({ event: 'unilink:resize', height: null }), '*');
              window.parent.postMessage({ event: 'unilink:resize', height: 99999 }, '*');
            }
            """);
        await Expect(iframe).ToHaveJSPropertyAsync("offsetHeight", 2000);
        await frame.EvaluateAsync("() => window.parent.postMessage({ event: 'unilink:resize', height: 'tall' }, '*')");
        await frame.EvaluateAsync("() => window.parent.postMessage({ event: 'unilink:resize', height: 3 }, '*')");
        await Expect(iframe).ToHaveJSPropertyAsync("offsetHeight", 40);
        await Expect(reply).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_keep_alive_app_is_not_reloaded_across_a_conversation_switch_and_gets_the_new_context()
    {
        var account = await fx.NewAccountAsync();
        await fx.AddAppAsync(account, "CRM", fx.Apps.Url("/app?mode=listen&k=0"));
        var phone = await fx.AddAppAsync(account, "Phone", fx.Apps.Url("/app?mode=listen&k=1&c={{conversation.id}}"));
        using var admin = fx.Server.AdminClient();
        await SetSettingsAsync(admin, account, phone, new { keep_alive = true });
        var first = (await admin.CreateConversationAsync(account, "Maria Lopez", "First question"))["id"]!.GetValue<int>();
        var second = (await admin.CreateConversationAsync(account, "Tom Becker", "Second question"))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.OpenConversationAsync(account, first);

        await Tab(page, "CRM").ClickAsync();
        var crm = await page.AppFrameAsync("dashboard-app--frame-0-0");
        await crm.WaitForAsync(r => r.Contexts().Any());
        await crm.EvaluateAsync("() => { window.marker = 'crm'; }");
        await Tab(page, "Phone").ClickAsync();
        var phoneFrame = await page.AppFrameAsync("dashboard-app--frame-1-0");
        await phoneFrame.WaitForAsync(r => r.Contexts().Any(c => c["conversation"]!["id"]!.GetValue<int>() == first));
        await phoneFrame.EvaluateAsync("() => { window.marker = 'still the first load'; }");
        var loadedWith = await phoneFrame.EvaluateAsync<string>("() => location.href");

        // Switch the way an agent does: a click in the conversation list (no page load).
        await page.Locator("a.conversation-row", new() { HasText = "Tom Becker" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.Contains($"/conversations/{second}"));
        var received = await phoneFrame.WaitForAsync(r => r.Contexts().Any(c => c["conversation"]!["id"]!.GetValue<int>() == second));
        Assert.Equal("still the first load", await phoneFrame.EvaluateAsync<string>("() => window.marker"));
        Assert.Equal(loadedWith, await phoneFrame.EvaluateAsync<string>("() => location.href"));
        Assert.Equal(second, received.Contexts().Last()["conversation"]!["id"]!.GetValue<int>());
        Assert.Equal("Second question", received.Contexts().Last()["conversation"]!["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>());
        await Expect(Tab(page, "Phone")).ToHaveAttributeAsync("aria-selected", "true");

        // Asking again gets the new conversation, never the old one.
        await phoneFrame.EvaluateAsync("() => window.fetchInfo()");
        var count = received.Contexts().Count();
        var after = await phoneFrame.WaitForAsync(r => r.Contexts().Count() > count);
        Assert.Equal(second, after.Contexts().Last()["conversation"]!["id"]!.GetValue<int>());

        // An app without keep-alive starts over in the new conversation.
        await Tab(page, "CRM").ClickAsync();
        var freshCrm = await page.AppFrameAsync("dashboard-app--frame-0-0");
        var crmReceived = await freshCrm.WaitForAsync(r => r.Contexts().Any());
        Assert.Null(await freshCrm.EvaluateAsync<string?>("() => window.marker ?? null"));
        Assert.All(crmReceived.Contexts(), c => Assert.Equal(second, c["conversation"]!["id"]!.GetValue<int>()));
        Assert.Empty(errors);
    }
}
