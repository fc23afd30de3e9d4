using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace UniLink.AppSdk.Payload;

/// <summary>
/// <c>data.conversation</c>: the conversations API's object (its <c>id</c> is the per-account display id) with every
/// message the agent's view has loaded, oldest first, plus the dashboard's two flags.
/// </summary>
/// <param name="SnoozedUntil">ISO-8601 UTC while snoozed until a time, else null.</param>
/// <param name="Status"><c>open</c>, <c>pending</c>, <c>snoozed</c> or <c>resolved</c>.</param>
/// <param name="UpdatedAt">Unix seconds with a fraction.</param>
/// <param name="Priority"><c>low</c>, <c>medium</c>, <c>high</c>, <c>urgent</c> or null.</param>
public sealed record Conversation(
    ConversationMeta Meta,
    int Id,
    IReadOnlyList<Message> Messages,
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
    Message? LastNonActivityMessage,
    long LastActivityAt,
    string? Priority,
    long WaitingSince,
    [property: JsonPropertyName("dataFetched")] bool DataFetched,
    [property: JsonPropertyName("allMessagesLoaded")] bool AllMessagesLoaded,
    int? SlaPolicyId = null);

/// <summary><c>conversation.meta</c>.</summary>
/// <param name="Channel">e.g. <c>Channel::Api</c>, <c>Channel::WebWidget</c>, <c>Channel::Email</c>.</param>
/// <param name="AssigneeType"><c>User</c>, <c>AgentBot</c> or null.</param>
public sealed record ConversationMeta(
    Contact Sender,
    string Channel,
    Agent? Assignee,
    string? AssigneeType,
    bool HmacVerified,
    JsonObject? Team = null);
