using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.CannedResponses;

public sealed class CannedResponsesApiTests(SharedServer server) : AdminApiTests(server)
{
    private static string Code(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..16];

    private async Task<JsonNode> CreateAsync(HttpClient client, string shortCode, string content) =>
        (await (await client.PostAsync(P("canned_responses"), Json(new { canned_response = new { short_code = shortCode, content } })))
            .ExpectAsync(HttpStatusCode.OK))!;

    [Fact]
    public async Task An_agent_creates_lists_changes_and_deletes_canned_responses()
    {
        var agent = _server.Client((await _server.CreateUserAsync(_account)).Token);
        var code = Code("ship");
        var created = await CreateAsync(agent, code, "Your order ships today.");
        Assert.Equal(["account_id", "content", "created_at", "id", "short_code", "updated_at"], created.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(_account, created["account_id"]!.GetValue<int>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", created["created_at"]!.GetValue<string>());
        var id = created["id"]!.GetValue<int>();

        var changed = await (await agent.PatchAsync(P($"canned_responses/{id}"), Json(new { content = "Shipped!" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Shipped!", changed!["content"]!.GetValue<string>());
        Assert.Equal(code, changed["short_code"]!.GetValue<string>());
        var list = (await (await agent.GetAsync(P("canned_responses"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Contains(list, r => r!["id"]!.GetValue<int>() == id);

        await (await agent.DeleteAsync(P($"canned_responses/{id}"))).ExpectAsync(HttpStatusCode.OK);
        await (await agent.DeleteAsync(P($"canned_responses/{id}"))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Search_matches_short_code_or_content_and_ranks_short_code_prefixes_first()
    {
        var tag = Code("q");
        var inContent = await CreateAsync(_admin, Code("a"), $"mentions {tag} in the text");
        var inCode = await CreateAsync(_admin, "x" + tag, "other");
        var prefix = await CreateAsync(_admin, tag + "z", "other");
        await CreateAsync(_admin, Code("none"), "unrelated");

        var found = (await (await _admin.GetAsync(P($"canned_responses?search={tag.ToUpperInvariant()}"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal([prefix["id"]!.GetValue<int>(), inCode["id"]!.GetValue<int>(), inContent["id"]!.GetValue<int>()],
            found.Select(r => r!["id"]!.GetValue<int>()));
        Assert.Empty((await (await _admin.GetAsync(P("canned_responses?search=%25_%25"))).ExpectAsync(HttpStatusCode.OK))!.AsArray());
    }

    [Fact]
    public async Task Bad_input_is_a_422_naming_the_field_and_short_codes_are_unique_per_account()
    {
        var code = Code("dup");
        await CreateAsync(_admin, code, "First");
        await (await _admin.PostAsync(P("canned_responses"), Json(new { short_code = code, content = "Second" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Short code has already been taken","attributes":["short_code"]}""");
        await (await _admin.PostAsync(P("canned_responses"), Json(new { short_code = Code("c"), content = " " })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Content can't be blank","attributes":["content"]}""");
        await (await _admin.PostAsync(P("canned_responses"), Json(new { content = "x" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Short code can't be blank","attributes":["short_code"]}""");
        await (await _admin.PostAsync(P("canned_responses"), Json(new { short_code = "two words", content = "x" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Short code may not contain spaces","attributes":["short_code"]}""");
        await (await _admin.PostAsync(P("canned_responses"), Json(new { })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"error":"param is missing or the value is empty: canned_response"}""");

        // The same short code is free in another account; a user in both sees each account's own list.
        var other = await _server.CreateAccountAsync("Canned elsewhere");
        var both = await _server.CreateUserAsync(_account, Roles.Administrator);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = other, UserId = both.Id, Role = Roles.Agent, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var client = _server.Client(both.Token);
        var theirs = await (await client.PostAsync($"/api/v1/accounts/{other}/canned_responses", Json(new { short_code = code, content = "Theirs" })))
            .ExpectAsync(HttpStatusCode.OK);
        var theirList = (await (await client.GetAsync($"/api/v1/accounts/{other}/canned_responses")).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal(["Theirs"], theirList.Select(r => r!["content"]!.GetValue<string>()));
        await (await _admin.PatchAsync(P($"canned_responses/{theirs!["id"]}"), Json(new { content = "mine now" }))).ExpectAsync(HttpStatusCode.NotFound);
    }
}
