using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Public;

/// <summary><c>PATCH /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}</c>, as the reference's client API.</summary>
public sealed class PublicContactUpdateTests : IClassFixture<SharedServer>, IDisposable
{
    private readonly UniLinkServer _server;
    private readonly HttpClient _admin;
    private readonly HttpClient _public;
    private readonly int _account;

    public PublicContactUpdateTests(SharedServer server)
    {
        _server = server.Instance;
        _admin = _server.AdminClient();
        _public = _server.Client();
        _account = _server.AccountId;
    }

    public void Dispose()
    {
        _admin.Dispose();
        _public.Dispose();
    }

    private async Task<(string Inbox, string Source, int ContactId)> ContactAsync(string name)
    {
        var inbox = await (await _admin.PostAsync($"/api/v1/accounts/{_account}/inboxes", Json(new { name = "Public", channel = new { type = "api" } }))).ExpectAsync(HttpStatusCode.OK);
        var identifier = inbox!["inbox_identifier"]!.GetValue<string>();
        var contact = await (await _public.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts", Json(new { name, custom_attributes = new { plan = "free" } })))
            .ExpectAsync(HttpStatusCode.OK);
        return (identifier, contact!["source_id"]!.GetValue<string>(), contact["id"]!.GetValue<int>());
    }

    private async Task<JsonNode> AgentViewAsync(int contactId) =>
        (await (await _admin.GetAsync($"/api/v1/accounts/{_account}/contacts/{contactId}")).ExpectAsync(HttpStatusCode.OK))!["payload"]!;

    [Fact]
    public async Task The_integration_updates_its_contact_and_agents_see_the_change()
    {
        var (inbox, source, contactId) = await ContactAsync("Guest 4711");
        var path = $"/public/api/v1/inboxes/{inbox}/contacts/{source}";
        var updated = await (await _public.PatchAsync(path, Json(new
        {
            name = "Priya Natarajan", email = "Priya@Example.in", phone_number = "+919812345678", identifier = "shop-user-4711",
            custom_attributes = new { plan = "premium", cart_items = 3 },
        }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(contactId, updated!["id"]!.GetValue<int>());
        Assert.Equal("Priya Natarajan", updated["name"]!.GetValue<string>());
        Assert.Equal("priya@example.in", updated["email"]!.GetValue<string>());
        Assert.Equal("+919812345678", updated["phone_number"]!.GetValue<string>());
        Assert.Equal("shop-user-4711", updated["identifier"]!.GetValue<string>());
        Assert.Equal("""{"plan":"premium","cart_items":3}""", updated["custom_attributes"]!.ToJsonString());

        var shown = await (await _public.GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Priya Natarajan", shown!["name"]!.GetValue<string>());
        var agentView = await AgentViewAsync(contactId);
        Assert.Equal("shop-user-4711", agentView["identifier"]!.GetValue<string>());
        Assert.Equal("""{"plan":"premium","cart_items":3}""", agentView["custom_attributes"]!.ToJsonString());

        var put = await (await _public.PutAsync(path, Json(new { custom_attributes = new { cart_items = 0 }, email = (string?)null }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Priya Natarajan", put!["name"]!.GetValue<string>());
        Assert.Equal("priya@example.in", put["email"]!.GetValue<string>());
        Assert.Equal("""{"plan":"premium","cart_items":0}""", put["custom_attributes"]!.ToJsonString());
    }

    [Fact]
    public async Task The_integration_cannot_unblock_itself_or_touch_the_agents_attributes()
    {
        var (inbox, source, contactId) = await ContactAsync("Blocked Guest");
        await (await _admin.PatchAsync($"/api/v1/accounts/{_account}/contacts/{contactId}", Json(new { blocked = true, additional_attributes = new { description = "abusive" } })))
            .ExpectAsync(HttpStatusCode.OK);
        await (await _public.PatchAsync($"/public/api/v1/inboxes/{inbox}/contacts/{source}", Json(new
        {
            name = "Innocent Guest", blocked = false, additional_attributes = new { description = "lovely" },
        }))).ExpectAsync(HttpStatusCode.OK);
        var agentView = await AgentViewAsync(contactId);
        Assert.Equal("Innocent Guest", agentView["name"]!.GetValue<string>());
        Assert.True(agentView["blocked"]!.GetValue<bool>());
        Assert.Equal("""{"description":"abusive"}""", agentView["additional_attributes"]!.ToJsonString());
    }

    [Fact]
    public async Task Bad_updates_are_refused_and_change_nothing()
    {
        var (inbox, source, contactId) = await ContactAsync("Careful Guest");
        var (_, _, otherId) = await ContactAsync("Other Guest");
        await (await _admin.PatchAsync($"/api/v1/accounts/{_account}/contacts/{otherId}", Json(new { email = "taken@example.com" }))).ExpectAsync(HttpStatusCode.OK);
        var before = (await AgentViewAsync(contactId)).ToJsonString();
        var path = $"/public/api/v1/inboxes/{inbox}/contacts/{source}";

        await (await _public.PatchAsync(path, Json(new { name = "x", email = "taken@example.com" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Email has already been taken","attributes":["email"]}""");
        await (await _public.PatchAsync(path, Json(new { name = "x", email = "nope" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Email is invalid","attributes":["email"]}""");
        await (await _public.PatchAsync(path, Json(new { name = "x", phone_number = "0800 123" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Phone number should be in e164 format","attributes":["phone_number"]}""");
        await (await _public.PatchAsync(path, Json(new { name = new string('n', 256) })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Name is too long (maximum is 255 characters)","attributes":["name"]}""");
        await (await _public.PatchAsync(path, Json(new { custom_attributes = new[] { 1 } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Custom attributes must be an object","attributes":["custom_attributes"]}""");
        var malformed = await (await _public.PatchAsync(path, RawJson("{\"name\": "))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("Malformed JSON", malformed!["error"]!.GetValue<string>());
        Assert.Equal(before, (await AgentViewAsync(contactId)).ToJsonString());

        await (await _public.PatchAsync($"/public/api/v1/inboxes/{inbox}/contacts/not-a-source", Json(new { name = "x" })))
            .ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await _public.PatchAsync($"/public/api/v1/inboxes/not-an-inbox/contacts/{source}", Json(new { name = "x" }))).ExpectAsync(HttpStatusCode.NotFound);
        var (otherInbox, _, _) = await ContactAsync("Third Guest");
        await (await _public.PatchAsync($"/public/api/v1/inboxes/{otherInbox}/contacts/{source}", Json(new { name = "x" }))).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(before, (await AgentViewAsync(contactId)).ToJsonString());
    }
}
