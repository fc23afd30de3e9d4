using System.Text.Json;
using System.Text.Json.Serialization;
using UniLink.Features.Contacts;
using UniLink.Features.CustomAttributes;

namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>
/// <c>{"event":"appContext","data":{conversation, contact, currentAgent, customAttributes, theme}}</c>, posted to
/// apps as a JSON string. Every part is the wire shape the API emits for the same record.
/// </summary>
public sealed record AppContextMessage(string Event, AppContextData Data)
{
    public string Serialize() => JsonSerializer.Serialize(this, WireJson.Options);

    /// <summary>The same JSON as UTF-8: what the dashboard hands its frames (a context holds every loaded message, and
    /// bytes cross to the browser as they are, where a string would be copied and escaped into the call's JSON).</summary>
    public byte[] SerializeToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, WireJson.Options);

    public static AppContextMessage Of(AppContextData data) => new("appContext", data);

    /// <summary>The message without any token, as UTF-8 (what a sealed message is built from).</summary>
    public static byte[] Unsigned(AppContextData data) => Of(data with { Token = null }).SerializeToUtf8Bytes();
}

public sealed record AppContextData(
    ConversationJson Conversation,
    /// <summary>The contact, or <c>{}</c> when the conversation has none.</summary>
    object Contact,
    [property: JsonPropertyName("currentAgent")] CurrentAgentJson CurrentAgent,
    [property: JsonPropertyName("customAttributes")] IReadOnlyList<CustomAttributeDefinitionJson> CustomAttributes,
    string Theme)
{
    /// <summary>UniLink only: the account, for apps placed outside the conversation's tabs (a contact panel).</summary>
    [JsonPropertyName("account")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Placements.AppAccountJson? Account { get; init; }

    /// <summary>UniLink only: where the app is (<c>contact_panel</c>); absent for the tabs, sidebar and composer.</summary>
    [JsonPropertyName("placement")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Placement { get; init; }

    /// <summary>UniLink only: the signed context for the app's server (added per app).</summary>
    [JsonPropertyName("token")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; init; }

    /// <summary>What a token for this context vouches for.</summary>
    public UniLink.AppSdk.ContextTokenClaims ClaimsFor(DashboardApp app, string agentRole) =>
        new(app.Id, Conversation.AccountId, CurrentAgent.Id, CurrentAgent.Email, agentRole, Conversation.Id, (Contact as ContactJson)?.Id);
}
