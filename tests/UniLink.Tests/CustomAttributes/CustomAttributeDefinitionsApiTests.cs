using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.CustomAttributes;

public sealed class CustomAttributeDefinitionsApiTests(SharedServer server) : AdminApiTests(server)
{
    [Fact]
    public async Task Definitions_are_created_shown_updated_filtered_by_model_and_deleted()
    {
        var created = await (await _admin.PostAsync(P("custom_attribute_definitions"), Json(new
        {
            attribute_display_name = "Order value", attribute_display_type = "currency", attribute_key = "order_value", attribute_model = "conversation_attribute",
            attribute_description = "Total of the order", default_value = "0",
        }))).ExpectAsync(HttpStatusCode.OK);
        var id = created!["id"]!.GetValue<int>();
        Assert.Equal("currency", created["attribute_display_type"]!.GetValue<string>());
        Assert.Equal("conversation_attribute", created["attribute_model"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", created["created_at"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(created, await (await _admin.GetAsync(P($"custom_attribute_definitions/{id}"))).ExpectAsync(HttpStatusCode.OK)));

        var updated = await (await _admin.PatchAsync(P($"custom_attribute_definitions/{id}"), Json(new
        {
            custom_attribute_definition = new { attribute_display_name = "Order total", regex_pattern = "^[0-9]+$", regex_cue = "Digits only" },
        }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Order total", updated!["attribute_display_name"]!.GetValue<string>());
        Assert.Equal("^[0-9]+$", updated["regex_pattern"]!.GetValue<string>());
        Assert.Equal("Total of the order", updated["attribute_description"]!.GetValue<string>());
        var put = await (await _admin.PutAsync(P($"custom_attribute_definitions/{id}"), Json(new { attribute_display_type = "list", attribute_values = new[] { "small", "large" } })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""["small","large"]""", put!["attribute_values"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(put, await (await _admin.GetAsync(P($"custom_attribute_definitions/{id}"))).ExpectAsync(HttpStatusCode.OK)));

        foreach (var model in new[] { "conversation_attribute", "0" })
        {
            var list = (await (await _admin.GetAsync(P($"custom_attribute_definitions?attribute_model={model}"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
            Assert.Contains(list, d => d!["id"]!.GetValue<int>() == id);
            Assert.All(list, d => Assert.Equal("conversation_attribute", d!["attribute_model"]!.GetValue<string>()));
        }
        Assert.DoesNotContain((await (await _admin.GetAsync(P("custom_attribute_definitions?attribute_model=contact_attribute"))).ExpectAsync(HttpStatusCode.OK))!.AsArray(),
            d => d!["id"]!.GetValue<int>() == id);
        await (await _admin.GetAsync(P("custom_attribute_definitions?attribute_model=ticket")))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Attribute model 'ticket' is not one of conversation_attribute, contact_attribute","attributes":["attribute_model"]}""");

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync(P($"custom_attribute_definitions/{id}"))).StatusCode);
        await (await _admin.GetAsync(P($"custom_attribute_definitions/{id}"))).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await _admin.DeleteAsync(P($"custom_attribute_definitions/{id}"))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_definitions_are_refused_naming_the_field_and_agents_only_read()
    {
        var before = await (await _admin.GetAsync(P("custom_attribute_definitions"))).ExpectAsync(HttpStatusCode.OK);
        async Task Refused(object body, string expected) =>
            await (await _admin.PostAsync(P("custom_attribute_definitions"), Json(body))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, expected);
        await Refused(new { attribute_display_name = "X", attribute_display_type = "text", attribute_key = "x", attribute_model = "contact_attribute", regex_pattern = "([a-z" },
            """{"message":"Regex pattern is not a valid regular expression","attributes":["regex_pattern"]}""");
        await Refused(new { attribute_display_name = "X", attribute_display_type = new { kind = "text" }, attribute_key = "x", attribute_model = "contact_attribute" },
            """{"message":"Attribute display type must be a string","attributes":["attribute_display_type"]}""");
        await Refused(new { attribute_display_name = "X", attribute_display_type = "text", attribute_key = "has space", attribute_model = "contact_attribute" },
            """{"message":"Attribute key may only contain letters, digits and '_'","attributes":["attribute_key"]}""");
        await Refused(new { attribute_display_type = "text", attribute_key = "x", attribute_model = "contact_attribute" },
            """{"message":"Attribute display name can't be blank","attributes":["attribute_display_name"]}""");
        Assert.True(JsonNode.DeepEquals(before, await (await _admin.GetAsync(P("custom_attribute_definitions"))).ExpectAsync(HttpStatusCode.OK)));

        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        using var client = _server.Client(agent.Token);
        await (await client.GetAsync(P("custom_attribute_definitions"))).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostAsync(P("custom_attribute_definitions"), Json(new { attribute_display_name = "X", attribute_display_type = "text", attribute_key = "y", attribute_model = "contact_attribute" })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to do this action"}""");
        await (await client.DeleteAsync(P("custom_attribute_definitions/1"))).ExpectAsync(HttpStatusCode.Unauthorized);
    }
}
