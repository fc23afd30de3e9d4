using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.CustomFilters;

/// <summary><c>…/custom_filters</c>: each user's own saved filters, by type, as the reference.</summary>
public sealed class CustomFiltersApiTests(SharedServer server) : AdminApiTests(server)
{
    private static readonly object Query = new
    {
        payload = new[] { new { attribute_key = "status", filter_operator = "equal_to", values = new[] { "open" }, query_operator = (string?)null } },
    };

    [Fact]
    public async Task A_user_saves_lists_changes_and_deletes_their_filters_by_type()
    {
        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        using var client = _server.Client(agent.Token);
        var created = await (await client.PostAsync(P("custom_filters"), Json(new { custom_filter = new { name = "Open ones", filter_type = "conversation", query = Query } })))
            .ExpectAsync(HttpStatusCode.OK);
        var id = created!["id"]!.GetValue<int>();
        Assert.Equal(["created_at", "filter_type", "id", "name", "query", "updated_at"], created.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("conversation", created["filter_type"]!.GetValue<string>());
        Assert.Equal("open", created["query"]!["payload"]![0]!["values"]![0]!.GetValue<string>());
        var contacts = await (await client.PostAsync(P("custom_filters"), Json(new { custom_filter = new { name = "Leads", filter_type = "contact", query = new { payload = Array.Empty<object>() } } })))
            .ExpectAsync(HttpStatusCode.OK);

        var list = await (await client.GetAsync(P("custom_filters"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([id], list!.AsArray().Select(f => f!["id"]!.GetValue<int>()));
        var contactList = await (await client.GetAsync(P("custom_filters?filter_type=contact"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([contacts!["id"]!.GetValue<int>()], contactList!.AsArray().Select(f => f!["id"]!.GetValue<int>()));

        var changed = await (await client.PatchAsync(P($"custom_filters/{id}"), Json(new { custom_filter = new { name = "Still open" } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Still open", changed!["name"]!.GetValue<string>());
        Assert.Equal("open", changed["query"]!["payload"]![0]!["values"]![0]!.GetValue<string>());
        Assert.Equal("Still open", (await (await client.GetAsync(P($"custom_filters/{id}"))).ExpectAsync(HttpStatusCode.OK))!["name"]!.GetValue<string>());

        // Another user of the account, the administrator included, sees none of them.
        Assert.Empty((await (await _admin.GetAsync(P("custom_filters"))).ExpectAsync(HttpStatusCode.OK))!.AsArray());
        await (await _admin.GetAsync(P($"custom_filters/{id}"))).ExpectAsync(HttpStatusCode.NotFound);
        await (await _admin.DeleteAsync(P($"custom_filters/{id}"))).ExpectAsync(HttpStatusCode.NotFound);

        var deleted = await client.DeleteAsync(P($"custom_filters/{id}"));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await client.GetAsync(P($"custom_filters/{id}"))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_writes_nothing()
    {
        await (await _admin.PostAsync(P("custom_filters"), Json(new { })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"error":"param is missing or the value is empty: custom_filter"}""");
        await (await _admin.PostAsync(P("custom_filters"), Json(new { custom_filter = new { query = Query } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Name can't be blank","attributes":["name"]}""");
        await (await _admin.PostAsync(P("custom_filters"), Json(new { custom_filter = new { name = "No query" } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Query can't be blank","attributes":["query"]}""");
        await (await _admin.PostAsync(P("custom_filters"), Json(new { custom_filter = new { name = "Odd", filter_type = "messages", query = Query } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Filter type 'messages' is not one of conversation, contact, report","attributes":["filter_type"]}""");
        await (await _admin.PostAsync(P("custom_filters"), Json(new { custom_filter = new { name = "Odd", query = "status=open" } })))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        await (await _admin.GetAsync(P("custom_filters?filter_type=messages"))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Empty((await (await _admin.GetAsync(P("custom_filters"))).ExpectAsync(HttpStatusCode.OK))!.AsArray());
    }

    [Fact]
    public async Task At_most_fifty_per_user_in_an_account()
    {
        var user = await _server.CreateUserAsync(_account, Roles.Agent);
        using var client = _server.Client(user.Token);
        for (var i = 0; i < 50; i++)
            await (await client.PostAsync(P("custom_filters"), Json(new { custom_filter = new { name = $"View {i}", query = Query } }))).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostAsync(P("custom_filters"), Json(new { custom_filter = new { name = "One too many", query = Query } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Account We do not allow creating >50 custom views per account per user","attributes":["account_id"]}""");
        Assert.Equal(50, (await (await client.GetAsync(P("custom_filters"))).ExpectAsync(HttpStatusCode.OK))!.AsArray().Count);
    }

    [Fact]
    public async Task A_user_in_two_accounts_has_each_accounts_own_filters()
    {
        var user = await _server.CreateUserAsync(_account, Roles.Administrator);
        var other = await _server.CreateAccountAsync("Filters elsewhere");
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = other, UserId = user.Id, Role = Roles.Agent, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        using var client = _server.Client(user.Token);
        var here = (await (await client.PostAsync(P("custom_filters"), Json(new { custom_filter = new { name = "Here", query = Query } })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var there = $"/api/v1/accounts/{other}/custom_filters";
        Assert.Empty((await (await client.GetAsync(there)).ExpectAsync(HttpStatusCode.OK))!.AsArray());
        await (await client.GetAsync($"{there}/{here}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.PatchAsync($"{there}/{here}", Json(new { custom_filter = new { name = "Moved" } }))).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"{there}/{here}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("Here", (await (await client.GetAsync(P($"custom_filters/{here}"))).ExpectAsync(HttpStatusCode.OK))!["name"]!.GetValue<string>());
    }
}
