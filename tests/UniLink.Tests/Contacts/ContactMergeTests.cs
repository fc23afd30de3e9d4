using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Contacts;

/// <summary>
/// <c>POST …/actions/contact_merge</c> (the reference's ContactMergeAction) and <c>GET …/contacts/{id}/contactable_inboxes</c>.
/// </summary>
public sealed class ContactMergeTests(SharedServer server) : AdminApiTests(server)
{
    private async Task<JsonObject> ContactAsync(object body) =>
        (await (await _admin.PostAsync(P("contacts"), Json(body))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsObject();

    private async Task<JsonNode> GetAsync(string path) => (await (await _admin.GetAsync(P(path))).ExpectAsync(HttpStatusCode.OK))!;

    [Fact]
    public async Task Merging_moves_conversations_messages_notes_labels_inboxes_and_blank_attributes_to_the_base_and_deletes_the_mergee()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var inbox = await _admin.CreateInboxAsync(_account, "Merge API");
        var baseContact = (await ContactAsync(new { name = "Base Person", custom_attributes = new { tier = "gold", nested = new { a = 1 } } }))["contact"]!["id"]!.GetValue<int>();
        var mergeeBody = await ContactAsync(new
        {
            name = "Mergee Person", email = $"mergee.{tag}@example.com", phone_number = "+15550001234", identifier = $"crm-{tag}", inbox_id = inbox,
            custom_attributes = new { tier = "silver", plan = "pro", nested = new { a = 2, b = 3 } }, additional_attributes = new { company_name = "Acme" },
        });
        var mergee = mergeeBody["contact"]!["id"]!.GetValue<int>();
        var sourceId = mergeeBody["contact_inbox"]!["source_id"]!.GetValue<string>();
        await (await _admin.PostAsync(P($"contacts/{baseContact}/labels"), Json(new { labels = new[] { "vip" } }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"contacts/{mergee}/labels"), Json(new { labels = new[] { "vip", "lead" } }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"contacts/{baseContact}/notes"), Json(new { content = "Base note" }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"contacts/{mergee}/notes"), Json(new { content = "Mergee note" }))).ExpectAsync(HttpStatusCode.OK);
        var conversation = (await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = inbox, contact_id = mergee }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "From the mergee", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);

        // An agent may merge, as the reference (its controller authorizes any member).
        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        await _admin.AddInboxMemberAsync(_account, inbox, agent.Id);
        using var agentClient = _server.Client(agent.Token);
        var merged = await (await agentClient.PostAsync(P("actions/contact_merge"), Json(new { base_contact_id = baseContact, mergee_contact_id = mergee })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(baseContact, merged!["id"]!.GetValue<int>());
        Assert.Equal(_account, merged["account_id"]!.GetValue<int>());
        Assert.Equal("Base Person", merged["name"]!.GetValue<string>());
        Assert.Equal($"mergee.{tag}@example.com", merged["email"]!.GetValue<string>());
        Assert.Equal("+15550001234", merged["phone_number"]!.GetValue<string>());
        Assert.Equal($"crm-{tag}", merged["identifier"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"tier":"gold","plan":"pro","nested":{"a":1,"b":3}}"""), merged["custom_attributes"]));
        Assert.Equal("Acme", merged["additional_attributes"]!["company_name"]!.GetValue<string>());

        await (await _admin.GetAsync(P($"contacts/{mergee}"))).ExpectAsync(HttpStatusCode.NotFound);
        var shown = (await GetAsync($"contacts/{baseContact}"))["payload"]!;
        Assert.Equal($"mergee.{tag}@example.com", shown["email"]!.GetValue<string>());
        Assert.Equal([sourceId], shown["contact_inboxes"]!.AsArray().Select(ci => ci!["source_id"]!.GetValue<string>()));
        Assert.Equal("""["lead","vip"]""", (await GetAsync($"contacts/{baseContact}/labels"))["payload"]!.ToJsonString());
        Assert.Equal(["Base note", "Mergee note"], (await GetAsync($"contacts/{baseContact}/notes")).AsArray().Select(n => n!["content"]!.GetValue<string>()).Order());
        Assert.Equal([conversation], (await GetAsync($"contacts/{baseContact}/conversations"))["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()));
        var messages = (await GetAsync($"conversations/{conversation}/messages"))["payload"]!.AsArray();
        var incoming = messages.Single(m => m!["content"]?.GetValue<string>() == "From the mergee")!;
        Assert.Equal(baseContact, incoming["sender"]!["id"]!.GetValue<int>());
        Assert.Equal(baseContact, (await GetAsync($"conversations/{conversation}"))["meta"]!["sender"]!["id"]!.GetValue<int>());
        // The public API's contact identifier now names the base contact.
        var identifier = (await GetAsync($"inboxes/{inbox}"))["inbox_identifier"]!.GetValue<string>();
        using var anonymous = _server.Client();
        var publicContact = await (await anonymous.GetAsync($"/public/api/v1/inboxes/{identifier}/contacts/{sourceId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(baseContact, publicContact!["id"]!.GetValue<int>());

        // Merging a contact into itself changes nothing, as the reference.
        var same = await (await _admin.PostAsync(P("actions/contact_merge"), Json(new { base_contact_id = baseContact, mergee_contact_id = baseContact })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(baseContact, same!["id"]!.GetValue<int>());
        await (await _admin.GetAsync(P($"contacts/{baseContact}"))).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Contacts_of_another_account_are_not_merged_and_bad_ids_are_refused_naming_the_field()
    {
        var here = (await ContactAsync(new { name = "Stays here", email = $"{Guid.NewGuid():N}@example.com" }))["contact"]!["id"]!.GetValue<int>();
        // A user in both accounts: an administrator of the other account, an agent here.
        var other = await _server.CreateAccountAsync("Merge elsewhere");
        var both = await _server.CreateUserAsync(_account, Roles.Agent);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = other, UserId = both.Id, Role = Roles.Administrator, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        using var client = _server.Client(both.Token);
        var there = (await (await client.PostAsync($"/api/v1/accounts/{other}/contacts", Json(new { name = "Lives elsewhere" }))).ExpectAsync(HttpStatusCode.OK))!
            ["payload"]!["contact"]!["id"]!.GetValue<int>();

        await (await client.PostAsync($"/api/v1/accounts/{other}/actions/contact_merge", Json(new { base_contact_id = there, mergee_contact_id = here })))
            .ExpectAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync(P("actions/contact_merge"), Json(new { base_contact_id = here, mergee_contact_id = there })))
            .ExpectAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync(P("actions/contact_merge"), Json(new { base_contact_id = there, mergee_contact_id = here })))
            .ExpectAsync(HttpStatusCode.NotFound);
        await (await _admin.GetAsync(P($"contacts/{here}"))).ExpectAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/api/v1/accounts/{other}/contacts/{there}")).ExpectAsync(HttpStatusCode.OK);

        await (await _admin.PostAsync(P("actions/contact_merge"), Json(new { mergee_contact_id = here })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"error":"param is missing or the value is empty: base_contact_id"}""");
        var wrong = await (await _admin.PostAsync(P("actions/contact_merge"), Json(new { base_contact_id = here, mergee_contact_id = "abc" })))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("""["mergee_contact_id"]""", wrong!["attributes"]!.ToJsonString());
        await (await _admin.GetAsync(P($"contacts/{here}"))).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Contactable_inboxes_are_those_the_caller_works_where_the_contact_can_be_reached_with_its_source_id()
    {
        var api = await _admin.CreateInboxAsync(_account, "Reach API");
        var otherApi = await _admin.CreateInboxAsync(_account, "Reach API 2");
        var email = (await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Reach mail", channel = new { type = "email", email = $"support.{Guid.NewGuid():N}@example.com" } }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var widget = (await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Reach widget", channel = new { type = "web_widget", website_url = "https://shop.example.com" } }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var created = await ContactAsync(new { name = "Reachable", email = $"reach.{Guid.NewGuid():N}@example.com", inbox_id = api });
        var contact = created["contact"]!["id"]!.GetValue<int>();
        var sourceId = created["contact_inbox"]!["source_id"]!.GetValue<string>();

        var listed = (await GetAsync($"contacts/{contact}/contactable_inboxes"))["payload"]!.AsArray();
        var byInbox = listed.ToDictionary(x => x!["inbox"]!["id"]!.GetValue<int>(), x => x!["source_id"]!.GetValue<string>());
        Assert.Equal(sourceId, byInbox[api]);
        Assert.True(Guid.TryParse(byInbox[otherApi], out _));
        Assert.Equal(created["contact"]!["email"]!.GetValue<string>(), byInbox[email]);
        Assert.False(byInbox.ContainsKey(widget)); // no widget session of this contact
        Assert.Equal("Reach API", listed.Single(x => x!["inbox"]!["id"]!.GetValue<int>() == api)!["inbox"]!["name"]!.GetValue<string>());

        // An agent: only the inboxes they work.
        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        await _admin.AddInboxMemberAsync(_account, api, agent.Id);
        using var agentClient = _server.Client(agent.Token);
        var agents = (await (await agentClient.GetAsync(P($"contacts/{contact}/contactable_inboxes"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray();
        Assert.Equal([api], agents.Select(x => x!["inbox"]!["id"]!.GetValue<int>()));

        // Another account's administrator, with their own account's id: not found.
        var other = await _server.CreateAccountAsync("Reach elsewhere");
        var otherAdmin = await _server.CreateUserAsync(other, Roles.Administrator);
        using var otherClient = _server.Client(otherAdmin.Token);
        await (await otherClient.GetAsync($"/api/v1/accounts/{other}/contacts/{contact}/contactable_inboxes")).ExpectAsync(HttpStatusCode.NotFound);
        await (await _admin.GetAsync(P("contacts/abc/contactable_inboxes"))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_contact_inbox_is_created_in_an_inbox_the_caller_works_and_a_taken_source_id_is_refused()
    {
        var api = await _admin.CreateInboxAsync(_account, "Inbox for contact inboxes");
        var hidden = await _admin.CreateInboxAsync(_account, "Hidden for contact inboxes");
        var mail = (await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Mail for contact inboxes", channel = new { type = "email", email = $"help.{Guid.NewGuid():N}@example.com" } }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var email = $"ci.{Guid.NewGuid():N}@example.com";
        var contact = (await ContactAsync(new { name = "Reach me", email }))["contact"]!["id"]!.GetValue<int>();
        var other = (await ContactAsync(new { name = "Someone else" }))["contact"]!["id"]!.GetValue<int>();
        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        await _admin.AddInboxMemberAsync(_account, api, agent.Id);
        using var agentClient = _server.Client(agent.Token);

        var sourceId = $"crm-{Guid.NewGuid():N}";
        var created = await (await agentClient.PostAsync(P($"contacts/{contact}/contact_inboxes"), Json(new { inbox_id = api, source_id = sourceId }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(sourceId, created!["source_id"]!.GetValue<string>());
        Assert.Equal(api, created["inbox"]!["id"]!.GetValue<int>());
        Assert.Contains(sourceId, (await GetAsync($"contacts/{contact}"))["payload"]!["contact_inboxes"]!.AsArray().Select(ci => ci!["source_id"]!.GetValue<string>()));
        // The same again answers the same; another contact cannot take it.
        await (await agentClient.PostAsync(P($"contacts/{contact}/contact_inboxes"), Json(new { inbox_id = api, source_id = sourceId }))).ExpectAsync(HttpStatusCode.OK);
        var taken = await (await agentClient.PostAsync(P($"contacts/{other}/contact_inboxes"), Json(new { inbox_id = api, source_id = sourceId }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("""["source_id"]""", taken!["attributes"]!.ToJsonString());
        // Without a source id: a new UUID, or the contact's email in an email inbox (none without an email).
        var fresh = await (await _admin.PostAsync(P($"contacts/{contact}/contact_inboxes"), Json(new { inbox_id = api }))).ExpectAsync(HttpStatusCode.OK);
        Assert.True(Guid.TryParse(fresh!["source_id"]!.GetValue<string>(), out _));
        Assert.Equal(email, (await (await _admin.PostAsync(P($"contacts/{contact}/contact_inboxes"), Json(new { inbox_id = mail }))).ExpectAsync(HttpStatusCode.OK))!["source_id"]!.GetValue<string>());
        Assert.Equal("""["source_id"]""", (await (await _admin.PostAsync(P($"contacts/{other}/contact_inboxes"), Json(new { inbox_id = mail }))).ExpectAsync(HttpStatusCode.UnprocessableEntity))!["attributes"]!.ToJsonString());

        // An inbox the agent does not work; a missing inbox id; another account's inbox.
        await (await agentClient.PostAsync(P($"contacts/{contact}/contact_inboxes"), Json(new { inbox_id = hidden })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to do this action"}""");
        Assert.Equal("""["inbox_id"]""", (await (await _admin.PostAsync(P($"contacts/{contact}/contact_inboxes"), Json(new { source_id = "x" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity))!["attributes"]!.ToJsonString());
        var otherAccount = await _server.CreateAccountAsync("Contact inboxes elsewhere");
        var both = await _server.CreateUserAsync(_account, Roles.Administrator);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = otherAccount, UserId = both.Id, Role = Roles.Administrator, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        using var bothClient = _server.Client(both.Token);
        var elsewhere = await bothClient.CreateInboxAsync(otherAccount, "Elsewhere inbox");
        await (await bothClient.PostAsync(P($"contacts/{contact}/contact_inboxes"), Json(new { inbox_id = elsewhere }))).ExpectAsync(HttpStatusCode.NotFound);
        await (await bothClient.PostAsync($"/api/v1/accounts/{otherAccount}/contacts/{contact}/contact_inboxes", Json(new { inbox_id = elsewhere }))).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(3, (await GetAsync($"contacts/{contact}"))["payload"]!["contact_inboxes"]!.AsArray().Count);
    }
}
