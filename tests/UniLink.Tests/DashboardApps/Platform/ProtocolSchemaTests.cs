using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using UniLink.Tests.Infrastructure;
using UniLink.Tests.Webhooks;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.DashboardApps.Platform;

/// <summary>
/// The protocol's one definition, the JSON Schema set: served at /sdk/schema/v1/, and what the server actually sends
/// (contexts, events on the app's server) validates against it; the .NET SDK's records and the TypeScript typings name
/// the same properties and never require what the schema does not. (The frame's messages — contexts, events, action
/// results, hooks as an app on another origin receives them — are checked in the browser tests.)
/// </summary>
public sealed partial class ProtocolSchemaTests(WebhookServer shared) : WebhookTests(shared)
{
    private static readonly ProtocolSchemas Schemas = new();

    [Fact]
    public async Task The_schema_set_is_served_with_an_index_for_any_origin()
    {
        using var anonymous = _server.Client();
        var indexResponse = await anonymous.GetAsync("/sdk/schema/v1/index.json");
        var index = await indexResponse.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("*", indexResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(1, index!["version"]!.GetValue<int>());
        Assert.Equal(ProtocolSchemas.Names, index["schemas"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        foreach (var entry in index["schemas"]!.AsArray())
        {
            var name = entry!["name"]!.GetValue<string>();
            var response = await anonymous.GetAsync(entry["url"]!.GetValue<string>());
            var served = await response.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.True(JsonNode.DeepEquals(ProtocolSchemas.Document(name), served), name);
            Assert.Equal("https://json-schema.org/draft/2020-12/schema", served!["$schema"]!.GetValue<string>());
            Assert.Equal($"/sdk/schema/v1/{name}.json", served["$id"]!.GetValue<string>());
        }
        // The manifest's earlier address serves the same document.
        var old = await (await anonymous.GetAsync("/schemas/dashboard-app-manifest.v1.json")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(JsonNode.DeepEquals(ProtocolSchemas.Document("manifest"), old));
    }

    [Fact]
    public void The_schemas_reject_what_the_protocol_does_not_allow()
    {
        Assert.NotEmpty(Schemas.Problems("results", """{"event":"unilink:action-result","id":"1","ok":false,"error":null}"""));
        Assert.Empty(Schemas.Problems("results", """{"event":"unilink:action-result","id":"1","ok":false,"error":"Not granted"}"""));
        Assert.NotEmpty(Schemas.Problems("actions", """{"event":"unilink:action","id":"1","action":"set_status","payload":{"status":"closed"}}"""));
        Assert.NotEmpty(Schemas.Problems("actions", """{"event":"unilink:action","id":"1","action":"delete_everything"}"""));
        Assert.NotEmpty(Schemas.Problems("hooks#answer", """{"event":"unilink:hook-result","id":"h1","outcome":"block"}"""));
        Assert.Empty(Schemas.Problems("hooks#answer", """{"event":"unilink:hook-result","id":"h1","outcome":"block","reason":"Card number"}"""));
        Assert.NotEmpty(Schemas.Problems("events", """{"event":"unilink:event","type":"message.created","data":{"id":1}}"""));
        Assert.Empty(Schemas.Problems("context#fetchInfo", "\"chatwoot-dashboard-app:fetch-info\""));
    }

    [Fact]
    public async Task Contexts_and_the_events_an_app_s_server_receives_validate_against_the_schemas()
    {
        await using var receiver = await WebhookReceiver.StartAsync("/events");
        var inbox = await _admin.CreateInboxAsync(_account, "Schemas");
        var app = await (await _admin.PostAsync(P("dashboard_apps"),
            Json(new { title = "Schema app", content = new[] { new { type = "frame", url = "https://crm.example.com/app" } } }))).ExpectAsync(HttpStatusCode.OK);
        var appId = app!["id"]!.GetValue<int>();
        (await _admin.PatchAsync(P($"dashboard_apps/{appId}/settings"), Json(new
        {
            inbox_ids = new[] { inbox }, event_endpoint = receiver.Url,
            events = new[] { "message.created", "message.updated", "conversation.status_changed", "conversation.assigned", "conversation.labels_changed",
                "conversation.custom_attributes_changed", "contact.updated" },
        }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync(P($"dashboard_apps/{appId}/secret"), null)).EnsureSuccessStatusCode();
        (await _admin.PostAsync(P("custom_attribute_definitions"), Json(new
        {
            attribute_display_name = "Order", attribute_key = $"order_{Guid.NewGuid():N}"[..20], attribute_display_type = "text", attribute_model = "conversation_attribute",
        }))).EnsureSuccessStatusCode();
        var team = await (await _admin.PostAsync(P("teams"), Json(new { name = $"Billing {Guid.NewGuid():N}"[..16] }))).ExpectAsync(HttpStatusCode.OK);

        var contact = await _admin.CreateContactAsync(_account, "Eva Ek", $"{Guid.NewGuid():N}@example.com");
        var conversation = (await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = inbox, contact_id = contact["id"]!.GetValue<int>() })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var c = P($"conversations/{conversation}");
        (await _admin.PostAsync($"{c}/messages", Json(new { content = "Where is my parcel?", message_type = "incoming" }))).EnsureSuccessStatusCode();
        var reply = await (await _admin.PostAsync($"{c}/messages", Json(new { content = "On its way" }))).ExpectAsync(HttpStatusCode.OK);
        (await _admin.PostAsync($"{c}/messages", Json(new { content = "internal", @private = true }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync($"{c}/assignments", Json(new { assignee_id = _server.AdminUserId }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync($"{c}/assignments", Json(new { team_id = team!["id"]!.GetValue<int>() }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync($"{c}/labels", Json(new { labels = new[] { "schema" } }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync($"{c}/custom_attributes", Json(new { custom_attributes = new { order = "A1" } }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync($"{c}/toggle_priority", Json(new { priority = "high" }))).EnsureSuccessStatusCode();
        (await _admin.DeleteAsync($"{c}/messages/{reply!["id"]}")).EnsureSuccessStatusCode();
        (await _admin.PutAsync(P($"contacts/{contact["id"]}"), Json(new { name = "Eva E. Ek", custom_attributes = new { tier = "gold" } }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync($"{c}/toggle_status", Json(new { status = "resolved" }))).EnsureSuccessStatusCode();

        // The exact message the dashboard posts to the app's frame (sealed, with the app's token).
        var appEntity = await _server.DbAsync(db => Task.FromResult(db.DashboardApps.Single(a => a.Id == appId)));
        var context = await Features.DashboardApps.Sandbox.SandboxContext.BuildAsync(_server.Services.GetRequiredService<IServiceScopeFactory>(), _account, conversation,
            _server.AdminUserId, appEntity, _server.BaseAddress.GetLeftPart(UriPartial.Authority));
        Schemas.AssertValid("context", context!);
        Assert.Contains("\"context_token\"", context);
        Assert.Contains("\"team\":{", context);

        var got = await receiver.WaitForAsync(r => new[] { "message.created", "message.updated", "conversation.status_changed", "conversation.assigned",
            "conversation.labels_changed", "conversation.custom_attributes_changed", "contact.updated" }.All(t => r.Any(x => x.Json["type"]!.GetValue<string>() == t)));
        foreach (var r in got) Schemas.AssertValid("events", r.Body);
    }

    // ---- The .NET SDK and the TypeScript typings against the schemas ----

    /// <summary>Each SDK record and the schema definition it types.</summary>
    private static readonly (Type Record, string Schema, string[] AlsoRequired)[] SdkRecords =
    [
        (typeof(UniLink.AppSdk.Payload.Contact), "contact", []),
        (typeof(UniLink.AppSdk.Payload.CurrentAgent), "currentAgent", []),
        (typeof(UniLink.AppSdk.Payload.Agent), "agent", []),
        (typeof(UniLink.AppSdk.Payload.Message), "message", []),
        (typeof(UniLink.AppSdk.Payload.ConversationMeta), "conversationMeta", []),
        // In a context the conversation has the dashboard's two flags.
        (typeof(UniLink.AppSdk.Payload.Conversation), "conversation", ["dataFetched", "allMessagesLoaded"]),
        (typeof(UniLink.AppSdk.Payload.CustomAttributeDefinition), "customAttributeDefinition", []),
        (typeof(UniLink.AppSdk.DashboardAppContext), "#data", []),
    ];

    private static JsonObject Definition(string schema) => schema == "#data"
        ? ProtocolSchemas.Document("context")["properties"]!["data"]!.AsObject()
        : ProtocolSchemas.Document("context")["$defs"]![schema]!.AsObject();

    private static IReadOnlyList<string> PropertiesOf(JsonObject definition) => definition["properties"]!.AsObject().Select(p => p.Key).ToList();
    private static IReadOnlyList<string> RequiredOf(JsonObject definition) => definition["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();

    /// <summary>The record's JSON names (as the SDK reads them) and those it cannot do without (no default value).</summary>
    private static (List<string> Names, List<string> Required) SdkShape(Type record)
    {
        var ctor = record.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var names = new List<string>();
        var required = new List<string>();
        foreach (var p in ctor.GetParameters())
        {
            var property = record.GetProperty(p.Name!)!;
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name!);
            names.Add(name);
            if (!p.HasDefaultValue) required.Add(name);
        }
        return (names, required);
    }

    [Fact]
    public void The_dotnet_SDK_s_records_agree_with_the_schemas()
    {
        foreach (var (record, schema, alsoRequired) in SdkRecords)
        {
            var definition = Definition(schema);
            var (names, required) = SdkShape(record);
            Assert.True(PropertiesOf(definition).Order().SequenceEqual(names.Order()),
                $"{record.Name} vs {schema}: the SDK has [{string.Join(", ", names.Except(PropertiesOf(definition)))}] the schema has not, " +
                $"the schema has [{string.Join(", ", PropertiesOf(definition).Except(names))}] the SDK has not");
            var guaranteed = RequiredOf(definition).Concat(alsoRequired).ToList();
            Assert.True(required.All(guaranteed.Contains),
                $"{record.Name} requires [{string.Join(", ", required.Except(guaranteed))}], which the schema {schema} does not guarantee");
        }
        // One SDK record reads every kind of sender: it knows each kind's properties and requires only what all of them have.
        var (senderNames, senderRequired) = SdkShape(typeof(UniLink.AppSdk.Payload.MessageSender));
        var kinds = new[] { "contactSender", "agentSender", "botSender" }.Select(Definition).ToList();
        Assert.Equal(kinds.SelectMany(PropertiesOf).Distinct().Order(), senderNames.Order());
        Assert.All(kinds, k => Assert.True(senderRequired.All(RequiredOf(k).Contains)));
    }

    [GeneratedRegex(@"^export interface (\w+)(?:<[^>]*>)? \{\r?\n(.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex InterfaceBlock();

    [GeneratedRegex(@"^  (?:'([^']+)'|(\w+))(\?)?:", RegexOptions.Multiline)]
    private static partial Regex InterfaceMember();

    /// <summary>The interfaces of the typings: name → (members, required members, has an index signature).</summary>
    private static Dictionary<string, (List<string> Names, List<string> Required, bool Open)> Interfaces()
    {
        var text = File.ReadAllText(Path.Combine(ProtocolSchemas.Folder, "..", "..", "dashboard-app.d.ts"));
        var result = new Dictionary<string, (List<string>, List<string>, bool)>();
        foreach (Match block in InterfaceBlock().Matches(text))
        {
            var body = block.Groups[2].Value;
            var members = InterfaceMember().Matches(body).Select(m => (Name: m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, Optional: m.Groups[3].Success)).ToList();
            result[block.Groups[1].Value] = (members.Select(m => m.Name).ToList(), members.Where(m => !m.Optional).Select(m => m.Name).ToList(), body.Contains("[field: string]"));
        }
        return result;
    }

    [GeneratedRegex(@"export type (\w+) =((?:\s*\|\s*'[^']+')+);")]
    private static partial Regex StringUnion();

    [Fact]
    public void The_TypeScript_typings_agree_with_the_schemas()
    {
        var interfaces = Interfaces();
        var pairs = new (string Interface, JsonObject Definition, string[] AlsoRequired)[]
        {
            ("Contact", Definition("contact"), []),
            ("Agent", Definition("currentAgent"), []),
            ("Attachment", Definition("attachment"), []),
            ("Message", Definition("message"), []),
            ("Conversation", Definition("conversation"), ["dataFetched", "allMessagesLoaded"]),
            ("CustomAttributeDefinition", Definition("customAttributeDefinition"), []),
            ("AppContext", Definition("#data"), []),
            ("DraftChange", ProtocolSchemas.Document("events")["$defs"]!["draftChange"]!.AsObject(), []),
            ("ActionResult", ProtocolSchemas.Document("results"), []),
        };
        foreach (var (name, definition, alsoRequired) in pairs)
        {
            Assert.True(interfaces.TryGetValue(name, out var ts), $"the typings have no interface {name}");
            var properties = PropertiesOf(definition);
            // An interface with an index signature may leave properties out; the others name exactly the schema's.
            if (ts.Open) Assert.True(ts.Names.All(properties.Contains), $"{name} has [{string.Join(", ", ts.Names.Except(properties))}] the schema has not");
            else Assert.True(properties.Order().SequenceEqual(ts.Names.Order()),
                $"{name}: the typings have [{string.Join(", ", ts.Names.Except(properties))}] the schema has not, the schema has [{string.Join(", ", properties.Except(ts.Names))}] the typings have not");
            var guaranteed = RequiredOf(definition).Concat(alsoRequired).ToList();
            Assert.True(ts.Required.All(guaranteed.Contains), $"{name} requires [{string.Join(", ", ts.Required.Except(guaranteed))}], which the schema does not guarantee");
        }

        var text = File.ReadAllText(Path.Combine(ProtocolSchemas.Folder, "..", "..", "dashboard-app.d.ts"));
        var unions = StringUnion().Matches(text).ToDictionary(m => m.Groups[1].Value, m => Regex.Matches(m.Groups[2].Value, "'([^']+)'").Select(x => x.Groups[1].Value).ToList());
        Assert.Equal(Enum(ProtocolSchemas.Document("actions")["$defs"]!["action"]!), unions["Action"].Order());
        Assert.Equal(Enum(ProtocolSchemas.Document("events")["$defs"]!["type"]!), interfaces["AppEventMap"].Names.Order());
        Assert.Equal(Enum(ProtocolSchemas.Document("hooks")["properties"]!["type"]!), interfaces["HookDataMap"].Names.Order());
    }

    private static IEnumerable<string> Enum(JsonNode schema) => schema["enum"]!.AsArray().Select(e => e!.GetValue<string>()).Order();
}
