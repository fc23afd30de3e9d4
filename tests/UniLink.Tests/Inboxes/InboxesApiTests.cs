using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Inboxes;

public sealed class InboxesApiTests(SharedServer server) : AdminApiTests(server)
{
    private static readonly string[] InboxFields =
        // The website inbox's widget settings are on every inbox (null elsewhere), as the reference's inbox partial.
        ["allowed_domains", "avatar_url", "channel_id", "channel_type", "continuity_via_email", "email", "enable_auto_assignment", "greeting_enabled", "greeting_message", "hmac_mandatory", "hmac_token", "id", "inbox_identifier", "name", "pre_chat_form_enabled", "pre_chat_form_options", "provider", "reply_time", "secret", "selected_feature_flags", "web_widget_script", "webhook_url", "website_token", "website_url", "welcome_tagline", "welcome_title", "widget_color"];

    [Fact]
    public async Task Every_channel_type_is_created_listed_and_shown_alike()
    {
        var owner = await _server.CreateUserAsync(null);
        var account = await _server.CreateAccountAsync("Channels", owner.Id);
        using var client = _server.Client(owner.Token);
        var a = $"/api/v1/accounts/{account}/inboxes";
        var api = await (await client.PostAsync(a, Json(new { name = "Shop API", channel = new { type = "api", webhook_url = "https://shop.example/hook" } }))).ExpectAsync(HttpStatusCode.OK);
        var widget = await (await client.PostAsync(a, Json(new { name = "Website", channel = new { type = "web_widget", website_url = "https://www.example.com" } }))).ExpectAsync(HttpStatusCode.OK);
        var email = await (await client.PostAsync(a, Json(new { name = "Support mail", channel = new { type = "email", email = "support@example.com" } }))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Channel::Api", api!["channel_type"]!.GetValue<string>());
        Assert.Equal(24, api["inbox_identifier"]!.GetValue<string>().Length);
        Assert.Equal("https://shop.example/hook", api["webhook_url"]!.GetValue<string>());
        Assert.Equal("Channel::WebWidget", widget!["channel_type"]!.GetValue<string>());
        Assert.Equal("https://www.example.com", widget["website_url"]!.GetValue<string>());
        Assert.Null(widget["inbox_identifier"]);
        Assert.Equal("Channel::Email", email!["channel_type"]!.GetValue<string>());
        Assert.Equal("support@example.com", email["email"]!.GetValue<string>());

        var list = await (await client.GetAsync(a)).ExpectAsync(HttpStatusCode.OK);
        var payload = list!["payload"]!.AsArray();
        Assert.Equal(new[] { api, widget, email }.Select(i => i.ToJsonString()), payload.Select(i => i!.ToJsonString()));
        Assert.All(payload, i => Assert.Equal(InboxFields, i!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)));
        foreach (var inbox in new[] { api, widget, email })
            Assert.True(JsonNode.DeepEquals(inbox, await (await client.GetAsync($"{a}/{inbox["id"]}")).ExpectAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Update_changes_settings_by_patch_or_put_and_refuses_bad_values_without_writing()
    {
        var id = await _admin.CreateInboxAsync(_account, "Before", "web_widget");
        await (await _admin.PatchAsync(P($"inboxes/{id}"), Json(new
        {
            name = "After", greeting_enabled = true, greeting_message = "Hi there!", enable_auto_assignment = false,
            channel = new { website_url = "https://after.example" },
        }))).ExpectAsync(HttpStatusCode.OK);
        var put = await (await _admin.PutAsync(P($"inboxes/{id}"), Json(new { channel = new { webhook_url = "http://hooks.example/x" } }))).ExpectAsync(HttpStatusCode.OK);
        var shown = await (await _admin.GetAsync(P($"inboxes/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.True(JsonNode.DeepEquals(put, shown));
        Assert.Equal("After", shown!["name"]!.GetValue<string>());
        Assert.True(shown["greeting_enabled"]!.GetValue<bool>());
        Assert.Equal("Hi there!", shown["greeting_message"]!.GetValue<string>());
        Assert.False(shown["enable_auto_assignment"]!.GetValue<bool>());
        Assert.Equal("https://after.example", shown["website_url"]!.GetValue<string>());
        Assert.Equal("http://hooks.example/x", shown["webhook_url"]!.GetValue<string>());

        await (await _admin.PatchAsync(P($"inboxes/{id}"), Json(new { name = "" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Name can't be blank","attributes":["name"]}""");
        await (await _admin.PatchAsync(P($"inboxes/{id}"), Json(new { name = "Changed", channel = new { website_url = "javascript:alert(1)" } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Website url must be an http or https URL","attributes":["website_url"]}""");
        await (await _admin.PatchAsync(P($"inboxes/{id}"), Json(new { name = "Changed", greeting_enabled = "maybe" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Greeting enabled must be true or false","attributes":["greeting_enabled"]}""");
        Assert.True(JsonNode.DeepEquals(shown, await (await _admin.GetAsync(P($"inboxes/{id}"))).ExpectAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Channel_addresses_must_be_usable()
    {
        var before = await (await _admin.GetAsync(P("inboxes"))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Mail", channel = new { type = "email", email = "not-an-address" } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Email is invalid","attributes":["email"]}""");
        await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Hook", channel = new { type = "api", webhook_url = "ftp://files.example/in" } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Webhook url must be an http or https URL","attributes":["webhook_url"]}""");
        await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Site", channel = new { type = "web_widget", website_url = "javascript:alert(1)" } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Website url must be an http or https URL","attributes":["website_url"]}""");
        await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Nothing" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Channel must be an object with a type (api, web_widget, email)","attributes":["channel"]}""");
        Assert.True(JsonNode.DeepEquals(before, await (await _admin.GetAsync(P("inboxes"))).ExpectAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Agents_read_inboxes_but_only_administrators_change_them_and_other_accounts_see_nothing()
    {
        var id = await _admin.CreateInboxAsync(_account, "Guarded");
        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        await _admin.AddInboxMemberAsync(_account, id, agent.Id);
        using var agentClient = _server.Client(agent.Token);
        await (await agentClient.GetAsync(P($"inboxes/{id}"))).ExpectAsync(HttpStatusCode.OK);
        await (await agentClient.PatchAsync(P($"inboxes/{id}"), Json(new { name = "Mine now" })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to do this action"}""");

        var outsider = await _server.CreateUserAsync(null);
        var other = await _server.CreateAccountAsync("Other inboxes", outsider.Id);
        using var outsiderClient = _server.Client(outsider.Token);
        await (await outsiderClient.GetAsync($"/api/v1/accounts/{other}/inboxes/{id}")).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await outsiderClient.PatchAsync($"/api/v1/accounts/{other}/inboxes/{id}", Json(new { name = "Taken" }))).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("Guarded", (await (await _admin.GetAsync(P($"inboxes/{id}"))).ExpectAsync(HttpStatusCode.OK))!["name"]!.GetValue<string>());
        await (await _admin.GetAsync(P("inboxes/999999"))).ExpectAsync(HttpStatusCode.NotFound);
    }
}
