using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using UniLink.Features.Attachments;

namespace UniLink.Features.Messages;

/// <summary>
/// A message; <c>conversation_id</c> is the conversation's display id. <c>sender</c> is a contact, agent or bot shape.
/// <c>attachments</c> only when it has any, as the reference.
/// </summary>
public sealed record MessageJson(
    int Id,
    string? Content,
    int InboxId,
    int ConversationId,
    int MessageType,
    string ContentType,
    string Status,
    JsonObject ContentAttributes,
    long CreatedAt,
    bool Private,
    string? SourceId,
    object? Sender,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AttachmentJson>? Attachments = null);

/// <summary>An agent bot as the sender of a message.</summary>
public sealed record BotSenderJson(int Id, string Name, string AvatarUrl, string Type = "agent_bot");

public static class MessageMapping
{
    public static MessageJson ToJson(this Message m, int conversationDisplayId, object? sender, IReadOnlyList<AttachmentJson>? attachments = null) => new(
        m.Id, m.Content, m.InboxId, conversationDisplayId, (int)m.MessageType, m.ContentType, m.Status,
        JsonText.Object(m.ContentAttributes), UnixTime.Seconds(m.CreatedAt), m.Private, m.SourceId, sender, attachments);
}
