using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps.Placements;

/// <summary>
/// The placements outside the conversation's tabs — contact_panel (beside a conversation and on the contact's page),
/// page and background — with apps on another origin registered by name and URL: each gets its context, hears an
/// event, performs a granted action and is refused an ungranted one; another account's apps never show.
/// </summary>
public sealed class AppPlacesTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    private static async Task SetSettingsAsync(HttpClient admin, int account, int appId, object settings) =>
        await (await admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{appId}/settings", HttpAssertions.Json(settings))).ExpectAsync(HttpStatusCode.OK);

    private static async Task<JsonNode> ActAsync(IFrame frame, string id, string action, object payload)
    {
        var request = System.Text.Json.JsonSerializer.Serialize(new { @event = "unilink:action", id, action, payload });
        await frame.EvaluateAsync("r => window.parent.postMessage(r, '*')", request);
        bool IsResult(JsonNode? m) => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result" && m["data"]!["id"]?.GetValue<string>() == id;
        var received = await frame.WaitForAsync(r => r.Any(IsResult));
        return received.Last(IsResult)!["data"]!;
    }

    private static Task SubscribeAsync(IFrame frame, params string[] types) =>
        frame.EvaluateAsync($"() => window.parent.postMessage(JSON.stringify({{ event: 'unilink:subscribe', types: {System.Text.Json.JsonSerializer.Serialize(types)} }}), '*')");

    private static IEnumerable<JsonNode> Events(JsonArray received, string type) =>
        received.Where(r => r?["data"]?["event"]?.GetValue<string>() == "unilink:event" && r["data"]!["type"]!.GetValue<string>() == type).Select(r => r!["data"]!["data"]!);

    private async Task<int> AppAsync(HttpClient admin, int account, string title, string placement, params string[] permissions)
    {
        var id = await fx.AddAppAsync(account, title, fx.Apps.Url($"/app?mode=listen&app={Uri.EscapeDataString(title)}"));
        await SetSettingsAsync(admin, account, id, new { placement, permissions });
        return id;
    }

    [Fact]
    public async Task A_contact_panel_app_shows_beside_the_conversation_and_on_the_contacts_page_with_its_context_events_and_grants()
    {
        var account = await fx.NewAccountAsync();
        var other = await fx.NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        var appId = await AppAsync(admin, account, "CRM card", "contact_panel", "add_labels", "notify");
        var foreign = await AppAsync(admin, other, "Foreign card", "contact_panel", "add_labels", "notify");
        var created = await admin.CreateConversationAsync(account, "Maria Lopez", "Where is my order?");
        var conversation = created["id"]!.GetValue<int>();
        var contactId = created["meta"]!["sender"]!["id"]!.GetValue<int>();
        // A second conversation of the same contact, in an inbox the agent below does not work.
        var closedInbox = await admin.CreateInboxAsync(account);
        var hidden = (await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations",
            HttpAssertions.Json(new { inbox_id = closedInbox, contact_id = contactId }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        // The other account (the same administrator works in both) has a contact with the same id range, and its own app.
        await admin.CreateConversationAsync(other, "Tom Becker", "Other account");
        var adminId = fx.Server.AdminUserId;

        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.OpenConversationAsync(account, conversation);

        // Beside the conversation: a section of the contact panel, with the account, the agent, the contact and the conversation.
        var section = page.GetByRole(AriaRole.Complementary, new() { Name = "Contact" }).GetByRole(AriaRole.Region, new() { Name = "Contact apps" });
        await Expect(section.Locator("iframe")).ToHaveCountAsync(1);
        await Expect(page.Locator($"#contact-app--frame-{foreign}-0")).ToHaveCountAsync(0);
        var frame = await page.AppFrameAsync($"contact-app--frame-{appId}-0");
        var context = (await frame.WaitForAsync(r => r.Contexts().Any())).Contexts().Last();
        Assert.Equal(account, context["account"]!["id"]!.GetValue<int>());
        Assert.Equal("contact_panel", context["placement"]!.GetValue<string>());
        Assert.Equal(conversation, context["conversation"]!["id"]!.GetValue<int>());
        Assert.Equal(contactId, context["contact"]!["id"]!.GetValue<int>());
        Assert.Equal(adminId, context["currentAgent"]!["id"]!.GetValue<int>());

        await SubscribeAsync(frame, "message.created");
        await Task.Delay(200);
        await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages",
            HttpAssertions.Json(new { content = "Shipped today", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await frame.WaitForAsync(r => Events(r, "message.created").Any(m => m["content"]?.GetValue<string>() == "Shipped today"));

        var labelled = await ActAsync(frame, "a1", "add_labels", new { labels = new[] { "vip" } });
        Assert.True(labelled["ok"]!.GetValue<bool>(), labelled.ToJsonString());
        var labels = await (await admin.GetAsync($"/api/v1/accounts/{account}/conversations/{conversation}/labels")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("vip", labels!["payload"]!.AsArray().Select(l => l!.GetValue<string>()));
        var refused = await ActAsync(frame, "a2", "set_priority", new { priority = "urgent" });
        Assert.False(refused["ok"]!.GetValue<bool>());
        Assert.Equal("The app is not allowed to set priority", refused["error"]!.GetValue<string>());

        // The contact's own page, from the panel's link: details, conversations, notes and the same app, without a conversation.
        await page.GetByRole(AriaRole.Link, new() { Name = "Open contact page" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.EndsWith($"/app/accounts/{account}/contacts/{contactId}"));
        await Expect(page.Locator(".contact-page h1.contact-name")).ToHaveTextAsync("Maria Lopez");
        var listed = page.GetByRole(AriaRole.List, new() { Name = "Conversations" }).GetByRole(AriaRole.Link);
        await Expect(listed).ToHaveCountAsync(2);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add contact note" })).ToBeVisibleAsync();
        var onPage = await page.AppFrameAsync($"contact-app--frame-{appId}-0");
        var pageContext = (await onPage.WaitForAsync(r => r.Contexts().Any())).Contexts().Last();
        Assert.Equal(account, pageContext["account"]!["id"]!.GetValue<int>());
        Assert.Equal(contactId, pageContext["contact"]!["id"]!.GetValue<int>());
        Assert.Equal(adminId, pageContext["currentAgent"]!["id"]!.GetValue<int>());
        Assert.Null(pageContext["conversation"]);
        Assert.Equal("contact_panel", pageContext["placement"]!.GetValue<string>());
        await Expect(page.Locator($"#contact-app--frame-{foreign}-0")).ToHaveCountAsync(0);

        // It hears the contact change, acts where it can (notify), and is told why it cannot act on a conversation here.
        await SubscribeAsync(onPage, "contact.updated");
        await Task.Delay(200);
        await (await admin.PutAsync($"/api/v1/accounts/{account}/contacts/{contactId}", HttpAssertions.Json(new { name = "Maria L. Lopez" }))).ExpectAsync(HttpStatusCode.OK);
        await onPage.WaitForAsync(r => Events(r, "contact.updated").Any(c => c["name"]?.GetValue<string>() == "Maria L. Lopez"));
        var notified = await ActAsync(onPage, "p1", "notify", new { message = "Gold customer" });
        Assert.True(notified["ok"]!.GetValue<bool>(), notified.ToJsonString());
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Gold customer" })).ToBeVisibleAsync();
        var noConversation = await ActAsync(onPage, "p2", "add_labels", new { labels = new[] { "x" } });
        Assert.False(noConversation["ok"]!.GetValue<bool>());
        Assert.Contains("needs an open conversation", noConversation["error"]!.GetValue<string>());
        var ungranted = await ActAsync(onPage, "p3", "open_url", new { url = "https://example.com" });
        Assert.Equal("The app is not allowed to open url", ungranted["error"]!.GetValue<string>());

        // The same contact id under the other account (whose administrator this user also is): not found, no app.
        await page.GotoAsync($"/app/accounts/{other}/contacts/{contactId}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Contact not found" })).ToBeVisibleAsync();
        await Expect(page.Locator("iframe[data-app-id]")).ToHaveCountAsync(0);

        // An agent sees only the conversations of the inboxes they work.
        var agent = await fx.Server.CreateUserAsync(account, name: "Ana Agent");
        await admin.AddInboxMemberAsync(account, created["inbox_id"]!.GetValue<int>(), agent.Id);
        var agentPage = await fx.Browser.NewPageAsync(fx.Server.BaseAddress, errors);
        await agentPage.SignInAsync(agent.Email, agent.Password);
        await agentPage.GotoAsync($"/app/accounts/{account}/contacts/{contactId}");
        var agentListed = agentPage.GetByRole(AriaRole.List, new() { Name = "Conversations" }).GetByRole(AriaRole.Link);
        await Expect(agentListed).ToHaveCountAsync(1);
        await Expect(agentListed).ToHaveAttributeAsync("href", $"/app/accounts/{account}/conversations/{conversation}");
        Assert.NotEqual(conversation, hidden);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_page_app_has_its_navigation_entry_and_page_with_the_account_and_agent_hears_new_messages_and_opens_a_conversation()
    {
        var account = await fx.NewAccountAsync();
        var other = await fx.NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        var appId = await AppAsync(admin, account, "Reports", "page", "open_conversation");
        var foreign = await AppAsync(admin, other, "Foreign reports", "page", "open_conversation");
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez", "Hello"))["id"]!.GetValue<int>();
        var adminId = fx.Server.AdminUserId;

        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.GotoAsync($"/app/accounts/{account}/conversations");
        await page.WaitForInteractiveAsync();
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Foreign reports" })).ToHaveCountAsync(0);
        await nav.GetByRole(AriaRole.Link, new() { Name = "Reports", Exact = true }).ClickAsync();
        await page.WaitForAddressAsync(url => url.EndsWith($"/app/accounts/{account}/apps/{appId}"));

        var frame = await page.AppFrameAsync($"page-app--frame-{appId}-0");
        var context = (await frame.WaitForAsync(r => r.Contexts().Any())).Contexts().Last();
        Assert.Equal(account, context["account"]!["id"]!.GetValue<int>());
        Assert.Equal(adminId, context["currentAgent"]!["id"]!.GetValue<int>());
        Assert.Equal("page", context["placement"]!.GetValue<string>());
        Assert.Null(context["conversation"]);
        Assert.Null(context["contact"]);
        // fetch-info is answered too.
        await frame.EvaluateAsync("() => window.fetchInfo()");
        await frame.WaitForAsync(r => r.Contexts().Count() >= 2);

        await SubscribeAsync(frame, "message.created");
        await Task.Delay(200);
        await (await admin.PostAsync($"/api/v1/accounts/{other}/conversations/{(await admin.CreateConversationAsync(other))["id"]}/messages",
            HttpAssertions.Json(new { content = "Elsewhere", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages",
            HttpAssertions.Json(new { content = "New order", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        var got = await frame.WaitForAsync(r => Events(r, "message.created").Any(m => m["content"]?.GetValue<string>() == "New order"));
        Assert.Equal(conversation, Events(got, "message.created").Last()["conversation_id"]!.GetValue<int>());
        Assert.DoesNotContain("Elsewhere", got.ToJsonString());

        var refused = await ActAsync(frame, "n1", "notify", new { message = "Hi" });
        Assert.Equal("The app is not allowed to notify", refused["error"]!.GetValue<string>());
        // The dashboard goes to the conversation (the page and its frame go away at once).
        await frame.EvaluateAsync("r => window.parent.postMessage(r, '*')",
            System.Text.Json.JsonSerializer.Serialize(new { @event = "unilink:action", id = "o1", action = "open_conversation", payload = new { conversation_id = conversation } }));
        await page.WaitForAddressAsync(url => url.EndsWith($"/app/accounts/{account}/conversations/{conversation}"));
        await Expect(page.Locator("h1", new() { HasText = $"#{conversation}" })).ToBeVisibleAsync();

        // Another account's page app is not found here, even by its id.
        await page.GotoAsync($"/app/accounts/{account}/apps/{foreign}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "App not found" })).ToBeVisibleAsync();
        await Expect(page.Locator("iframe[data-app-id]")).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_background_app_loads_once_per_dashboard_hears_events_acts_with_its_grants_and_notifies()
    {
        var account = await fx.NewAccountAsync();
        var other = await fx.NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        var appId = await AppAsync(admin, account, "Watcher", "background", "add_labels", "notify");
        var foreign = await AppAsync(admin, other, "Foreign watcher", "background", "notify");
        var first = (await admin.CreateConversationAsync(account, "Maria Lopez", "First"))["id"]!.GetValue<int>();
        var second = (await admin.CreateConversationAsync(account, "Tom Becker", "Second"))["id"]!.GetValue<int>();
        var adminId = fx.Server.AdminUserId;

        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.OpenConversationAsync(account, first);
        // No visible frame, and none of the other account's.
        var iframe = page.Locator($"#background-app--frame-{appId}-0");
        await Expect(iframe).ToBeHiddenAsync();
        await Expect(page.Locator($"#background-app--frame-{foreign}-0")).ToHaveCountAsync(0);
        var frame = await page.AppFrameAsync($"background-app--frame-{appId}-0");
        var context = (await frame.WaitForAsync(r => r.Contexts().Any())).Contexts().Last();
        Assert.Equal(account, context["account"]!["id"]!.GetValue<int>());
        Assert.Equal(adminId, context["currentAgent"]!["id"]!.GetValue<int>());
        Assert.Equal("background", context["placement"]!.GetValue<string>());
        Assert.Null(context["conversation"]);
        await frame.EvaluateAsync("() => { window.marker = 'first load'; }");
        await SubscribeAsync(frame, "*");
        await Task.Delay(200);

        // The open conversation's events.
        await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{first}/messages",
            HttpAssertions.Json(new { content = "Card 4111 1111 1111 1111", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await frame.WaitForAsync(r => Events(r, "message.created").Any(m => m["content"]?.GetValue<string>() == "Card 4111 1111 1111 1111"));

        // A granted action on the open conversation, a notification, an ungranted action.
        var labelled = await ActAsync(frame, "b1", "add_labels", new { labels = new[] { "watched" } });
        Assert.True(labelled["ok"]!.GetValue<bool>(), labelled.ToJsonString());
        var labels = await (await admin.GetAsync($"/api/v1/accounts/{account}/conversations/{first}/labels")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("watched", labels!["payload"]!.AsArray().Select(l => l!.GetValue<string>()));
        var notified = await ActAsync(frame, "b2", "notify", new { message = "Card number seen", level = "warning" });
        Assert.True(notified["ok"]!.GetValue<bool>(), notified.ToJsonString());
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Card number seen" })).ToBeVisibleAsync();
        var refused = await ActAsync(frame, "b3", "set_status", new { status = "resolved" });
        Assert.Equal("The app is not allowed to set status", refused["error"]!.GetValue<string>());

        // Another conversation, the way an agent switches (no page load): the same frame, not reloaded, hears the new one.
        await page.Locator("a.conversation-row", new() { HasText = "Tom Becker" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.Contains($"/conversations/{second}"));
        await frame.WaitForAsync(r => Events(r, "conversation.switched").Any(c => c["id"]!.GetValue<int>() == second));
        await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{second}/messages",
            HttpAssertions.Json(new { content = "In the second", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await frame.WaitForAsync(r => Events(r, "message.created").Any(m => m["content"]?.GetValue<string>() == "In the second"));
        Assert.Equal("first load", await frame.EvaluateAsync<string>("() => window.marker"));
        // And it keeps hearing new messages when no conversation is open (the list), where actions on a conversation are refused.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Conversations" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.EndsWith($"/app/accounts/{account}/conversations"));
        await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{first}/messages",
            HttpAssertions.Json(new { content = "While away", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await frame.WaitForAsync(r => Events(r, "message.created").Any(m => m["content"]?.GetValue<string>() == "While away"));
        Assert.Equal("first load", await frame.EvaluateAsync<string>("() => window.marker"));
        var away = await ActAsync(frame, "b4", "add_labels", new { labels = new[] { "later" } });
        Assert.Contains("needs an open conversation", away["error"]!.GetValue<string>());
        Assert.Empty(errors);
    }
}
