using System.Net;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Webhooks;

/// <summary><c>/api/v1/accounts/{id}/webhooks</c> as the reference answers, and what UniLink adds (secret, log, test event).</summary>
public sealed class WebhooksApiTests(WebhookServer shared) : WebhookTests(shared)
{
    [Fact]
    public async Task Create_list_update_delete_answer_the_reference_shapes()
    {
        var created = await (await _admin.PostAsync(P("webhooks"), Json(new
        {
            webhook = new { url = "http://127.0.0.1:9/a", subscriptions = new[] { "message_created", "conversation_created" }, name = "n8n" },
        }))).ExpectAsync(HttpStatusCode.OK);
        var webhook = created!["payload"]!["webhook"]!;
        var id = webhook["id"]!.GetValue<int>();
        Assert.Equal("http://127.0.0.1:9/a", webhook["url"]!.GetValue<string>());
        Assert.Equal("n8n", webhook["name"]!.GetValue<string>());
        Assert.Equal(_account, webhook["account_id"]!.GetValue<int>());
        Assert.Equal(["message_created", "conversation_created"], webhook["subscriptions"]!.AsArray().Select(s => s!.GetValue<string>()));
        var secret = webhook["secret"]!.GetValue<string>();
        Assert.True(secret.Length >= 32);

        var list = await (await _admin.GetAsync(P("webhooks"))).ExpectAsync(HttpStatusCode.OK);
        var listed = list!["payload"]!["webhooks"]!.AsArray().Single(w => w!["id"]!.GetValue<int>() == id)!;
        Assert.Null(listed["secret"]);
        Assert.Equal(secret, (await (await _admin.GetAsync(P($"webhooks/{id}/secret"))).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>());

        // Unwrapped, as the reference's web UI sends it; omitted fields keep their value.
        var updated = await (await _admin.PatchAsync(P($"webhooks/{id}"), Json(new { subscriptions = new[] { "contact_created" } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("http://127.0.0.1:9/a", updated!["payload"]!["webhook"]!["url"]!.GetValue<string>());
        Assert.Equal(["contact_created"], updated["payload"]!["webhook"]!["subscriptions"]!.AsArray().Select(s => s!.GetValue<string>()));
        await (await _admin.PutAsync(P($"webhooks/{id}"), Json(new { webhook = new { url = "http://127.0.0.1:9/b" } }))).ExpectAsync(HttpStatusCode.OK);

        var rotated = (await (await _admin.PostAsync(P($"webhooks/{id}/secret"), null)).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>();
        Assert.NotEqual(secret, rotated);

        var deleted = await _admin.DeleteAsync(P($"webhooks/{id}"));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await (await _admin.DeleteAsync(P($"webhooks/{id}"))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_webhook_without_subscriptions_gets_the_reference_defaults()
    {
        var created = await (await _admin.PostAsync(P("webhooks"), Json(new { url = $"http://127.0.0.1:9/{Guid.NewGuid():N}" }))).ExpectAsync(HttpStatusCode.OK);
        var subs = created!["payload"]!["webhook"]!["subscriptions"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Contains("message_created", subs);
        Assert.Contains("conversation_status_changed", subs);
        Assert.DoesNotContain("conversation_typing_on", subs);
    }

    [Theory]
    [InlineData("""{"webhook":{"url":"http://127.0.0.1:9/h","subscriptions":["message_sent"]}}""", "subscriptions")]
    [InlineData("""{"webhook":{"url":"http://127.0.0.1:9/h","subscriptions":[]}}""", "subscriptions")]
    [InlineData("""{"webhook":{"url":"http://127.0.0.1:9/h","subscriptions":"message_created"}}""", "subscriptions")]
    [InlineData("""{"webhook":{"url":"ftp://x.example.com/h","subscriptions":["message_created"]}}""", "url")]
    [InlineData("""{"webhook":{"url":"javascript:alert(1)"}}""", "url")]
    [InlineData("""{"webhook":{"url":"//x.example.com/h"}}""", "url")]
    [InlineData("""{"webhook":{"name":"no url"}}""", "url")]
    [InlineData("""{"url":"http://127.0.0.1:9/h","name":"{long}"}""", "name")]
    public async Task Bad_input_is_a_422_naming_the_field_and_saves_nothing(string body, string field)
    {
        var before = (await (await _admin.GetAsync(P("webhooks"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!["webhooks"]!.AsArray().Count;
        var error = await (await _admin.PostAsync(P("webhooks"), RawJson(body.Replace("{long}", new string('n', 256))))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(field, error!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        var after = (await (await _admin.GetAsync(P("webhooks"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!["webhooks"]!.AsArray().Count;
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task The_same_url_twice_in_an_account_is_a_422_on_url()
    {
        var url = $"http://127.0.0.1:9/{Guid.NewGuid():N}";
        await (await _admin.PostAsync(P("webhooks"), Json(new { url }))).ExpectAsync(HttpStatusCode.OK);
        var error = await (await _admin.PostAsync(P("webhooks"), Json(new { url }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("url", error!["attributes"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Agents_may_not_see_or_change_webhooks_and_other_accounts_are_404()
    {
        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        using var agentClient = _server.Client(agent.Token);
        await (await agentClient.GetAsync(P("webhooks"))).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await agentClient.PostAsync(P("webhooks"), Json(new { url = "http://127.0.0.1:9/agent" }))).ExpectAsync(HttpStatusCode.Unauthorized);

        // A user administering two accounts: a webhook of one is not reachable through the other.
        var admin = await _server.CreateUserAsync(_account, Roles.Administrator);
        var other = await _server.CreateAccountAsync("Other", admin.Id);
        using var adminClient = _server.Client(admin.Token);
        var created = await (await adminClient.PostAsync(P("webhooks"), Json(new { url = $"http://127.0.0.1:9/{Guid.NewGuid():N}" }))).ExpectAsync(HttpStatusCode.OK);
        var id = created!["payload"]!["webhook"]!["id"]!.GetValue<int>();
        await (await adminClient.PatchAsync($"/api/v1/accounts/{other}/webhooks/{id}", Json(new { name = "x" }))).ExpectAsync(HttpStatusCode.NotFound);
        await (await adminClient.GetAsync($"/api/v1/accounts/{other}/webhooks/{id}/secret")).ExpectAsync(HttpStatusCode.NotFound);
        await (await adminClient.DeleteAsync($"/api/v1/accounts/{other}/webhooks/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        var otherList = await (await adminClient.GetAsync($"/api/v1/accounts/{other}/webhooks")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(otherList!["payload"]!["webhooks"]!.AsArray());
    }
}
