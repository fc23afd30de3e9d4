using System.Text.Json.Nodes;
using UniLink.Features.Messages;

namespace UniLink.Features.Conversations;

/// <summary>
/// <c>POST …/conversations</c> as the reference takes it: an inbox and a contact (by id, or by the contact's
/// <c>source_id</c> in that inbox), optionally a status, an assignee, attributes and a first message (sent as the caller).
/// </summary>
public sealed record ConversationInput(
    int InboxId,
    int? ContactId,
    string? SourceId,
    string? Status,
    int? AssigneeId,
    JsonObject? AdditionalAttributes,
    JsonObject? CustomAttributes,
    MessageInput? Message)
{
    public static ConversationInput From(RequestBody body)
    {
        var inboxId = body.Int("inbox_id", required: true);
        var contactId = body.Int("contact_id");
        var sourceId = body.String("source_id", 255);
        var message = body.Nested("message");
        if (body.Has("message") && message is null) body.Problem("message", "must be an object with content");
        var firstMessage = message is null ? null
            : new MessageInput(message.String("content", MessageInput.MaxContent, required: true, trim: false), "outgoing", false, "text", null, null, []);
        if (contactId is null && sourceId is null) body.Problem("contact_id", "can't be blank");
        return new ConversationInput(inboxId ?? 0, contactId, sourceId, body.String("status", 32), body.Int("assignee_id"),
            body.Object("additional_attributes"), body.Object("custom_attributes"), firstMessage);
    }
}
