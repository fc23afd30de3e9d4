using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using UniLink.Features.Contacts;
using UniLink.Features.Messages;

namespace UniLink.Features.Conversations;

/// <summary>
/// The conversation, defined once: the API, the live events and the dashboard-app context all emit this.
/// <see cref="Messages"/> holds what the caller chose (the API: the latest message; apps: every loaded one).
/// </summary>
public sealed record ConversationJson(
    ConversationMetaJson Meta,
    int Id,
    IReadOnlyList<MessageJson> Messages,
    int AccountId,
    string Uuid,
    JsonObject AdditionalAttributes,
    long AgentLastSeenAt,
    long AssigneeLastSeenAt,
    bool CanReply,
    long ContactLastSeenAt,
    JsonObject CustomAttributes,
    int InboxId,
    IReadOnlyList<string> Labels,
    bool Muted,
    string? SnoozedUntil,
    string Status,
    long CreatedAt,
    double UpdatedAt,
    long Timestamp,
    long FirstReplyCreatedAt,
    int UnreadCount,
    MessageJson? LastNonActivityMessage,
    long LastActivityAt,
    string? Priority,
    long WaitingSince,
    int? SlaPolicyId)
{
    /// <summary>Fields only the dashboard's copy has (<c>dataFetched</c>, <c>allMessagesLoaded</c>).</summary>
    [JsonExtensionData]
    // set, not init: the generated serialiser (WireJsonContext) takes an init-only property for a constructor
    // parameter, which extension data cannot be.
    public Dictionary<string, object?>? ClientFlags { get; set; }
}

public sealed record ConversationMetaJson(
    ContactJson Sender,
    string Channel,
    AgentJson? Assignee,
    string? AssigneeType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Teams.TeamJson? Team,
    bool HmacVerified);

/// <summary>The conversation list's answer: <c>{"data": {"meta": counts, "payload": conversations}}</c>.</summary>
public sealed record ConversationListJson(ConversationListDataJson Data);

/// <summary>A page of conversations with the list's counts (the filter endpoint answers this without <c>data</c>).</summary>
public sealed record ConversationListDataJson(ConversationCounts Meta, IReadOnlyList<ConversationJson> Payload);
