namespace UniLink.Features.Webhooks;

/// <summary>
/// A fact that must leave UniLink, written in the same transaction as the change that caused it (the transactional
/// outbox). The worker turns it into one <see cref="WebhookDelivery"/> per endpoint that wants it.
/// </summary>
public class OutboxEvent
{
    public long Id { get; set; }
    public int AccountId { get; set; }
    public required string Event { get; set; }
    /// <summary>The conversation's database key, when the event is about one (set null if it is deleted).</summary>
    public int? ConversationId { get; set; }
    public int? MessageId { get; set; }
    public Messages.Message? Message { get; set; }
    public int? ContactId { get; set; }
    public Contacts.Contact? Contact { get; set; }
    /// <summary>What else the event needs (JSON): for typing events, who types (<c>sender_type</c>, <c>sender_id</c>, <c>name</c>) and <c>is_private</c>.</summary>
    public string? Detail { get; set; }
    /// <summary>The reference's <c>changed_attributes</c> (JSON array), for update events.</summary>
    public string? ChangedAttributes { get; set; }
    /// <summary>
    /// The payload sent to every endpoint of the event (its exact bytes as UTF-8 JSON), stored once when the event is fanned
    /// out; its deliveries refer to it instead of each holding a copy.
    /// </summary>
    public string? Payload { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Set once its deliveries exist; the worker only looks at events where this is null.</summary>
    public DateTime? DispatchedAt { get; set; }
}
