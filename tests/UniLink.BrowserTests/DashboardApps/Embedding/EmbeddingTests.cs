using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.DashboardApps.Embedding;

/// <summary>Apps written for the reference, on another origin, each asserting what it received.</summary>
public sealed class EmbeddingTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    private async Task<(int Account, int Conversation, IPage Page, List<string> Errors)> OpenAsync(params (string Title, string[] Urls)[] apps)
    {
        var account = await fx.NewAccountAsync();
        foreach (var (title, urls) in apps) await fx.AddAppAsync(account, title, urls);
        using var admin = fx.Server.AdminClient();
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez", "Where is order #1042?"))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.OpenConversationAsync(account, conversation);
        return (account, conversation, page, errors);
    }

    private static Task OpenTabAsync(IPage page, string title) => page.GetByRole(AriaRole.Tab, new() { Name = title }).ClickAsync();

    [Fact]
    public async Task The_documented_listener_receives_the_context_as_a_json_string_on_load()
    {
        var (_, conversation, page, errors) = await OpenAsync(("CRM", [fx.Apps.Url("/app?mode=listen")]));
        await OpenTabAsync(page, "CRM");
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        var received = await frame.WaitForAsync(r => r.Contexts().Any());
        Assert.All(received, r => Assert.Equal("string", r!["type"]!.GetValue<string>()));
        Assert.Equal(fx.Server.BaseAddress.GetLeftPart(UriPartial.Authority), received[0]!["origin"]!.GetValue<string>());
        var data = received.Contexts().First();
        Assert.Equal(conversation, data["conversation"]!["id"]!.GetValue<int>());
        Assert.Equal("Where is order #1042?", data["conversation"]!["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>());
        Assert.True(data["conversation"]!["dataFetched"]!.GetValue<bool>());
        Assert.Equal("Maria Lopez", data["contact"]!["name"]!.GetValue<string>());
        Assert.Equal(["email", "id", "name"], data["currentAgent"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(UniLinkServer.AdminEmail, data["currentAgent"]!["email"]!.GetValue<string>());
        Assert.NotNull(data["customAttributes"]!.AsArray());
        Assert.Equal("light", data["theme"]!.GetValue<string>());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Iframes_are_sandboxed_with_clipboard_access_and_the_page_allows_only_app_origins()
    {
        var (account, conversation, page, _) = await OpenAsync(("CRM", [fx.Apps.Url("/app?mode=listen")]));
        await OpenTabAsync(page, "CRM");
        await page.AppFrameAsync("dashboard-app--frame-0-0");
        var iframe = page.Locator("#dashboard-app--frame-0-0");
        Assert.Equal(fx.Apps.Url("/app?mode=listen"), await iframe.GetAttributeAsync("src"));
        Assert.Equal("clipboard-read; clipboard-write", await iframe.GetAttributeAsync("allow"));
        var sandbox = (await iframe.GetAttributeAsync("sandbox"))!.Split(' ');
        Assert.Contains("allow-scripts", sandbox);
        Assert.Contains("allow-same-origin", sandbox);
        Assert.DoesNotContain("allow-top-navigation", sandbox);
        Assert.NotNull(await iframe.GetAttributeAsync("referrerpolicy"));

        var response = await page.GotoAsync($"/app/accounts/{account}/conversations/{conversation}");
        var csp = response!.Headers["content-security-policy"];
        // Frames only from the account's apps: never the dashboard itself, whose sandbox would be void.
        Assert.Contains($"frame-src {fx.Apps.Origin.GetLeftPart(UriPartial.Authority)}", csp);
        Assert.DoesNotContain("frame-src 'self'", csp);
        Assert.Contains("frame-ancestors 'self'", csp);
    }

    [Theory]
    [InlineData("early")]
    [InlineData("json")]
    [InlineData("object")]
    public async Task Fetch_info_is_answered_in_every_form_real_apps_send_it(string mode)
    {
        var (_, _, page, errors) = await OpenAsync(("CRM", [fx.Apps.Url($"/app?mode={mode}")]));
        await OpenTabAsync(page, "CRM");
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        // One context for the load, one answering the request (which may have come before it).
        await frame.WaitForAsync(r => r.Contexts().Count() >= 2);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Answers_go_only_to_the_frame_that_asked()
    {
        var (_, _, page, _) = await OpenAsync(
            ("Orders", [fx.Apps.Url("/app?mode=listen&f=a"), fx.Apps.Url("/app?mode=listen&f=b")]),
            ("Billing", [fx.Apps.Url("/app?mode=listen&f=c")]));
        await OpenTabAsync(page, "Orders");
        var first = await page.AppFrameAsync("dashboard-app--frame-0-0");
        var second = await page.AppFrameAsync("dashboard-app--frame-0-1");
        await first.WaitForAsync(r => r.Contexts().Count() == 1);
        await second.WaitForAsync(r => r.Contexts().Count() == 1);
        await OpenTabAsync(page, "Billing");
        var billing = await page.AppFrameAsync("dashboard-app--frame-1-0");
        await billing.WaitForAsync(r => r.Contexts().Count() == 1);
        await OpenTabAsync(page, "Orders");

        await second.EvaluateAsync("() => window.fetchInfo()");
        await second.WaitForAsync(r => r.Contexts().Count() == 2);
        await Task.Delay(300);
        Assert.Single((await first.ReceivedAsync()).Contexts());
        Assert.Single((await billing.ReceivedAsync()).Contexts());
    }

    [Fact]
    public async Task Frames_survive_tab_switches_and_are_reset_when_the_conversation_changes()
    {
        var (account, conversation, page, _) = await OpenAsync(("CRM", [fx.Apps.Url("/app?mode=listen")]));
        await OpenTabAsync(page, "CRM");
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        await frame.EvaluateAsync("() => { window.marker = 'kept'; }");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Messages" }).ClickAsync();
        await OpenTabAsync(page, "CRM");
        Assert.Equal("kept", await (await page.AppFrameAsync("dashboard-app--frame-0-0")).EvaluateAsync<string>("() => window.marker"));

        using var admin = fx.Server.AdminClient();
        var other = (await admin.CreateConversationAsync(account, "Tom Becker", "Refund please"))["id"]!.GetValue<int>();
        await page.GotoAsync($"/app/accounts/{account}/conversations/{other}");
        await page.Locator(".app-tabs[data-interactive]").WaitForAsync();
        Assert.Equal("true", await page.GetByRole(AriaRole.Tab, new() { Name = "Messages" }).GetAttributeAsync("aria-selected"));
        Assert.Equal(0, await page.Locator("#dashboard-app--frame-0-0").CountAsync());
        await OpenTabAsync(page, "CRM");
        var fresh = await page.AppFrameAsync("dashboard-app--frame-0-0");
        var received = await fresh.WaitForAsync(r => r.Contexts().Any());
        Assert.Null(await fresh.EvaluateAsync<string?>("() => window.marker ?? null"));
        Assert.Equal(other, received.Contexts().Last()["conversation"]!["id"]!.GetValue<int>());
        Assert.NotEqual(conversation, other);
    }

    [Fact]
    public async Task A_message_posted_through_the_api_reaches_the_open_app_live()
    {
        var (account, conversation, page, _) = await OpenAsync(("CRM", [fx.Apps.Url("/app?mode=listen")]));
        await OpenTabAsync(page, "CRM");
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        await frame.WaitForAsync(r => r.Contexts().Any());
        using var admin = fx.Server.AdminClient();
        await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages",
            HttpAssertions.Json(new { content = "Your parcel left the warehouse." }))).ExpectAsync(HttpStatusCode.OK);
        var received = await frame.WaitForAsync(r => r.Contexts().Any(c =>
            c["conversation"]!["messages"]!.AsArray().Any(m => m!["content"]?.GetValue<string>() == "Your parcel left the warehouse.")));
        Assert.True(received.Contexts().Count() >= 2);
    }

    [Fact]
    public async Task A_frame_that_navigated_to_another_origin_receives_nothing()
    {
        // The other origin belongs to another registered app, so the page's frame-src lets the navigation happen.
        var (account, conversation, page, _) = await OpenAsync(("CRM", [fx.Apps.Url("/app?mode=listen")]), ("Other", [fx.Elsewhere.Url("/app")]));
        await OpenTabAsync(page, "CRM");
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        await frame.WaitForAsync(r => r.Contexts().Any());
        await frame.EvaluateAsync($"() => {{ location.href = {System.Text.Json.JsonSerializer.Serialize(fx.Elsewhere.Url("/away"))}; }}");
        for (var i = 0; i < 200 && !frame.Url.StartsWith(fx.Elsewhere.Origin.GetLeftPart(UriPartial.Authority)); i++) await Task.Delay(50);
        Assert.StartsWith(fx.Elsewhere.Origin.GetLeftPart(UriPartial.Authority), frame.Url);
        await frame.WaitForFunctionAsync("() => Array.isArray(window.received)");
        await frame.EvaluateAsync("() => window.fetchInfo()");
        using var admin = fx.Server.AdminClient();
        await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages",
            HttpAssertions.Json(new { content = "secret detail" }))).ExpectAsync(HttpStatusCode.OK);
        await Task.Delay(1500);
        Assert.Empty(await frame.ReceivedAsync());
    }

    [Fact]
    public async Task Messages_of_the_wrong_shape_are_ignored_without_errors()
    {
        var (_, _, page, errors) = await OpenAsync(("CRM", [fx.Apps.Url("/app?mode=garbage")]));
        await OpenTabAsync(page, "CRM");
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        var received = await frame.WaitForAsync(r => r.Contexts().Any());
        await Task.Delay(300);
        Assert.Single((await frame.ReceivedAsync()).Contexts());
        await frame.EvaluateAsync("() => window.fetchInfo()");
        await frame.WaitForAsync(r => r.Contexts().Count() == 2);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_context_conversation_is_the_api_conversation_field_by_field()
    {
        var (account, conversation, page, _) = await OpenAsync(("CRM", [fx.Apps.Url("/app?mode=listen")]));
        await OpenTabAsync(page, "CRM");
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        var fromApp = (await frame.WaitForAsync(r => r.Contexts().Any())).Contexts().Last()["conversation"]!.AsObject();
        using var admin = fx.Server.AdminClient();
        var fromApi = (await (await admin.GetAsync($"/api/v1/accounts/{account}/conversations/{conversation}")).ExpectAsync(HttpStatusCode.OK))!.AsObject();
        foreach (var (key, value) in fromApi)
        {
            if (key == "messages") continue; // the app gets every loaded message, the API only the latest
            Assert.True(fromApp.ContainsKey(key), $"the app's conversation lacks {key}");
            Assert.True(JsonNode.DeepEquals(value, fromApp[key]), $"{key}: api {value?.ToJsonString()} app {fromApp[key]?.ToJsonString()}");
        }
        Assert.Equal(fromApi["messages"]![0]!.ToJsonString(), fromApp["messages"]!.AsArray()[^1]!.ToJsonString());
        Assert.Equal(fromApi.Count + 2, fromApp.Count); // + dataFetched, allMessagesLoaded
    }

    [Fact]
    public async Task Each_app_with_a_secret_gets_a_context_token_only_its_own_server_can_verify()
    {
        var account = await fx.NewAccountAsync();
        var signed = await fx.AddAppAsync(account, "Signed", fx.Apps.Url("/app?mode=listen&s=1"));
        await fx.AddAppAsync(account, "Plain", fx.Apps.Url("/app?mode=listen&s=0"));
        using var admin = fx.Server.AdminClient();
        var secret = (await (await admin.PostAsync($"/api/v1/accounts/{account}/dashboard_apps/{signed}/secret", null)).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>();
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez"))["id"]!.GetValue<int>();
        var page = await fx.SignedInPageAsync([]);
        await page.OpenConversationAsync(account, conversation);

        await OpenTabAsync(page, "Signed");
        var data = (await (await page.AppFrameAsync("dashboard-app--frame-0-0")).WaitForAsync(r => r.Contexts().Any())).Contexts().Last();
        var token = data["token"]!.GetValue<string>();
        var claims = UniLink.AppSdk.ContextToken.Verify(token, secret, signed, out var error);
        Assert.True(claims is not null, error);
        Assert.Equal(conversation, claims!.ConversationId);
        Assert.Equal(account, claims.AccountId);
        Assert.Equal(UniLinkServer.AdminEmail, claims.AgentEmail);
        Assert.Equal("administrator", claims.AgentRole);
        Assert.Equal(data["contact"]!["id"]!.GetValue<int>(), claims.ContactId);
        Assert.Null(UniLink.AppSdk.ContextToken.Verify(token, secret, signed + 1, out _));

        await OpenTabAsync(page, "Plain");
        var plain = (await (await page.AppFrameAsync("dashboard-app--frame-1-0")).WaitForAsync(r => r.Contexts().Any())).Contexts().Last();
        Assert.False(plain.AsObject().ContainsKey("token"));
    }

    private static async Task<JsonNode> ActAsync(IFrame frame, string id, string action, object payload)
    {
        var request = System.Text.Json.JsonSerializer.Serialize(new { @event = "unilink:action", id, action, payload });
        await frame.EvaluateAsync("r => window.parent.postMessage(r, '*')", request);
        var received = await frame.WaitForAsync(r => r.Any(m => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result" && m["data"]!["id"]?.GetValue<string>() == id));
        return received.Last(m => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result" && m["data"]!["id"]?.GetValue<string>() == id)!["data"]!;
    }

    [Fact]
    public async Task Apps_act_on_the_conversation_only_with_permission_and_every_action_is_recorded()
    {
        var (account, conversation, page, errors) = await OpenAsync(("Orders", [fx.Apps.Url("/app?mode=listen")]));
        var appId = fx.Server.Db(db => db.DashboardApps.Single(a => a.AccountId == account).Id);
        await OpenTabAsync(page, "Orders");
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        await frame.WaitForAsync(r => r.Contexts().Any());
        int Notes() => fx.Server.Db(db => db.Messages.Count(m => m.Private && m.Content == "Refund issued by the shop"));

        var denied = await ActAsync(frame, "a1", "add_private_note", new { content = "Refund issued by the shop" });
        Assert.False(denied["ok"]!.GetValue<bool>());
        Assert.Contains("not allowed", denied["error"]!.GetValue<string>());
        Assert.Equal(0, Notes());

        using var admin = fx.Server.AdminClient();
        await (await admin.PutAsync($"/api/v1/accounts/{account}/dashboard_apps/{appId}/permissions",
            HttpAssertions.Json(new { permissions = new[] { "add_private_note", "insert_reply", "add_labels" } }))).ExpectAsync(HttpStatusCode.OK);

        var malformed = await ActAsync(frame, "a2", "add_private_note", new { content = 42 });
        Assert.False(malformed["ok"]!.GetValue<bool>());
        Assert.Equal(0, Notes());

        var noted = await ActAsync(frame, "a3", "add_private_note", new { content = "Refund issued by the shop" });
        Assert.True(noted["ok"]!.GetValue<bool>(), noted.ToJsonString());
        Assert.Equal(1, Notes());

        var labelled = await ActAsync(frame, "a4", "add_labels", new { labels = new[] { "refunded" } });
        Assert.True(labelled["ok"]!.GetValue<bool>(), labelled.ToJsonString());
        Assert.Contains("refunded", fx.Server.Db(db => db.ConversationLabels.Where(l => db.Conversations.Any(c => c.Id == l.ConversationId && c.AccountId == account)).Select(l => l.Title).ToList()));

        var stillDenied = await ActAsync(frame, "a5", "set_custom_attributes", new { custom_attributes = new { order_number = "SO-1" } });
        Assert.False(stillDenied["ok"]!.GetValue<bool>());

        var outgoingBefore = fx.Server.Db(db => db.Messages.Count(m => m.MessageType == UniLink.Features.Messages.MessageType.Outgoing && !m.Private));
        var drafted = await ActAsync(frame, "a6", "insert_reply", new { text = "Your refund of 48.10 EUR is on its way." });
        Assert.True(drafted["ok"]!.GetValue<bool>(), drafted.ToJsonString());
        await page.GetByRole(AriaRole.Tab, new() { Name = "Messages" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" })).ToHaveValueAsync("Your refund of 48.10 EUR is on its way.");
        Assert.Equal(outgoingBefore, fx.Server.Db(db => db.Messages.Count(m => m.MessageType == UniLink.Features.Messages.MessageType.Outgoing && !m.Private)));

        var activity = fx.Server.Db(db => db.Messages.Where(m => m.MessageType == UniLink.Features.Messages.MessageType.Activity && m.AccountId == account)
            .Select(m => m.Content).ToList());
        Assert.Contains("Orders (app) added a private note", activity);
        Assert.Contains("Orders (app) added refunded", activity);
        Assert.Contains("Orders (app) put a draft in the reply box", activity);
        Assert.Empty(errors);
    }
}
