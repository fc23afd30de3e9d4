using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.Messages;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Security;

/// <summary>What the anonymous client API can do to everyone else's answers (issue 13, item 9).</summary>
public class AnonymousApiLimitsTests
{
    private static async Task<string> ApiInboxAsync(UniLinkServer server)
    {
        var inbox = await (await server.AdminClient().PostAsync($"/api/v1/accounts/{server.AccountId}/inboxes",
            Json(new { name = "API", channel = new { type = "api" } }))).ExpectAsync(HttpStatusCode.OK);
        return inbox!["inbox_identifier"]!.GetValue<string>();
    }

    private static JsonObject Nested(int depth)
    {
        var root = new JsonObject();
        var node = root;
        for (var i = 1; i < depth; i++) node = (JsonObject)(node["n"] = new JsonObject());
        node["leaf"] = 1;
        return root;
    }

    [Fact]
    public async Task Deeply_nested_attributes_are_refused_and_every_list_keeps_working()
    {
        using var server = new UniLinkServer();
        var inbox = await ApiInboxAsync(server);
        var anonymous = server.Client();
        var contacts = $"/public/api/v1/inboxes/{inbox}/contacts";

        await (await anonymous.PostAsync(contacts, RawJson($$"""{"name":"Deep","custom_attributes":{{Nested(59).ToJsonString()}}}""")))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"Custom attributes is nested too deeply (at most 8 levels)","attributes":["custom_attributes"]}""");
        var fine = await (await anonymous.PostAsync(contacts, RawJson($$"""{"name":"Fine","custom_attributes":{{Nested(8).ToJsonString()}}}""")))
            .ExpectAsync(HttpStatusCode.OK);
        var source = fine!["source_id"]!.GetValue<string>();
        await (await anonymous.PatchAsync($"{contacts}/{source}", RawJson($$"""{"custom_attributes":{{Nested(9).ToJsonString()}}}""")))
            .ExpectAsync((HttpStatusCode)422);
        await (await anonymous.PostAsync($"{contacts}/{source}/conversations", RawJson($$"""{"custom_attributes":{{Nested(30).ToJsonString()}}}""")))
            .ExpectAsync((HttpStatusCode)422);
        await (await anonymous.PostAsync($"{contacts}/{source}/conversations", Json(new { }))).ExpectAsync(HttpStatusCode.OK);

        await (await server.AdminClient().GetAsync($"/api/v1/accounts/{server.AccountId}/conversations")).ExpectAsync(HttpStatusCode.OK);
        await (await server.AdminClient().GetAsync($"/api/v1/accounts/{server.AccountId}/contacts")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Deep_form_keys_are_a_400_not_a_500()
    {
        using var server = new UniLinkServer();
        var inbox = await ApiInboxAsync(server);
        var key = "contact" + string.Concat(Enumerable.Repeat("[a]", 200));
        var response = await server.Client().PostAsync($"/public/api/v1/inboxes/{inbox}/contacts",
            new StringContent($"{Uri.EscapeDataString(key)}=1", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var admin = await server.AdminClient().PostAsync($"/api/v1/accounts/{server.AccountId}/contacts",
            new StringContent($"{Uri.EscapeDataString("custom_attributes" + string.Concat(Enumerable.Repeat("[a]", 200)))}=1", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, admin.StatusCode);
    }

    [Fact]
    public async Task The_public_api_is_rate_limited_per_inbox_and_client_address()
    {
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_PUBLIC_API_RATE_LIMIT"] = "5" });
        var first = await ApiInboxAsync(server);
        var second = await ApiInboxAsync(server);
        var anonymous = server.Client();
        for (var i = 0; i < 5; i++)
            await (await anonymous.PostAsync($"/public/api/v1/inboxes/{first}/contacts", Json(new { name = $"V{i}" }))).ExpectAsync(HttpStatusCode.OK);
        var limited = await anonymous.PostAsync($"/public/api/v1/inboxes/{first}/contacts", Json(new { name = "V6" }));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);
        await (await anonymous.PostAsync($"/public/api/v1/inboxes/{second}/contacts", Json(new { name = "Elsewhere" }))).ExpectAsync(HttpStatusCode.OK);
        // The agents' API is not affected.
        await (await server.AdminClient().GetAsync($"/api/v1/accounts/{server.AccountId}/conversations")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_public_message_list_is_paged()
    {
        using var server = new UniLinkServer();
        var inbox = await ApiInboxAsync(server);
        var anonymous = server.Client();
        var contact = await (await anonymous.PostAsync($"/public/api/v1/inboxes/{inbox}/contacts", Json(new { name = "V" }))).ExpectAsync(HttpStatusCode.OK);
        var source = contact!["source_id"]!.GetValue<string>();
        var conversation = await (await anonymous.PostAsync($"/public/api/v1/inboxes/{inbox}/contacts/{source}/conversations", Json(new { })))
            .ExpectAsync(HttpStatusCode.OK);
        var messages = $"/public/api/v1/inboxes/{inbox}/contacts/{source}/conversations/{conversation!["id"]!.GetValue<int>()}/messages";
        for (var i = 1; i <= 25; i++)
            await (await anonymous.PostAsync(messages, Json(new { content = $"m{i}" }))).ExpectAsync(HttpStatusCode.OK);

        var latest = (await (await anonymous.GetAsync(messages)).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal(Enumerable.Range(6, 20).Select(i => $"m{i}"), latest.Select(m => m!["content"]!.GetValue<string>()));
        var earlier = (await (await anonymous.GetAsync($"{messages}?before={latest[0]!["id"]}")).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"m{i}"), earlier.Select(m => m!["content"]!.GetValue<string>()));
        await (await anonymous.GetAsync($"{messages}?before=abc")).ExpectAsync((HttpStatusCode)422);
        var listed = (await (await anonymous.GetAsync($"/public/api/v1/inboxes/{inbox}/contacts/{source}/conversations")).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal(20, listed.Single()!["messages"]!.AsArray().Count);
    }

    [Fact]
    public void An_app_context_carries_at_most_a_million_characters_of_the_latest_messages()
    {
        var big = new string('x', 400_000);
        var loaded = Enumerable.Range(1, 5).Select(i => new Message { Id = i, Content = big }).ToList();
        var carried = AppContextBuilder.Cap(loaded);
        Assert.Equal([4, 5], carried.Select(m => m.Id));
        var one = AppContextBuilder.Cap([new Message { Id = 1, Content = new string('x', 2_000_000) }]);
        Assert.Single(one);
        var small = Enumerable.Range(1, 12_000).Select(i => new Message { Id = i, Content = "hi" }).ToList();
        Assert.Equal(AppContextBuilder.MaxMessages, AppContextBuilder.Cap(small).Count);
        Assert.Equal(12_000, AppContextBuilder.Cap(small).Last().Id);
    }
}
