using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using UniLink.AppSdk;
using UniLink.Features.DashboardApps.Sandbox;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.AppSdk;

/// <summary>The .NET SDK's records read the context the real server builds, with the values the API gives for the same records.</summary>
public sealed class AppContextPayloadTests : IDisposable
{
    private readonly UniLinkServer _server = new();
    private readonly HttpClient _admin;
    private readonly int _account;

    public AppContextPayloadTests()
    {
        _admin = _server.AdminClient();
        _account = _server.AccountId;
    }

    public void Dispose()
    {
        _admin.Dispose();
        _server.Dispose();
    }

    private string P(string rest) => $"/api/v1/accounts/{_account}/{rest}";

    private async Task<JsonNode> GetAsync(string rest) => (await (await _admin.GetAsync(P(rest))).ExpectAsync(HttpStatusCode.OK))!;

    /// <summary>A conversation with every part filled: contact attributes, agent and private replies, labels, assignee, attributes, definitions.</summary>
    private async Task<int> RichConversationAsync()
    {
        await (await _admin.PostAsync(P("custom_attribute_definitions"), Json(new
        {
            attribute_display_name = "Tier", attribute_display_type = "list", attribute_key = "tier", attribute_model = "contact_attribute",
            attribute_values = new[] { "gold", "silver" }, attribute_description = "Loyalty tier",
        }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P("custom_attribute_definitions"), Json(new
        {
            attribute_display_name = "Order number", attribute_display_type = "text", attribute_key = "order_number", attribute_model = "conversation_attribute",
        }))).ExpectAsync(HttpStatusCode.OK);
        var conversation = await _admin.CreateConversationAsync(_account, "Maria López", "Where is order #1042? ünïcode ✓");
        var id = conversation["id"]!.GetValue<int>();
        var contactId = conversation["meta"]!["sender"]!["id"]!.GetValue<int>();
        await (await _admin.PatchAsync(P($"contacts/{contactId}"), Json(new
        {
            phone_number = "+4915112345678", identifier = "cust-1042",
            custom_attributes = new { tier = "gold", since = 2019 }, additional_attributes = new { city = "Berlin" },
        }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "It left the warehouse today." }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "Checked with the carrier", @private = true }))).ExpectAsync(HttpStatusCode.OK);
        var adminId = _server.Db(db => db.Users.First(u => u.Email == UniLinkServer.AdminEmail).Id);
        await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { assignee_id = adminId }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{id}/labels"), Json(new { labels = new[] { "billing", "vip" } }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{id}/custom_attributes"), Json(new { custom_attributes = new { order_number = "SO-1042" } }))).ExpectAsync(HttpStatusCode.OK);
        return id;
    }

    /// <summary>What UniLink posts to an app for that conversation (the sandbox's builder: the conversation view's parts).</summary>
    private async Task<(string Raw, int AppId, string Secret)> ContextFromServerAsync(int displayId)
    {
        var appId = (await (await _admin.PostAsync(P("dashboard_apps"), Json(new { title = "Orders", content = new[] { new { type = "frame", url = "https://orders.example.com/" } } })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var secret = (await (await _admin.PostAsync(P($"dashboard_apps/{appId}/secret"), null)).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>();
        var app = _server.Db(db => db.DashboardApps.Single(a => a.Id == appId));
        var adminId = _server.Db(db => db.Users.First(u => u.Email == UniLinkServer.AdminEmail).Id);
        var raw = await SandboxContext.BuildAsync(_server.Services.GetRequiredService<IServiceScopeFactory>(), _account, displayId, adminId, app,
            _server.BaseAddress.GetLeftPart(UriPartial.Authority));
        return (raw!, appId, secret);
    }

    [Fact]
    public async Task The_records_read_every_field_of_a_real_context_with_the_apis_values_and_its_token_verifies()
    {
        var id = await RichConversationAsync();
        var (raw, appId, secret) = await ContextFromServerAsync(id);

        // Every key UniLink sends has a home in the records.
        var strict = new JsonSerializerOptions(DashboardAppContext.JsonOptions) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        JsonNode.Parse(raw)!["data"].Deserialize<DashboardAppContext>(strict);

        var context = DashboardAppContext.Parse(raw);
        var conversation = context.Conversation;
        Assert.Equal(id, conversation.Id);
        Assert.True(conversation.DataFetched);
        Assert.True(conversation.AllMessagesLoaded);
        Assert.Equal(["billing", "vip"], conversation.Labels);
        Assert.Equal("SO-1042", conversation.CustomAttributes["order_number"]!.GetValue<string>());
        Assert.Equal(UniLinkServer.AdminEmail, conversation.Meta.Assignee!.Email);
        Assert.Equal("Maria López", context.Contact!.Name);
        Assert.Equal("gold", context.Contact.CustomAttributes["tier"]!.GetValue<string>());
        Assert.Equal(["Where is order #1042? ünïcode ✓", "It left the warehouse today.", "Checked with the carrier"],
            conversation.Messages.Where(m => m.MessageType != UniLink.AppSdk.Payload.MessageTypes.Activity).Select(m => m.Content));
        Assert.True(conversation.Messages.Single(m => m.Content == "Checked with the carrier").Private);
        Assert.Equal("contact", conversation.Messages[0].Sender!.Type);
        Assert.Equal("user", conversation.Messages.Single(m => m.Content == "It left the warehouse today.").Sender!.Type);
        Assert.Equal("light", context.Theme);

        // Field by field, the records hold what the API answers for the same records.
        var apiConversation = (await GetAsync($"conversations/{id}")).AsObject();
        var fromRecords = JsonSerializer.SerializeToNode(conversation, DashboardAppContext.JsonOptions)!.AsObject();
        AssertSameValues(Without(apiConversation, "messages"), Without(fromRecords, "messages", "dataFetched", "allMessagesLoaded"), "conversation");
        AssertSameValues((await GetAsync($"conversations/{id}/messages"))["payload"], fromRecords["messages"], "messages");
        var apiContact = (await GetAsync($"contacts/{context.Contact.Id}"))["payload"]!.AsObject();
        AssertSameValues(Without(apiContact, "contact_inboxes"), JsonSerializer.SerializeToNode(context.Contact, DashboardAppContext.JsonOptions), "contact");
        AssertSameValues(await GetAsync("custom_attribute_definitions?attribute_model=contact_attribute"),
            JsonSerializer.SerializeToNode(context.CustomAttributes!.Where(d => d.AttributeModel == "contact_attribute"), DashboardAppContext.JsonOptions), "customAttributes");
        Assert.Equal(2, context.CustomAttributes!.Count);
        var profile = (await (await _admin.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal((profile["id"]!.GetValue<int>(), profile["name"]!.GetValue<string>(), profile["email"]!.GetValue<string>()),
            (context.CurrentAgent.Id, context.CurrentAgent.Name, context.CurrentAgent.Email));

        var claims = context.VerifyContextToken(secret, appId, out var error);
        Assert.True(claims is not null, error);
        Assert.Equal((_account, id, context.Contact.Id, context.CurrentAgent.Id, "administrator"),
            (claims!.AccountId, claims.ConversationId, claims.ContactId, claims.AgentId, claims.AgentRole));
        Assert.Null(context.VerifyContextToken(secret, appId + 1, out _));
    }

    private static JsonObject Without(JsonObject source, params string[] keys)
    {
        var copy = source.DeepClone().AsObject();
        foreach (var key in keys) copy.Remove(key);
        return copy;
    }

    /// <summary>Every value the API gives is in the records; a key the API leaves out may only be null there.</summary>
    private static void AssertSameValues(JsonNode? api, JsonNode? records, string path)
    {
        switch (api)
        {
            case JsonObject o:
                var r = Assert.IsType<JsonObject>(records, exactMatch: false);
                foreach (var (key, value) in o) AssertSameValues(value, r[key], $"{path}.{key}");
                foreach (var (key, value) in r)
                    if (!o.ContainsKey(key)) Assert.True(value is null, $"{path}.{key}: the records have {value?.ToJsonString()}, the API nothing");
                break;
            case JsonArray a:
                var list = Assert.IsType<JsonArray>(records, exactMatch: false);
                Assert.True(a.Count == list.Count, $"{path}: the API has {a.Count} items, the records {list.Count}");
                for (var i = 0; i < a.Count; i++) AssertSameValues(a[i], list[i], $"{path}[{i}]");
                break;
            default:
                Assert.True(api?.ToJsonString() == records?.ToJsonString(), $"{path}: API {api?.ToJsonString()}, records {records?.ToJsonString()}");
                break;
        }
    }
}
