using System.Net;
using System.Text.Json.Nodes;

namespace UniLink.Tests.Infrastructure;

/// <summary>Arranges data through the public API, as a client would.</summary>
public static class ApiSeed
{
    public static async Task<int> CreateInboxAsync(this HttpClient client, int accountId, string name = "Support API", string type = "api")
    {
        var body = await (await client.PostAsync($"/api/v1/accounts/{accountId}/inboxes",
            HttpAssertions.Json(new { name, channel = new { type } }))).ExpectAsync(HttpStatusCode.OK);
        return body!["id"]!.GetValue<int>();
    }

    public static async Task<JsonNode> CreateContactAsync(this HttpClient client, int accountId, string name, string? email = null, int? inboxId = null)
    {
        var body = await (await client.PostAsync($"/api/v1/accounts/{accountId}/contacts",
            HttpAssertions.Json(new { name, email, inbox_id = inboxId }))).ExpectAsync(HttpStatusCode.OK);
        return body!["payload"]!["contact"]!;
    }

    /// <summary>Makes the user a member of the inbox (an agent sees only the conversations of inboxes they work).</summary>
    public static async Task AddInboxMemberAsync(this HttpClient administrator, int accountId, int inboxId, int userId) =>
        await (await administrator.PostAsync($"/api/v1/accounts/{accountId}/inbox_members",
            HttpAssertions.Json(new { inbox_id = inboxId, user_ids = new[] { userId } }))).ExpectAsync(HttpStatusCode.OK);

    /// <summary>An inbox, a contact and a conversation with one incoming message; returns the conversation JSON.</summary>
    public static async Task<JsonNode> CreateConversationAsync(this HttpClient client, int accountId, string contactName = "Maria Lopez", string firstMessage = "Hello, where is my order?")
    {
        var inboxId = await client.CreateInboxAsync(accountId);
        var contact = await client.CreateContactAsync(accountId, contactName, $"{Guid.NewGuid():N}@example.com");
        var conversation = await (await client.PostAsync($"/api/v1/accounts/{accountId}/conversations",
            HttpAssertions.Json(new { inbox_id = inboxId, contact_id = contact["id"]!.GetValue<int>() }))).ExpectAsync(HttpStatusCode.OK);
        var id = conversation!["id"]!.GetValue<int>();
        await (await client.PostAsync($"/api/v1/accounts/{accountId}/conversations/{id}/messages",
            HttpAssertions.Json(new { content = firstMessage, message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        return (await (await client.GetAsync($"/api/v1/accounts/{accountId}/conversations/{id}")).ExpectAsync(HttpStatusCode.OK))!;
    }
}
