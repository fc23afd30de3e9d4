using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Host;

/// <summary>
/// Every write endpoint fed malformed JSON, wrong types, unknown and foreign ids, oversize strings, unknown enum values and
/// NUL characters: each answer is a 4xx whose body says what is wrong (naming the field where there is one), never a 5xx,
/// and afterwards every resource reads back byte for byte as before, in this account and in the other one.
/// </summary>
public class BadInputSweepTests
{
    /// <summary><paramref name="Status"/> 0 means "some 4xx"; <paramref name="Attribute"/> is the field a 422 must name.</summary>
    private sealed record Case(string Method, string Path, string? Body, int Status, string? Attribute = null);

    [Fact]
    public async Task Every_write_endpoint_refuses_bad_input_with_a_4xx_that_says_why_and_writes_nothing()
    {
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        using var anonymous = server.Client();
        var account = server.AccountId;
        var a = $"/api/v1/accounts/{account}";

        var inbox = await (await admin.PostAsync($"{a}/inboxes", Json(new { name = "Sweep", channel = new { type = "api" } }))).ExpectAsync(HttpStatusCode.OK);
        var inboxId = inbox!["id"]!.GetValue<int>();
        var identifier = inbox["inbox_identifier"]!.GetValue<string>();
        var pub = $"/public/api/v1/inboxes/{identifier}";
        var publicContact = await (await anonymous.PostAsync($"{pub}/contacts", Json(new { name = "Public Sweep" }))).ExpectAsync(HttpStatusCode.OK);
        var source = publicContact!["source_id"]!.GetValue<string>();
        var contactId = publicContact["id"]!.GetValue<int>();
        await admin.CreateContactAsync(account, "Taken", "taken@example.com");
        var publicConversation = (await (await anonymous.PostAsync($"{pub}/contacts/{source}/conversations", Json(new { }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        await (await anonymous.PostAsync($"{pub}/contacts/{source}/conversations/{publicConversation}/messages", Json(new { content = "Hello" }))).ExpectAsync(HttpStatusCode.OK);
        var conversation = publicConversation;
        var label = (await (await admin.PostAsync($"{a}/labels", Json(new { title = "sweep" }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var definition = (await (await admin.PostAsync($"{a}/custom_attribute_definitions", Json(new
        {
            attribute_display_name = "Sweep", attribute_display_type = "text", attribute_key = "sweep", attribute_model = "conversation_attribute",
        }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var agent = await server.CreateUserAsync(account, Roles.Agent, "Sweep Agent");

        var outsider = await server.CreateUserAsync(null, name: "Outsider");
        var other = await server.CreateAccountAsync("Other", outsider.Id);
        using var them = server.Client(outsider.Token);
        var o = $"/api/v1/accounts/{other}";
        var theirInbox = await them.CreateInboxAsync(other, "Theirs");
        var theirContact = (await them.CreateContactAsync(other, "Their Contact"))["id"]!.GetValue<int>();
        var theirConversation = await (await them.PostAsync($"{o}/conversations", Json(new { inbox_id = theirInbox, contact_id = theirContact, message = new { content = "Theirs" } })))
            .ExpectAsync(HttpStatusCode.OK);
        var theirMessage = theirConversation!["messages"]![0]!["id"]!.GetValue<int>();
        var theirLabel = (await (await them.PostAsync($"{o}/labels", Json(new { title = "theirs" }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var theirDefinition = (await (await them.PostAsync($"{o}/custom_attribute_definitions", Json(new
        {
            attribute_display_name = "Theirs", attribute_display_type = "text", attribute_key = "theirs", attribute_model = "contact_attribute",
        }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();

        string[] ours =
        [
            "/api/v1/profile", a, $"{a}/agents", $"{a}/inboxes", $"{a}/inboxes/{inboxId}", $"{a}/contacts", $"{a}/contacts/{contactId}",
            $"{a}/contacts/{contactId}/conversations", $"{a}/conversations?status=all", $"{a}/conversations/{conversation}",
            $"{a}/conversations/{conversation}/messages", $"{a}/conversations/{conversation}/labels", $"{a}/labels", $"{a}/custom_attribute_definitions",
            $"{a}/dashboard_apps", $"{pub}/contacts/{source}", $"{pub}/contacts/{source}/conversations",
        ];
        string[] theirs =
        [
            $"{o}/inboxes", $"{o}/contacts", $"{o}/conversations?status=all", $"{o}/conversations/{theirConversation["id"]}/messages", $"{o}/labels",
            $"{o}/custom_attribute_definitions", $"{o}/agents",
        ];
        var oursBefore = await ApiSnapshot.TakeAsync(admin, ours);
        var theirsBefore = await ApiSnapshot.TakeAsync(them, theirs);

        var c = $"{a}/conversations/{conversation}";
        var pc = $"{pub}/contacts/{source}";
        var big = new string('x', 256);
        var nul = "a\u0000b";
        string J(object body) => System.Text.Json.JsonSerializer.Serialize(body);
        var cases = new List<Case>();

        // Malformed JSON and bodies that are not objects, on every endpoint that reads a body.
        (string Method, string Path)[] writes =
        [
            ("POST", $"{a}/inboxes"), ("PATCH", $"{a}/inboxes/{inboxId}"), ("POST", $"{a}/contacts"), ("PATCH", $"{a}/contacts/{contactId}"),
            ("POST", $"{a}/conversations"), ("POST", $"{c}/toggle_status"), ("POST", $"{c}/toggle_priority"), ("POST", $"{c}/assignments"),
            ("POST", $"{c}/labels"), ("POST", $"{c}/custom_attributes"), ("POST", $"{c}/messages"), ("POST", $"{a}/labels"), ("PATCH", $"{a}/labels/{label}"),
            ("POST", $"{a}/custom_attribute_definitions"), ("PATCH", $"{a}/custom_attribute_definitions/{definition}"), ("PATCH", a), ("PUT", "/api/v1/profile"),
            ("POST", $"{a}/agents"), ("PATCH", $"{a}/agents/{agent.Id}"), ("POST", $"{a}/dashboard_apps"), ("POST", $"{pub}/contacts"), ("PATCH", pc),
            ("POST", $"{pc}/conversations"), ("POST", $"{pc}/conversations/{conversation}/messages"),
        ];
        foreach (var (method, path) in writes)
        {
            cases.Add(new(method, path, "{\"name\": ", 400));
            cases.Add(new(method, path, "[1, 2]", 400));
        }
        cases.Add(new("POST", $"{c}/messages", J(new { content = new string('y', 1_100_000) }), 400));

        // Wrong JSON types.
        cases.AddRange(
        [
            new("POST", $"{a}/inboxes", J(new { name = new[] { "x" }, channel = new { type = "api" } }), 422, "name"),
            new("POST", $"{a}/inboxes", J(new { name = "x", channel = "api" }), 422, "channel"),
            new("PATCH", $"{a}/inboxes/{inboxId}", J(new { greeting_enabled = "maybe" }), 422, "greeting_enabled"),
            new("POST", $"{a}/contacts", J(new { name = "x", custom_attributes = new[] { 1 } }), 422, "custom_attributes"),
            new("PATCH", $"{a}/contacts/{contactId}", J(new { blocked = "sometimes" }), 422, "blocked"),
            new("PATCH", $"{a}/contacts/{contactId}", J(new { additional_attributes = "x" }), 422, "additional_attributes"),
            new("POST", $"{a}/conversations", J(new { inbox_id = "abc", contact_id = contactId }), 422, "inbox_id"),
            new("POST", $"{a}/conversations", J(new { inbox_id = inboxId, contact_id = contactId, message = "hi" }), 422, "message"),
            new("POST", $"{c}/toggle_status", J(new { status = "snoozed", snoozed_until = "tomorrow" }), 422, "snoozed_until"),
            new("POST", $"{c}/toggle_priority", J(new { priority = new[] { "high" } }), 422, "priority"),
            new("POST", $"{c}/assignments", J(new { assignee_id = "x" }), 422, "assignee_id"),
            new("POST", $"{c}/labels", J(new { labels = "vip" }), 422, "labels"),
            new("POST", $"{c}/labels", J(new { labels = new[] { 1, 2 } }), 422, "labels"),
            new("POST", $"{c}/custom_attributes", J(new { custom_attributes = "x" }), 422, "custom_attributes"),
            new("POST", $"{c}/messages", J(new { content = "x", @private = "perhaps" }), 422, "private"),
            new("POST", $"{c}/messages", J(new { content = "x", content_attributes = new[] { 1 } }), 422, "content_attributes"),
            new("POST", $"{c}/messages", J(new { content = new { text = "x" } }), 422, "content"),
            new("POST", $"{a}/labels", J(new { title = "x", show_on_sidebar = "nah" }), 422, "show_on_sidebar"),
            new("PATCH", $"{a}/labels/{label}", J(new { description = new[] { "x" } }), 422, "description"),
            new("POST", $"{a}/custom_attribute_definitions", J(new { attribute_display_name = "X", attribute_display_type = new { t = 1 }, attribute_key = "k", attribute_model = "contact_attribute" }), 422, "attribute_display_type"),
            new("PATCH", $"{a}/custom_attribute_definitions/{definition}", J(new { attribute_values = "a" }), 422, "attribute_values"),
            new("PUT", "/api/v1/profile", J(new { name = 5 }), 400),
            new("PUT", "/api/v1/profile", J(new { ui_settings = "dark" }), 400),
            new("POST", $"{a}/agents", J(new { name = "x", email = 5, role = "agent" }), 400),
            new("PATCH", $"{a}/agents/{agent.Id}", J(new { auto_offline = "zzz" }), 400),
            new("POST", $"{pub}/contacts", J(new { name = new { a = 1 } }), 422, "name"),
            new("PATCH", pc, J(new { custom_attributes = new[] { 1 } }), 422, "custom_attributes"),
            new("POST", $"{pc}/conversations", J(new { custom_attributes = "x" }), 422, "custom_attributes"),
            new("POST", $"{pc}/conversations/{conversation}/messages", J(new { content = new[] { "x" } }), 422, "content"),
        ]);

        // Unknown and foreign ids.
        cases.AddRange(
        [
            new("POST", $"{a}/conversations", J(new { inbox_id = theirInbox, contact_id = contactId }), 422, "inbox_id"),
            new("POST", $"{a}/conversations", J(new { inbox_id = inboxId, contact_id = theirContact }), 422, "contact_id"),
            new("POST", $"{a}/conversations", J(new { inbox_id = inboxId, contact_id = contactId, assignee_id = outsider.Id }), 422, "assignee_id"),
            new("POST", $"{a}/contacts", J(new { name = "x", inbox_id = theirInbox }), 422, "inbox_id"),
            new("POST", $"{c}/assignments", J(new { assignee_id = outsider.Id }), 422, "assignee_id"),
            new("PATCH", $"{a}/contacts/{theirContact}", J(new { name = "x" }), 404),
            new("DELETE", $"{a}/contacts/{theirContact}", null, 404),
            new("PATCH", $"{a}/inboxes/{theirInbox}", J(new { name = "x" }), 404),
            new("PATCH", $"{a}/labels/{theirLabel}", J(new { title = "x" }), 404),
            new("DELETE", $"{a}/labels/{theirLabel}", null, 404),
            new("PATCH", $"{a}/custom_attribute_definitions/{theirDefinition}", J(new { attribute_display_name = "x" }), 404),
            new("DELETE", $"{a}/custom_attribute_definitions/{theirDefinition}", null, 404),
            new("DELETE", $"{c}/messages/{theirMessage}", null, 404),
            new("DELETE", $"{c}/messages/abc", null, 404),
            new("POST", $"{a}/conversations/999999/toggle_status", J(new { status = "open" }), 404),
            new("POST", $"{a}/conversations/999999/messages", J(new { content = "x" }), 404),
            new("POST", $"{a}/conversations/abc/labels", J(new { labels = new[] { "x" } }), 404),
            new("PATCH", $"{a}/agents/{outsider.Id}", J(new { name = "x" }), 404),
            new("DELETE", $"{a}/agents/{outsider.Id}", null, 404),
            new("POST", $"{o}/contacts", J(new { name = "intruder" }), 401),
            new("POST", "/api/v1/accounts/999999/contacts", J(new { name = "nowhere" }), 404),
            new("POST", $"{pc}/conversations/999999/messages", J(new { content = "x" }), 404),
            new("POST", $"/public/api/v1/inboxes/nope/contacts", J(new { name = "x" }), 404),
            new("PATCH", $"{pub}/contacts/nope", J(new { name = "x" }), 404),
        ]);

        // Oversize strings.
        cases.AddRange(
        [
            new("POST", $"{a}/inboxes", J(new { name = big, channel = new { type = "api" } }), 422, "name"),
            new("PATCH", $"{a}/inboxes/{inboxId}", J(new { greeting_message = new string('g', 2001) }), 422, "greeting_message"),
            new("POST", $"{a}/contacts", J(new { name = big }), 422, "name"),
            new("POST", $"{a}/contacts", J(new { name = "x", email = big + "@example.com" }), 422, "email"),
            new("PATCH", $"{a}/contacts/{contactId}", J(new { phone_number = "+" + new string('1', 40) }), 422, "phone_number"),
            new("PATCH", $"{a}/contacts/{contactId}", J(new { identifier = big }), 422, "identifier"),
            new("PATCH", $"{a}/contacts/{contactId}", J(new { additional_attributes = new { description = new string('d', 17_000) } }), 422, "additional_attributes"),
            new("POST", $"{c}/custom_attributes", J(new { custom_attributes = new { notes = new string('n', 17_000) } }), 422, "custom_attributes"),
            new("POST", $"{c}/labels", J(new { labels = Enumerable.Range(0, 51).Select(i => $"l{i}").ToArray() }), 422, "labels"),
            new("POST", $"{c}/messages", J(new { content = new string('m', 150_001) }), 422, "content"),
            new("POST", $"{a}/labels", J(new { title = big }), 422, "title"),
            new("POST", $"{a}/labels", J(new { title = "ok", description = new string('d', 1001) }), 422, "description"),
            new("POST", $"{a}/custom_attribute_definitions", J(new { attribute_display_name = big, attribute_display_type = "text", attribute_key = "k", attribute_model = "contact_attribute" }), 422, "attribute_display_name"),
            new("POST", $"{a}/custom_attribute_definitions", J(new { attribute_display_name = "K", attribute_display_type = "text", attribute_key = big, attribute_model = "contact_attribute" }), 422, "attribute_key"),
            new("PATCH", a, J(new { name = big }), 422, "name"),
            new("PUT", "/api/v1/profile", J(new { name = big }), 422, "name"),
            new("POST", $"{a}/agents", J(new { name = big, email = "long@example.com", role = "agent" }), 422, "name"),
            new("POST", $"{pub}/contacts", J(new { name = big }), 422, "name"),
            new("PATCH", pc, J(new { name = big }), 422, "name"),
            new("POST", $"{pc}/conversations/{conversation}/messages", J(new { content = new string('m', 150_001) }), 422, "content"),
        ]);

        // Unknown enum values.
        cases.AddRange(
        [
            new("POST", $"{c}/toggle_status", J(new { status = "archived" }), 422, "status"),
            new("POST", $"{a}/conversations", J(new { inbox_id = inboxId, contact_id = contactId, status = "closed" }), 422, "status"),
            new("POST", $"{c}/toggle_priority", J(new { priority = "critical" }), 422, "priority"),
            new("POST", $"{c}/messages", J(new { content = "x", message_type = "sideways" }), 422, "message_type"),
            new("POST", $"{c}/messages", J(new { content = "x", message_type = "activity" }), 422, "message_type"),
            new("POST", $"{c}/messages", J(new { content = "x", content_type = "video" }), 422, "content_type"),
            new("POST", $"{a}/inboxes", J(new { name = "Fax", channel = new { type = "fax" } }), 422, "channel"),
            new("POST", $"{a}/custom_attribute_definitions", J(new { attribute_display_name = "X", attribute_display_type = "colour", attribute_key = "k", attribute_model = "contact_attribute" }), 422, "attribute_display_type"),
            new("POST", $"{a}/custom_attribute_definitions", J(new { attribute_display_name = "X", attribute_display_type = "text", attribute_key = "k", attribute_model = "ticket" }), 422, "attribute_model"),
            new("PATCH", $"{a}/custom_attribute_definitions/{definition}", J(new { attribute_display_type = "99" }), 422, "attribute_display_type"),
            new("POST", $"{a}/agents", J(new { name = "x", email = "king@example.com", role = "king" }), 422, "role"),
            new("PATCH", $"{a}/agents/{agent.Id}", J(new { availability = "asleep" }), 422, "availability"),
            new("PUT", "/api/v1/profile", J(new { availability = "asleep" }), 422, "availability"),
            new("POST", $"{a}/labels", J(new { title = "x", color = "red" }), 422, "color"),
        ]);

        // NUL characters (PostgreSQL cannot store them).
        cases.AddRange(
        [
            new("POST", $"{a}/contacts", J(new { name = nul }), 422, "name"),
            new("PATCH", $"{a}/contacts/{contactId}", J(new { identifier = nul }), 422, "identifier"),
            new("POST", $"{c}/messages", J(new { content = nul }), 422, "content"),
            new("POST", $"{a}/inboxes", J(new { name = nul, channel = new { type = "api" } }), 422, "name"),
            new("POST", $"{a}/labels", J(new { title = "ok", description = nul }), 422, "description"),
            new("PUT", "/api/v1/profile", J(new { name = nul }), 400),
            new("POST", $"{pub}/contacts", J(new { name = nul }), 422, "name"),
            new("POST", $"{pc}/conversations/{conversation}/messages", J(new { content = nul }), 422, "content"),
        ]);

        var failures = new List<string>();
        foreach (var x in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(x.Method), x.Path);
            if (x.Body is not null) request.Content = new StringContent(x.Body, Encoding.UTF8, "application/json");
            var client = x.Path.StartsWith("/public/") ? anonymous : admin;
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var what = $"{x.Method} {x.Path} {Shorten(x.Body)} → {status} {Shorten(text)}";
            if (x.Status == 0 ? status is < 400 or >= 500 : status != x.Status) { failures.Add($"expected {(x.Status == 0 ? "4xx" : x.Status)}: {what}"); continue; }
            JsonNode? body = null;
            try { body = JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
            var reason = body?["message"] ?? body?["error"] ?? body?["errors"]?[0];
            if (reason is null || reason.ToString().Length == 0) { failures.Add($"no reason in the body: {what}"); continue; }
            if (x.Attribute is not null && body?["attributes"]?.AsArray().Any(n => n?.ToString() == x.Attribute) != true)
                failures.Add($"does not name {x.Attribute}: {what}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n", failures));

        ApiSnapshot.AssertSame(oursBefore, await ApiSnapshot.TakeAsync(admin, ours));
        ApiSnapshot.AssertSame(theirsBefore, await ApiSnapshot.TakeAsync(them, theirs));
    }

    [Fact]
    public async Task Queries_with_odd_values_are_answered_without_a_server_error()
    {
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        var a = $"/api/v1/accounts/{server.AccountId}";
        var conversation = (await admin.CreateConversationAsync(server.AccountId))["id"]!.GetValue<int>();
        foreach (var (query, attribute) in new[] { ("contacts/search?q=a%00b", "q"), ("conversations?q=a%00b", "q"), ("conversations?labels=a%00b", "labels") })
        {
            var refused = await (await admin.GetAsync($"{a}/{query}")).ExpectAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal($"""["{attribute}"]""", refused!["attributes"]!.ToJsonString());
        }
        string[] queries =
        [
            $"{a}/contacts?page=2147483647", $"{a}/contacts?page=-1", $"{a}/conversations?inbox_id=99999999999", $"{a}/conversations?page=99999999999",
            $"{a}/conversations/{conversation}/messages?before=99999999999", $"{a}/custom_attribute_definitions?attribute_model=%00",
            $"{a}/contacts/99999999999", $"{a}/conversations/99999999999", $"/public/api/v1/inboxes/a%00b/contacts/x",
        ];
        foreach (var query in queries)
        {
            var response = await admin.GetAsync(query);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"GET {query}: {(int)response.StatusCode} {text}");
        }
    }

    private static string Shorten(string? s) => s is null ? "" : s.Length > 160 ? s[..160] + "…" : s;
}
