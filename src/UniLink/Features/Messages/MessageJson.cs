using System.Text.Json.Nodes;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Messages;

/// <summary>A message; <c>conversation_id</c> is the conversation's display id. <c>sender</c> is a contact, agent or bot shape.</summary>
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
    object? Sender);

/// <summary>An agent bot as the sender of a message.</summary>
public sealed record BotSenderJson(int Id, string Name, string AvatarUrl, string Type = "agent_bot");

public static class MessageMapping
{
    public static MessageJson ToJson(this Message m, int conversationDisplayId, object? sender) => new(
        m.Id, m.Content, m.InboxId, conversationDisplayId, (int)m.MessageType, m.ContentType, m.Status,
        JsonText.Object(m.ContentAttributes), UnixTime.Seconds(m.CreatedAt), m.Private, m.SourceId, sender);
}
