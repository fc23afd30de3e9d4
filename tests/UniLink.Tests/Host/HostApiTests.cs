using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Host;

public sealed class HostApiTests(SharedServer server) : AdminApiTests(server)
{
    [Fact]
    public async Task A_customer_side_integration_writes_in_through_the_public_api()
    {
        var inbox = await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Shop API", channel = new { type = "api" } }))).ExpectAsync(HttpStatusCode.OK);
        var identifier = inbox!["inbox_identifier"]!.GetValue<string>();
        var client = _server.Client();
        var pub = $"/public/api/v1/inboxes/{identifier}";

        var contact = await (await client.PostAsync($"{pub}/contacts", Json(new { name = "Ana Public", email = "ana.public@example.com" }))).ExpectAsync(HttpStatusCode.OK);
        var source = contact!["source_id"]!.GetValue<string>();
        Assert.Equal("Ana Public", (await (await client.GetAsync($"{pub}/contacts/{source}")).ExpectAsync(HttpStatusCode.OK))!["name"]!.GetValue<string>());

        var conversation = await (await client.PostAsync($"{pub}/contacts/{source}/conversations", Json(new { }))).ExpectAsync(HttpStatusCode.OK);
        var id = conversation!["id"]!.GetValue<int>();
        var message = await (await client.PostAsync($"{pub}/contacts/{source}/conversations/{id}/messages", Json(new { content = "Hi from the shop app", echo_id = "e1" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, message!["message_type"]!.GetValue<int>());
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "internal", @private = true }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "Hello Ana!" }))).ExpectAsync(HttpStatusCode.OK);

        var thread = (await (await client.GetAsync($"{pub}/contacts/{source}/conversations/{id}/messages")).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal(["Hi from the shop app", "Hello Ana!"], thread.Select(m => m!["content"]!.GetValue<string>()));
        Assert.Single((await (await client.GetAsync($"{pub}/contacts/{source}/conversations")).ExpectAsync(HttpStatusCode.OK))!.AsArray());

        var seen = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Ana Public", seen!["meta"]!["sender"]!["name"]!.GetValue<string>());

        await (await client.GetAsync("/public/api/v1/inboxes/nope/contacts/x")).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await client.GetAsync($"{pub}/contacts/not-a-source")).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync($"{pub}/contacts/{source}/conversations/{id}/messages", Json(new { content = "" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        var widget = await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Widget", channel = new { type = "web_widget" } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(widget!["inbox_identifier"]);
    }

    [Fact]
    public async Task Contacts_are_created_searched_updated_and_deleted_with_clear_errors()
    {
        var inboxId = await _admin.CreateInboxAsync(_account);
        var created = await (await _admin.PostAsync(P("contacts"), Json(new
        {
            name = "Jonas Weber", email = "Jonas.Weber@example.de", phone_number = "+4930111222", inbox_id = inboxId,
            additional_attributes = new { company_name = "Weber GmbH" }, custom_attributes = new { plan = "pro" },
        }))).ExpectAsync(HttpStatusCode.OK);
        var contact = created!["payload"]!["contact"]!;
        Assert.Equal("jonas.weber@example.de", contact["email"]!.GetValue<string>());
        Assert.NotNull(created["payload"]!["contact_inbox"]!["source_id"]);
        var id = contact["id"]!.GetValue<int>();

        await (await _admin.PostAsync(P("contacts"), Json(new { name = "Dup", email = "jonas.weber@example.de" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Email has already been taken","attributes":["email"]}""");
        await (await _admin.PostAsync(P("contacts"), Json(new { name = "Bad", phone_number = "12345" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Phone number should be in e164 format","attributes":["phone_number"]}""");

        var found = await (await _admin.GetAsync(P("contacts/search?q=weber"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(found!["payload"]!.AsArray(), c => c!["id"]!.GetValue<int>() == id);
        Assert.NotEmpty(found["payload"]![0]!["contact_inboxes"]!.AsArray());

        var updated = await (await _admin.PatchAsync(P($"contacts/{id}"), Json(new { custom_attributes = new { city = "Berlin" } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""{"plan":"pro","city":"Berlin"}""", updated!["payload"]!["custom_attributes"]!.ToJsonString());
        Assert.Equal("Jonas Weber", updated["payload"]!["name"]!.GetValue<string>());

        await (await _admin.DeleteAsync(P($"contacts/{id}"))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.GetAsync(P($"contacts/{id}"))).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
    }

    [Fact]
    public async Task Labels_belong_to_administrators_and_follow_the_reference_rules()
    {
        var label = await (await _admin.PostAsync(P("labels"), Json(new { title = "Urgent-Billing", color = "#ff0000" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("urgent-billing", label!["title"]!.GetValue<string>());
        await (await _admin.PostAsync(P("labels"), Json(new { title = "urgent-billing" }))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Title has already been taken","attributes":["title"]}""");
        await (await _admin.PostAsync(P("labels"), Json(new { title = "has space" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        var agent = await _server.CreateUserAsync(_account);
        using var client = _server.Client(agent.Token);
        await (await client.GetAsync(P("labels"))).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostAsync(P("labels"), Json(new { title = "x" }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to do this action"}""");
        await (await _admin.DeleteAsync(P($"labels/{label["id"]}"))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.GetAsync(P($"labels/{label["id"]}"))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Custom_attribute_definitions_have_every_reference_field_and_validate()
    {
        var definition = await (await _admin.PostAsync(P("custom_attribute_definitions"), Json(new
        {
            custom_attribute_definition = new { attribute_display_name = "Tier", attribute_display_type = "list", attribute_key = "tier", attribute_model = "contact_attribute", attribute_values = new[] { "gold", "silver" } },
        }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["attribute_description", "attribute_display_name", "attribute_display_type", "attribute_key", "attribute_model", "attribute_values", "created_at", "default_value", "id", "regex_cue", "regex_pattern", "updated_at"],
            definition!.AsObject().Select(p => p.Key).Order());
        Assert.Equal("list", definition["attribute_display_type"]!.GetValue<string>());
        var contactOnes = (await (await _admin.GetAsync(P("custom_attribute_definitions?attribute_model=contact_attribute"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Contains(contactOnes, d => d!["attribute_key"]!.GetValue<string>() == "tier");
        await (await _admin.PostAsync(P("custom_attribute_definitions"), Json(new { attribute_display_name = "X", attribute_display_type = "colour", attribute_key = "x", attribute_model = "contact_attribute" })))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await (await _admin.PostAsync(P("custom_attribute_definitions"), Json(new { attribute_display_name = "Tier 2", attribute_display_type = "text", attribute_key = "tier", attribute_model = "contact_attribute" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Attribute key has already been taken","attributes":["attribute_key"]}""");
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync(P($"custom_attribute_definitions/{definition["id"]}"))).StatusCode);
    }

    [Fact]
    public async Task Inboxes_are_created_by_administrators_with_a_known_channel()
    {
        await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Fax", channel = new { type = "fax" } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Channel type 'fax' is not one of api, web_widget, email","attributes":["channel"]}""");
        var agent = await _server.CreateUserAsync(_account);
        using var client = _server.Client(agent.Token);
        await (await client.PostAsync(P("inboxes"), Json(new { name = "Mine", channel = new { type = "api" } }))).ExpectAsync(HttpStatusCode.Unauthorized);
        var list = await (await client.GetAsync(P("inboxes"))).ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull(list!["payload"]!.AsArray());
    }

    [Fact]
    public async Task The_openapi_document_and_reference_page_are_served()
    {
        var doc = await (await _server.Client().GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(doc!["paths"]!.AsObject().ContainsKey("/api/v1/accounts/{account_id}/dashboard_apps"));
        Assert.Equal(HttpStatusCode.OK, (await _server.Client().GetAsync("/api-docs")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/accounts/{0}/no_such_resource")]
    [InlineData("POST", "/api/v1/accounts/{0}/conversations/1/no_such_action")]
    [InlineData("GET", "/api/v2/accounts/{0}/reports")]
    [InlineData("GET", "/public/api/v1/inboxes/x/no_such_thing")]
    [InlineData("GET", "/platform/api/v1/no_such_resource")]
    [InlineData("GET", "/auth/no_such_route")]
    [InlineData("GET", "/api")]
    public async Task Unknown_api_paths_are_a_json_404_with_or_without_a_token(string method, string path)
    {
        path = string.Format(path, _account);
        foreach (var client in new[] { _admin, _server.Client() })
        {
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("""{"error":"Resource could not be found"}""", await response.Content.ReadAsStringAsync());
        }
    }
}
