using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Widget;

/// <summary>The "Website" inbox (issue 18): created and changed as the reference's web_widget channel, with its snippet.</summary>
public sealed class WebsiteInboxApiTests(SharedServer server) : AdminApiTests(server)
{
    [Fact]
    public async Task A_website_inbox_answers_its_token_secret_settings_and_the_references_snippet()
    {
        var created = await (await _admin.PostAsync(P("inboxes"), Json(new
        {
            name = "Shop website", greeting_enabled = true, greeting_message = "Hello!",
            channel = new
            {
                type = "web_widget", website_url = "https://shop.example.com", widget_color = "#aa3300", welcome_title = "Hi there",
                welcome_tagline = "Ask us anything", reply_time = "in_a_few_hours", hmac_mandatory = true, pre_chat_form_enabled = true,
                pre_chat_form_options = new { pre_chat_message = "Tell us who you are" }, allowed_domains = "shop.example.com, *.example.org",
            },
        }))).ExpectAsync(HttpStatusCode.OK);
        var token = created!["website_token"]!.GetValue<string>();
        Assert.Equal(24, token.Length);
        Assert.Equal(64, created["hmac_token"]!.GetValue<string>().Length);
        Assert.Equal("#aa3300", created["widget_color"]!.GetValue<string>());
        Assert.Equal("Hi there", created["welcome_title"]!.GetValue<string>());
        Assert.Equal("Ask us anything", created["welcome_tagline"]!.GetValue<string>());
        Assert.Equal("in_a_few_hours", created["reply_time"]!.GetValue<string>());
        Assert.True(created["hmac_mandatory"]!.GetValue<bool>());
        Assert.True(created["pre_chat_form_enabled"]!.GetValue<bool>());
        Assert.Equal("Tell us who you are", created["pre_chat_form_options"]!["pre_chat_message"]!.GetValue<string>());
        Assert.Equal("shop.example.com\n*.example.org", created["allowed_domains"]!.GetValue<string>());
        Assert.True(created["greeting_enabled"]!.GetValue<bool>());
        Assert.Equal(3, created["selected_feature_flags"]!.GetValue<int>());

        // The reference's snippet, with this server as BASE_URL and the inbox's token.
        var script = created["web_widget_script"]!.GetValue<string>();
        var origin = _server.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.Contains($"var BASE_URL=\"{origin}\";", script);
        Assert.Contains("g.src=BASE_URL+\"/packs/js/sdk.js\";", script);
        Assert.Contains($"websiteToken: '{token}',", script);
        Assert.Contains("window.chatwootSDK.run({", script);
        Assert.StartsWith("<script>", script);

        // An agent of the inbox sees it without the secret.
        var id = created["id"]!.GetValue<int>();
        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        await _admin.AddInboxMemberAsync(_account, id, agent.Id);
        using var agentClient = _server.Client(agent.Token);
        var seen = await (await agentClient.GetAsync(P($"inboxes/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(seen!["hmac_token"]);
        Assert.Equal(token, seen["website_token"]!.GetValue<string>());

        // Other channels carry the same keys, empty, as the reference's partial.
        var api = await (await _admin.PostAsync(P("inboxes"), Json(new { name = "API", channel = new { type = "api" } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(api!["website_token"]);
        Assert.Null(api["web_widget_script"]);
    }

    [Fact]
    public async Task Bad_widget_settings_are_refused_naming_the_field_and_nothing_is_written()
    {
        var before = await (await _admin.GetAsync(P("inboxes"))).ExpectAsync(HttpStatusCode.OK);
        async Task Refused(object channel, string attribute)
        {
            var body = await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Bad", channel }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal([attribute], body!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        }
        await Refused(new { type = "web_widget", widget_color = "red" }, "widget_color");
        await Refused(new { type = "web_widget", reply_time = "soon" }, "reply_time");
        await Refused(new { type = "web_widget", allowed_domains = "shop.example.com, <b>evil</b>" }, "allowed_domains");
        await Refused(new { type = "web_widget", hmac_mandatory = "yes" }, "hmac_mandatory");
        await Refused(new { type = "web_widget", pre_chat_form_options = "all" }, "pre_chat_form_options");
        await Refused(new { type = "web_widget", welcome_title = new string('x', 256) }, "welcome_title");
        Assert.True(JsonNode.DeepEquals(before, await (await _admin.GetAsync(P("inboxes"))).ExpectAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Widget_settings_change_by_patch_and_another_accounts_administrator_reaches_nothing()
    {
        var id = (await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Site", channel = new { type = "web_widget", website_url = "https://a.example" } })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var changed = await (await _admin.PatchAsync(P($"inboxes/{id}"), Json(new
        {
            channel = new { widget_color = "#123456", welcome_title = "Welcome", hmac_mandatory = true, allowed_domains = new[] { "a.example" } },
        }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("#123456", changed!["widget_color"]!.GetValue<string>());
        Assert.Equal("Welcome", changed["welcome_title"]!.GetValue<string>());
        Assert.True(changed["hmac_mandatory"]!.GetValue<bool>());
        Assert.Equal("a.example", changed["allowed_domains"]!.GetValue<string>());
        Assert.Equal("https://a.example", changed["website_url"]!.GetValue<string>());
        await (await _admin.PatchAsync(P($"inboxes/{id}"), Json(new { channel = new { widget_color = "#12345" } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Widget color must be a colour such as #1f93ff","attributes":["widget_color"]}""");

        var outsider = await _server.CreateUserAsync(null);
        var other = await _server.CreateAccountAsync("Other site", outsider.Id);
        using var outsiderClient = _server.Client(outsider.Token);
        await (await outsiderClient.PatchAsync($"/api/v1/accounts/{other}/inboxes/{id}", Json(new { channel = new { widget_color = "#000000" } })))
            .ExpectAsync(HttpStatusCode.NotFound);
        var shown = await (await _admin.GetAsync(P($"inboxes/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.True(JsonNode.DeepEquals(changed, shown));
    }
}
