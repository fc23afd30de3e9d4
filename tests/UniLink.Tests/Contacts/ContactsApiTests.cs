using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Contacts;

public sealed class ContactsApiTests(SharedServer server) : AdminApiTests(server)
{
    private static readonly string[] ContactFields =
        ["additional_attributes", "availability_status", "blocked", "contact_inboxes", "created_at", "custom_attributes", "email", "id",
         "identifier", "name", "phone_number", "thumbnail"];

    private static List<string> Keys(JsonNode node) => node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Contacts_are_listed_newest_first_in_pages_of_15_with_the_count()
    {
        var owner = await _server.CreateUserAsync(null, name: "Paging Owner");
        var account = await _server.CreateAccountAsync("Paging", owner.Id);
        using var client = _server.Client(owner.Token);
        for (var i = 0; i < 17; i++) await client.CreateContactAsync(account, $"Person {i:00}");

        var first = await (await client.GetAsync($"/api/v1/accounts/{account}/contacts")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""{"count":17,"current_page":1}""", first!["meta"]!.ToJsonString());
        var names = first["payload"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(15, names.Count);
        Assert.Equal("Person 16", names[0]);
        Assert.All(first["payload"]!.AsArray(), c => Assert.Equal(ContactFields, Keys(c!)));

        var second = await (await client.GetAsync($"/api/v1/accounts/{account}/contacts?page=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""{"count":17,"current_page":2}""", second!["meta"]!.ToJsonString());
        Assert.Equal(["Person 01", "Person 00"], second["payload"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));

        await (await client.GetAsync($"/api/v1/accounts/{account}/contacts?page=0"))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Page must be a whole number from 1","attributes":["page"]}""");
    }

    [Fact]
    public async Task Create_and_show_answer_the_contact_with_its_inbox_and_source_id()
    {
        var inboxId = await _admin.CreateInboxAsync(_account, "Contact inbox");
        var created = await (await _admin.PostAsync(P("contacts"), Json(new
        {
            name = "Aiko Tanaka", email = "aiko@example.jp", phone_number = "+81312345678", identifier = "crm-aiko", inbox_id = inboxId,
            additional_attributes = new { company_name = "Tanaka KK", social_profiles = new { github = "aiko" } },
            custom_attributes = new { tier = "gold" },
        }))).ExpectAsync(HttpStatusCode.OK);
        var contact = created!["payload"]!["contact"]!;
        Assert.Equal(ContactFields.Where(f => f != "contact_inboxes"), Keys(contact));
        var sourceId = created["payload"]!["contact_inbox"]!["source_id"]!.GetValue<string>();
        Assert.Equal(inboxId, created["payload"]!["contact_inbox"]!["inbox"]!["id"]!.GetValue<int>());
        var id = contact["id"]!.GetValue<int>();

        var shown = (await (await _admin.GetAsync(P($"contacts/{id}"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!;
        Assert.Equal("Aiko Tanaka", shown["name"]!.GetValue<string>());
        Assert.Equal("+81312345678", shown["phone_number"]!.GetValue<string>());
        Assert.Equal("crm-aiko", shown["identifier"]!.GetValue<string>());
        Assert.Equal("""{"company_name":"Tanaka KK","social_profiles":{"github":"aiko"}}""", shown["additional_attributes"]!.ToJsonString());
        Assert.Equal("""{"tier":"gold"}""", shown["custom_attributes"]!.ToJsonString());
        var link = Assert.Single(shown["contact_inboxes"]!.AsArray())!;
        Assert.Equal(sourceId, link["source_id"]!.GetValue<string>());
        Assert.Equal(["avatar_url", "channel_id", "channel_type", "id", "name", "provider"], Keys(link["inbox"]!));

        var bare = await (await _admin.PostAsync(P("contacts"), Json(new { name = "No Inbox" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(bare!["payload"]!["contact_inbox"]);
        await (await _admin.GetAsync(P("contacts/999999"))).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await _admin.GetAsync(P("contacts/abc"))).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
    }

    [Fact]
    public async Task Update_changes_only_what_is_sent_and_merges_attributes()
    {
        var id = (await _admin.CreateContactAsync(_account, "Lena Fischer", "lena@example.de"))["id"]!.GetValue<int>();
        await (await _admin.PatchAsync(P($"contacts/{id}"), Json(new { additional_attributes = new { company_name = "Fischer AG" }, custom_attributes = new { plan = "pro" } })))
            .ExpectAsync(HttpStatusCode.OK);
        var updated = await (await _admin.PutAsync(P($"contacts/{id}"), Json(new { name = "Lena F.", additional_attributes = new { description = "VIP" } })))
            .ExpectAsync(HttpStatusCode.OK);
        var payload = updated!["payload"]!;
        Assert.Equal("Lena F.", payload["name"]!.GetValue<string>());
        Assert.Equal("lena@example.de", payload["email"]!.GetValue<string>());
        Assert.Equal("""{"company_name":"Fischer AG","description":"VIP"}""", payload["additional_attributes"]!.ToJsonString());
        Assert.Equal("""{"plan":"pro"}""", payload["custom_attributes"]!.ToJsonString());

        await (await _admin.PatchAsync(P($"contacts/{id}"), Json(new { email = (string?)null, blocked = true }))).ExpectAsync(HttpStatusCode.OK);
        var shown = (await (await _admin.GetAsync(P($"contacts/{id}"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!;
        Assert.Null(shown["email"]);
        Assert.True(shown["blocked"]!.GetValue<bool>());
        await (await _admin.PatchAsync(P("contacts/999999"), Json(new { name = "x" }))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_administrators_delete_contacts()
    {
        var id = (await _admin.CreateContactAsync(_account, "Keep Me"))["id"]!.GetValue<int>();
        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        using var client = _server.Client(agent.Token);
        await (await client.DeleteAsync(P($"contacts/{id}"))).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to do this action"}""");
        // The role check comes before the lookup, as in the reference.
        await (await client.DeleteAsync(P("contacts/999999"))).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to do this action"}""");
        await (await client.GetAsync(P($"contacts/{id}"))).ExpectAsync(HttpStatusCode.OK);

        await (await _admin.DeleteAsync(P($"contacts/{id}"))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.GetAsync(P($"contacts/{id}"))).ExpectAsync(HttpStatusCode.NotFound);
        await (await _admin.DeleteAsync(P($"contacts/{id}"))).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
    }

    [Fact]
    public async Task Search_finds_by_name_email_phone_and_identifier_and_needs_a_query()
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        var created = await (await _admin.PostAsync(P("contacts"), Json(new
        {
            name = $"Search {token}", email = $"find.{token}@example.com", phone_number = "+4915112345678", identifier = $"ID-{token}",
        }))).ExpectAsync(HttpStatusCode.OK);
        var id = created!["payload"]!["contact"]!["id"]!.GetValue<int>();
        foreach (var q in new[] { token.ToUpperInvariant(), $"find.{token}", "+4915112345678", $"id-{token}" })
        {
            var found = await (await _admin.GetAsync(P($"contacts/search?q={Uri.EscapeDataString(q)}"))).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(1, found!["meta"]!["count"]!.GetValue<int>());
            Assert.Equal(id, found["payload"]![0]!["id"]!.GetValue<int>());
            Assert.Equal(ContactFields, Keys(found["payload"]![0]!));
        }
        var wildcard = await (await _admin.GetAsync(P("contacts/search?q=%25"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, wildcard!["meta"]!["count"]!.GetValue<int>());
        await (await _admin.GetAsync(P("contacts/search"))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"error":"param is missing or the value is empty: q"}""");
    }

    [Fact]
    public async Task A_contacts_conversations_are_listed_most_recent_activity_first()
    {
        var inboxId = await _admin.CreateInboxAsync(_account);
        var contactId = (await _admin.CreateContactAsync(_account, "Two Threads"))["id"]!.GetValue<int>();
        var ids = new List<int>();
        for (var i = 0; i < 2; i++)
            ids.Add((await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = inboxId, contact_id = contactId }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>());
        await (await _admin.PostAsync(P($"conversations/{ids[0]}/messages"), Json(new { content = "bump", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);

        var list = (await (await _admin.GetAsync(P($"contacts/{contactId}/conversations"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray();
        Assert.Equal([ids[0], ids[1]], list.Select(c => c!["id"]!.GetValue<int>()));
        Assert.All(list, c => Assert.Equal(contactId, c!["meta"]!["sender"]!["id"]!.GetValue<int>()));
        Assert.Equal("bump", list[0]!["messages"]![0]!["content"]!.GetValue<string>());
        await (await _admin.GetAsync(P("contacts/999999/conversations"))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_accounts_contact_is_not_found_through_any_endpoint()
    {
        var id = (await _admin.CreateContactAsync(_account, "Private Person"))["id"]!.GetValue<int>();
        var outsider = await _server.CreateUserAsync(null);
        var other = await _server.CreateAccountAsync("Elsewhere", outsider.Id);
        using var client = _server.Client(outsider.Token);
        var path = $"/api/v1/accounts/{other}/contacts/{id}";
        await (await client.GetAsync(path)).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await client.PatchAsync(path, Json(new { name = "Stolen" }))).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync(path)).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync(path + "/conversations")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("Private Person", (await (await _admin.GetAsync(P($"contacts/{id}"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!["name"]!.GetValue<string>());
    }
}
