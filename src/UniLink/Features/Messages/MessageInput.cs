using System.Text.Json.Nodes;
using UniLink.Features.Attachments;

namespace UniLink.Features.Messages;

/// <summary>
/// A new message as a request states it, checked by <see cref="MessageService.CreateAsync(Conversations.Conversation, MessageInput, Conversations.Actor, CancellationToken)"/>:
/// the API's message (type, privacy, content type and attributes) or a contact's (the public API, the widget).
/// </summary>
public sealed record MessageInput(
    string? Content,
    string? MessageType,
    bool Private,
    string ContentType,
    JsonObject? ContentAttributes,
    string? SourceId,
    IReadOnlyList<StagedFile> Files)
{
    public const int MaxContent = 150_000;

    /// <summary>The type the request names, by the reference's names and numbers (outgoing when it names none); null when unknown.</summary>
    public Messages.MessageType? Type => MessageType switch
    {
        null or "" or "outgoing" or "1" => Messages.MessageType.Outgoing,
        "incoming" or "0" => Messages.MessageType.Incoming,
        "template" or "3" => Messages.MessageType.Template,
        _ => null,
    };

    /// <summary><c>content</c>, <c>message_type</c>, <c>private</c>, <c>content_type</c>, <c>content_attributes</c>, <c>source_id</c>.</summary>
    public static MessageInput From(RequestBody body, IReadOnlyList<StagedFile> files) => new(
        body.String("content", MaxContent, required: files.Count == 0, trim: false),
        body.String("message_type", 16),
        body.Bool("private") ?? false,
        body.String("content_type", 32) ?? "text",
        body.Object("content_attributes"),
        body.String("source_id", 255),
        files);

    /// <summary>A contact's message: <c>content</c> and the client's <c>echo_id</c>; always incoming.</summary>
    public static MessageInput FromContact(RequestBody body, IReadOnlyList<StagedFile> files) => new(
        body.String("content", MaxContent, required: files.Count == 0, trim: false),
        "incoming",
        false,
        "text",
        null,
        body.String("echo_id", 255),
        files);
}
