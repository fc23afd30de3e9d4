using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Public;

public sealed class PublicClientApiTests(SharedServer server) : AdminApiTests(server)
{
    private async Task<(string Pub, string Source, int Conversation, HttpClient Client)> ArrangeAsync()
    {
        var inbox = await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Client API", channel = new { type = "api" } }))).ExpectAsync(HttpStatusCode.OK);
        var pub = $"/public/api/v1/inboxes/{inbox!["inbox_identifier"]!.GetValue<string>()}";
        var client = _server.Client();
        var contact = await (await client.PostAsync($"{pub}/contacts", Json(new { name = "Client Contact" }))).ExpectAsync(HttpStatusCode.OK);
        var source = contact!["source_id"]!.GetValue<string>();
        var conversation = await (await client.PostAsync($"{pub}/contacts/{source}/conversations", Json(new { }))).ExpectAsync(HttpStatusCode.OK);
        return (pub, source, conversation!["id"]!.GetValue<int>(), client);
    }

    [Fact]
    public async Task The_inbox_and_a_conversation_are_shown_and_the_contact_resolves_it_and_marks_it_seen()
    {
        var (pub, source, id, client) = await ArrangeAsync();
        var inbox = await (await client.GetAsync(pub)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Client API", inbox!["name"]!.GetValue<string>());
        Assert.Equal(pub.Split('/')[^1], inbox["identifier"]!.GetValue<string>());
        Assert.False(inbox["identity_validation_enabled"]!.GetValue<bool>());
        await (await client.GetAsync("/public/api/v1/inboxes/nope")).ExpectAsync(HttpStatusCode.NotFound);

        var shown = await (await client.GetAsync($"{pub}/contacts/{source}/conversations/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, shown!["id"]!.GetValue<int>());
        Assert.Equal("open", shown["status"]!.GetValue<string>());
        await (await client.GetAsync($"{pub}/contacts/{source}/conversations/999999")).ExpectAsync(HttpStatusCode.NotFound);

        var resolved = await (await client.PostAsync($"{pub}/contacts/{source}/conversations/{id}/toggle_status", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("resolved", resolved!["status"]!.GetValue<string>());
        // Resolving again leaves it resolved (never reopens).
        var again = await (await client.PostAsync($"{pub}/contacts/{source}/conversations/{id}/toggle_status", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("resolved", again!["status"]!.GetValue<string>());
        var agentView = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("resolved", agentView!["status"]!.GetValue<string>());
        Assert.Equal(0, agentView["contact_last_seen_at"]!.GetValue<long>());

        await (await client.PostAsync($"{pub}/contacts/{source}/conversations/{id}/update_last_seen", null)).ExpectAsync(HttpStatusCode.OK);
        agentView = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.True(agentView!["contact_last_seen_at"]!.GetValue<long>() > 0);
        await (await client.PostAsync($"{pub}/contacts/{source}/conversations/{id}/toggle_typing", Json(new { typing_status = "on" }))).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostAsync($"{pub}/contacts/{source}/conversations/{id}/toggle_typing", Json(new { typing_status = 5 }))).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_contact_submits_values_to_a_message_and_cannot_reach_another_contacts_conversation()
    {
        var (pub, source, id, client) = await ArrangeAsync();
        var question = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "Pick one", content_type = "input_select" })))
            .ExpectAsync(HttpStatusCode.OK);
        var messageId = question!["id"]!.GetValue<int>();
        var submitted = await (await client.PatchAsync($"{pub}/contacts/{source}/conversations/{id}/messages/{messageId}",
            Json(new { submitted_values = new[] { new { name = "size", title = "Size", value = "M" } } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("M", submitted!["content_attributes"]!["submitted_values"]![0]!["value"]!.GetValue<string>());
        await (await client.PatchAsync($"{pub}/contacts/{source}/conversations/{id}/messages/{messageId}", Json(new { submitted_values = "M" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity,
                """{"message":"Submitted values must be a list of at most 50 objects with name, title and value","attributes":["submitted_values"]}""");

        var other = await (await client.PostAsync($"{pub}/contacts", Json(new { name = "Someone else" }))).ExpectAsync(HttpStatusCode.OK);
        var otherSource = other!["source_id"]!.GetValue<string>();
        await (await client.GetAsync($"{pub}/contacts/{otherSource}/conversations/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync($"{pub}/contacts/{otherSource}/conversations/{id}/toggle_status", null)).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.PatchAsync($"{pub}/contacts/{otherSource}/conversations/{id}/messages/{messageId}",
            Json(new { submitted_values = new object[0] }))).ExpectAsync(HttpStatusCode.NotFound);
    }
}
