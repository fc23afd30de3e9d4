using System.Text.Json.Nodes;

namespace UniLink.AppSdk.Payload;

/// <summary>A message; <see cref="ConversationId"/> is the conversation's display id.</summary>
/// <param name="MessageType">0 incoming, 1 outgoing, 2 activity, 3 template (see <see cref="MessageTypes"/>).</param>
/// <param name="Private">True for a private note.</param>
public sealed record Message(
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
    MessageSender? Sender,
    IReadOnlyList<JsonObject>? Attachments = null);

public static class MessageTypes
{
    public const int Incoming = 0;
    public const int Outgoing = 1;
    public const int Activity = 2;
    public const int Template = 3;
}

/// <summary>
/// Who wrote a message: a contact (<c>type</c> <c>contact</c>), an agent (<c>user</c>) or a bot (<c>agent_bot</c>).
/// Fields the sender's kind does not have are null.
/// </summary>
public sealed record MessageSender(
    int Id,
    string? Name,
    string Type,
    string? Email = null,
    string? PhoneNumber = null,
    string? Identifier = null,
    string? Thumbnail = null,
    bool? Blocked = null,
    JsonObject? AdditionalAttributes = null,
    JsonObject? CustomAttributes = null,
    string? AvailableName = null,
    string? AvatarUrl = null,
    string? AvailabilityStatus = null);
