using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Filters;

/// <summary>
/// <c>POST …/conversations/filter</c> and <c>…/contacts/filter</c> with the reference's payload: standard, additional and
/// custom attributes, AND binding tighter than OR, paging and counts, and a 422 naming the bad part. Each test works in an
/// account of its own, so what it finds is exactly what it made.
/// </summary>
public sealed class FilterApiTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly UniLinkServer _server = shared.Instance;

    private async Task<(int Account, HttpClient Admin, TestUser User)> NewAccountAsync(string name)
    {
        var user = await _server.CreateUserAsync(null);
        var account = await _server.CreateAccountAsync(name, user.Id);
        return (account, _server.Client(user.Token), user);
    }

    private static JsonObject C(string key, string op, params object[] values) =>
        new() { ["attribute_key"] = key, ["filter_operator"] = op, ["values"] = new JsonArray(values.Select(v => JsonValue.Create(v)).ToArray<JsonNode?>()) };

    /// <summary>A condition joined to the next one by <paramref name="next"/>.</summary>
    private static JsonObject J(string next, string key, string op, params object[] values)
    {
        var c = C(key, op, values);
        c["query_operator"] = next;
        return c;
    }

    private static StringContent Payload(params JsonObject[] conditions) => Json(new JsonObject { ["payload"] = new JsonArray(conditions) });

    private static async Task<List<int>> IdsAsync(HttpClient client, string path, params JsonObject[] conditions)
    {
        var body = await (await client.PostAsync(path, Payload(conditions))).ExpectAsync(HttpStatusCode.OK);
        return body!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()).Order().ToList();
    }

    [Fact]
    public async Task Conversations_filter_by_standard_additional_and_custom_attributes_with_and_before_or()
    {
        var (account, admin, _) = await NewAccountAsync("Conversation filters");
        string A(string rest) => $"/api/v1/accounts/{account}/{rest}";
        var filter = A("conversations/filter");
        foreach (var (key, type) in new[] { ("plan", "text"), ("seats", "number"), ("renews_on", "date") })
            await (await admin.PostAsync(A("custom_attribute_definitions"), Json(new
            {
                attribute_display_name = key, attribute_key = key, attribute_display_type = type, attribute_model = "conversation_attribute",
            }))).ExpectAsync(HttpStatusCode.OK);
        var inbox = await admin.CreateInboxAsync(account, "Filters");
        var contact = (await admin.CreateContactAsync(account, "Filter contact"))["id"]!.GetValue<int>();

        async Task<int> ConversationAsync(string status, object custom, object additional, string? priority, params string[] labels)
        {
            var c = await (await admin.PostAsync(A("conversations"), Json(new
            {
                inbox_id = inbox, contact_id = contact, status, custom_attributes = custom, additional_attributes = additional,
            }))).ExpectAsync(HttpStatusCode.OK);
            var id = c!["id"]!.GetValue<int>();
            if (priority is not null)
                await (await admin.PostAsync(A($"conversations/{id}/toggle_priority"), Json(new { priority }))).ExpectAsync(HttpStatusCode.OK);
            if (labels.Length > 0)
                await (await admin.PostAsync(A($"conversations/{id}/labels"), Json(new { labels }))).ExpectAsync(HttpStatusCode.OK);
            return id;
        }

        var gold = await ConversationAsync("open", new { plan = "Gold", seats = 3, renews_on = "2030-01-15" }, new { browser_language = "de" }, "high", "billing");
        var silver = await ConversationAsync("pending", new { plan = "silver", seats = 5 }, new { browser_language = "en" }, "low");
        var big = await ConversationAsync("resolved", new { seats = 50, renews_on = "2020-06-01" }, new { }, null);

        Assert.Equal([gold, silver], await IdsAsync(admin, filter, C("status", "equal_to", "open", "pending")));
        Assert.Equal([gold, silver, big], await IdsAsync(admin, filter, C("status", "equal_to", "all")));
        Assert.Equal([big], await IdsAsync(admin, filter, C("status", "not_equal_to", "open", "pending")));
        // AND binds tighter than OR: low OR (resolved AND seats > 10); read left to right it would be (low OR resolved) AND seats > 10.
        Assert.Equal([silver, big], await IdsAsync(admin, filter,
            J("OR", "priority", "equal_to", "low"), J("and", "status", "equal_to", "resolved"), C("seats", "is_greater_than", 10)));
        Assert.Equal([gold], await IdsAsync(admin, filter, C("plan", "equal_to", "GOLD")));
        Assert.Equal([silver], await IdsAsync(admin, filter, C("plan", "contains", "ilv")));
        Assert.Equal([big], await IdsAsync(admin, filter, C("plan", "is_not_present")));
        Assert.Equal([silver, big], await IdsAsync(admin, filter, C("plan", "not_equal_to", "gold"))); // a custom attribute: absent is not equal
        Assert.Equal([big], await IdsAsync(admin, filter, C("seats", "is_greater_than", 10)));
        Assert.Equal([gold, silver], await IdsAsync(admin, filter, C("seats", "is_less_than", "10")));
        Assert.Equal([gold], await IdsAsync(admin, filter, C("renews_on", "is_greater_than", "2025-01-01")));
        Assert.Equal([big], await IdsAsync(admin, filter, C("renews_on", "is_less_than", "2025-01-01")));
        Assert.Equal([gold], await IdsAsync(admin, filter, C("browser_language", "equal_to", "de")));
        Assert.Equal([gold], await IdsAsync(admin, filter, C("labels", "equal_to", "billing")));
        Assert.Equal([silver, big], await IdsAsync(admin, filter, C("labels", "is_not_present")));
        Assert.Equal([silver], await IdsAsync(admin, filter, C("display_id", "equal_to", silver)));
        Assert.Equal([gold, silver], await IdsAsync(admin, filter, C("priority", "not_equal_to", "urgent")));
        Assert.Equal([gold, silver, big], await IdsAsync(admin, filter, C("inbox_id", "equal_to", inbox)));
        Assert.Equal([gold, silver, big], await IdsAsync(admin, filter, C("created_at", "is_greater_than", DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd"))));
        Assert.Empty(await IdsAsync(admin, filter, C("created_at", "days_before", "3")));
        Assert.Empty(await IdsAsync(admin, filter, C("assignee_id", "is_present")));

        // Counted as the list; paged by ?page=.
        var found = await (await admin.PostAsync(filter, Payload(C("status", "equal_to", "all")))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, found!["meta"]!["all_count"]!.GetValue<int>());
        Assert.Equal(3, found["meta"]!["unassigned_count"]!.GetValue<int>());
        Assert.Equal(gold, found["payload"]![2]!["id"]!.GetValue<int>()); // latest activity first
        Assert.Equal("open", found["payload"]![2]!["status"]!.GetValue<string>());
        Assert.Empty((await (await admin.PostAsync(filter + "?page=2", Payload(C("status", "equal_to", "all")))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray());
    }

    [Fact]
    public async Task Bad_filters_are_a_422_naming_the_bad_part()
    {
        var (account, admin, _) = await NewAccountAsync("Bad filters");
        var filter = $"/api/v1/accounts/{account}/conversations/filter";
        await (await admin.PostAsync(filter, Payload(C("nope", "equal_to", "x")))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity,
            """{"error":"Invalid attribute key - [nope]. The key should be one of [status,assignee_id,inbox_id,team_id,priority,display_id,campaign_id,labels,browser_language,conversation_language,country_code,referer,created_at,last_activity_at,mail_subject,time,awaiter,label] or a custom attribute defined in the account."}""");
        await (await admin.PostAsync(filter, Payload(C("status", "contains", "open")))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity,
            """{"error":"Invalid operator. The allowed operators for status are [equal_to,not_equal_to]."}""");
        await (await admin.PostAsync(filter, Payload(J("xor", "status", "equal_to", "open"), C("status", "equal_to", "open"))))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"error":"Query operator must be either \"AND\" or \"OR\""}""");
        await (await admin.PostAsync(filter, Payload(C("status", "equal_to")))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity,
            """{"error":"Invalid value. The values provided for status are invalid"}""");
        await (await admin.PostAsync(filter, Payload(C("status", "equal_to", "sleeping")))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity,
            """{"error":"Invalid value. The values provided for status are invalid"}""");
        await (await admin.PostAsync(filter, Payload(C("assignee_id", "equal_to", "abc")))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity,
            """{"error":"Invalid value. The values provided for assignee_id are invalid"}""");
        await (await admin.PostAsync(filter, Payload(C("created_at", "is_greater_than", "not a day")))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity,
            """{"error":"Invalid value. The values provided for created_at are invalid"}""");
        await (await admin.PostAsync(filter, Json(new { })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"error":"param is missing or the value is empty: payload"}""");
        await (await admin.PostAsync(filter, Json(new { payload = new[] { 1 } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"error":"payload[0] must be an object with attribute_key, filter_operator and values"}""");
        await (await admin.PostAsync(filter, RawJson("{\"payload\": [")) ).ExpectAsync(HttpStatusCode.BadRequest);
        await (await admin.PostAsync($"/api/v1/accounts/{account}/contacts/filter", Payload(C("plan", "equal_to", "gold"))))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity,
                """{"error":"Invalid attribute key - [plan]. The key should be one of [name,phone_number,email,identifier,country_code,city,company,labels,created_at,last_activity_at,blocked] or a custom attribute defined in the account."}""");
    }

    [Fact]
    public async Task Contacts_filter_by_columns_labels_additional_and_custom_attributes()
    {
        var (account, admin, _) = await NewAccountAsync("Contact filters");
        string A(string rest) => $"/api/v1/accounts/{account}/{rest}";
        var filter = A("contacts/filter");
        await (await admin.PostAsync(A("custom_attribute_definitions"), Json(new
        {
            attribute_display_name = "Tier", attribute_key = "tier", attribute_display_type = "text", attribute_model = "contact_attribute",
        }))).ExpectAsync(HttpStatusCode.OK);

        async Task<int> ContactAsync(object body)
        {
            var c = await (await admin.PostAsync(A("contacts"), Json(body))).ExpectAsync(HttpStatusCode.OK);
            return c!["payload"]!["contact"]!["id"]!.GetValue<int>();
        }
        var anna = await ContactAsync(new { name = "Anna Berg", email = "Anna.Berg@example.com", phone_number = "+4912345678",
            additional_attributes = new { city = "Berlin" }, custom_attributes = new { tier = "VIP" } });
        var bob = await ContactAsync(new { name = "Bob Stone", email = "bob@example.com", additional_attributes = new { city = "Paris" } });
        await (await admin.PostAsync(A($"contacts/{anna}/labels"), Json(new { labels = new[] { "lead" } }))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([anna], await IdsAsync(admin, filter, C("name", "contains", "ANN")));
        Assert.Equal([anna], await IdsAsync(admin, filter, C("email", "equal_to", "anna.berg@example.com")));
        Assert.Equal([anna], await IdsAsync(admin, filter, C("phone_number", "starts_with", "4912")));
        Assert.Equal([bob], await IdsAsync(admin, filter, C("city", "equal_to", "paris")));
        Assert.Equal([anna], await IdsAsync(admin, filter, C("labels", "equal_to", "lead")));
        Assert.Equal([bob], await IdsAsync(admin, filter, C("labels", "is_not_present")));
        Assert.Equal([anna], await IdsAsync(admin, filter, C("tier", "equal_to", "vip")));
        Assert.Equal([bob], await IdsAsync(admin, filter, C("name", "does_not_contain", "anna")));
        var both = await (await admin.PostAsync(filter, Payload(J("or", "name", "contains", "ann"), C("city", "equal_to", "Paris")))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, both!["meta"]!["count"]!.GetValue<int>());
        Assert.Equal(1, both["meta"]!["current_page"]!.GetValue<int>());
        Assert.Equal(["Anna Berg", "Bob Stone"], both["payload"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order());
        Assert.NotNull(both["payload"]![0]!["contact_inboxes"]);
    }

    [Fact]
    public async Task A_user_in_two_accounts_filters_each_accounts_own_and_an_agent_only_their_inboxes()
    {
        var (account, admin, user) = await NewAccountAsync("Filters A");
        var other = await _server.CreateAccountAsync("Filters B");
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = other, UserId = user.Id, Role = Roles.Agent, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var ours = (await admin.CreateConversationAsync(account, "Ours", "hello"))["id"]!.GetValue<int>();
        using var otherAdmin = _server.Client((await _server.CreateUserAsync(other, Roles.Administrator)).Token);
        var theirs = await otherAdmin.CreateConversationAsync(other, "Theirs", "hello");
        await (await otherAdmin.PostAsync($"/api/v1/accounts/{other}/custom_attribute_definitions", Json(new
        {
            attribute_display_name = "Only there", attribute_key = "only_there", attribute_display_type = "text", attribute_model = "conversation_attribute",
        }))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([ours], await IdsAsync(admin, $"/api/v1/accounts/{account}/conversations/filter", C("status", "equal_to", "all")));
        // In B the user is an agent of no inbox: nothing; made a member of the inbox, B's conversation only.
        Assert.Empty(await IdsAsync(admin, $"/api/v1/accounts/{other}/conversations/filter", C("status", "equal_to", "all")));
        await otherAdmin.AddInboxMemberAsync(other, theirs["inbox_id"]!.GetValue<int>(), user.Id);
        Assert.Equal([theirs["id"]!.GetValue<int>()], await IdsAsync(admin, $"/api/v1/accounts/{other}/conversations/filter", C("status", "equal_to", "all")));
        // B's custom attribute is not A's.
        await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/filter", Payload(C("only_there", "equal_to", "x"))))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Empty(await IdsAsync(admin, $"/api/v1/accounts/{other}/conversations/filter", C("only_there", "equal_to", "x")));
        // Contacts: each account's own.
        Assert.Equal(["Ours"], (await (await admin.PostAsync($"/api/v1/accounts/{account}/contacts/filter", Payload(C("name", "does_not_contain", "zzzz")))).ExpectAsync(HttpStatusCode.OK))!
            ["payload"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }
}
