using System.Net;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Webhooks;

/// <summary>An API inbox's signing secret is rotated by an administrator; from then on only the new one signs.</summary>
public sealed class InboxSecretTests(WebhookServer shared) : WebhookTests(shared)
{
    [Fact]
    public async Task Rotating_an_api_inbox_secret_signs_the_next_events_with_the_new_one_only()
    {
        await using var receiver = await WebhookReceiver.StartAsync("/inbox");
        var inbox = await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Rotating", channel = new { type = "api", webhook_url = receiver.Url } })))
            .ExpectAsync(HttpStatusCode.OK);
        var id = inbox!["id"]!.GetValue<int>();
        var before = inbox["secret"]!.GetValue<string>();
        var contact = await _admin.CreateContactAsync(_account, "Rita", $"{Guid.NewGuid():N}@example.com");
        var conversation = (await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = id, contact_id = contact["id"]!.GetValue<int>() })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "before rotation" }))).ExpectAsync(HttpStatusCode.OK);
        var first = (await receiver.WaitForAsync(r => r.Any(x => x.Json["content"]?.GetValue<string>() == "before rotation")))
            .Single(x => x.Json["content"]?.GetValue<string>() == "before rotation");
        Assert.True(WebhookReceiver.SignatureValid(first, before));

        var rotated = await (await _admin.PostAsync(P($"inboxes/{id}/reset_secret"), null)).ExpectAsync(HttpStatusCode.OK);
        var after = rotated!["secret"]!.GetValue<string>();
        Assert.NotEqual(before, after);
        Assert.Equal(id, rotated["id"]!.GetValue<int>());
        Assert.Equal(after, (await (await _admin.GetAsync(P($"inboxes/{id}"))).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>());

        await (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "after rotation" }))).ExpectAsync(HttpStatusCode.OK);
        var second = (await receiver.WaitForAsync(r => r.Any(x => x.Json["content"]?.GetValue<string>() == "after rotation")))
            .Single(x => x.Json["content"]?.GetValue<string>() == "after rotation");
        Assert.True(WebhookReceiver.SignatureValid(second, after));
        Assert.False(WebhookReceiver.SignatureValid(second, before), "the previous secret no longer signs");
    }

    [Fact]
    public async Task Only_an_administrator_of_the_inbox_s_account_rotates_and_only_an_api_inbox_has_a_secret()
    {
        var inbox = await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Guarded", channel = new { type = "api" } }))).ExpectAsync(HttpStatusCode.OK);
        var id = inbox!["id"]!.GetValue<int>();
        var secret = inbox["secret"]!.GetValue<string>();

        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        using var agentClient = _server.Client(agent.Token);
        await (await agentClient.PostAsync(P($"inboxes/{id}/reset_secret"), null)).ExpectAsync(HttpStatusCode.Unauthorized);

        // An administrator of two accounts cannot rotate one account's inbox through the other.
        var twoAccounts = await _server.CreateUserAsync(_account, Roles.Agent);
        var other = await _server.CreateAccountAsync("Elsewhere", twoAccounts.Id);
        using var client = _server.Client(twoAccounts.Token);
        await (await client.PostAsync($"/api/v1/accounts/{other}/inboxes/{id}/reset_secret", null)).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync($"/api/v1/accounts/{other}/inboxes/not-a-number/reset_secret", null)).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(secret, (await (await _admin.GetAsync(P($"inboxes/{id}"))).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>());

        var widget = await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Site", channel = new { type = "web_widget", website_url = "https://shop.example.com" } })))
            .ExpectAsync(HttpStatusCode.OK);
        var refused = await (await _admin.PostAsync(P($"inboxes/{widget!["id"]}/reset_secret"), null)).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("channel", refused!["attributes"]![0]!.GetValue<string>());
    }
}
