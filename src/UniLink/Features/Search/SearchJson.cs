using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace UniLink.Features.Search;

// The reference's search views (app/views/api/v1/accounts/search/): slimmer shapes than the lists', one per kind of hit.
// A part the reference leaves empty (a conversation without messages or assignee, a system message's sender) is left out.

public sealed record SearchContactJson(string? Email, int Id, string? Name, string? PhoneNumber, string? Identifier,
    JsonObject AdditionalAttributes, long? LastActivityAt);

public sealed record SearchInboxJson(int Id, int ChannelId, string Name, string ChannelType);

public sealed record SearchAgentJson(int Id, string AvailableName, string Email, string Name, string Role);

public sealed record SearchMessageJson(int Id, string? Content, int MessageType, string ContentType, string? SourceId, int InboxId,
    int ConversationId, long CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Sender,
    SearchInboxJson Inbox);

public sealed record SearchConversationJson(int Id, int AccountId, long CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SearchMessageJson? Message,
    SearchContactJson Contact, SearchInboxJson Inbox,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SearchAgentJson? Agent,
    JsonObject AdditionalAttributes);

/// <summary><c>GET …/search</c>'s payload; each form (<c>…/search/conversations</c> …) fills one of the lists.</summary>
public sealed record SearchPayloadJson(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SearchConversationJson>? Conversations,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SearchContactJson>? Contacts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SearchMessageJson>? Messages);

public sealed record SearchResultJson(SearchPayloadJson Payload);
