namespace UniLink.Features.Webhooks;

/// <summary>An account's webhook: a URL that receives the events it subscribes to, signed with its own secret.</summary>
public class Webhook
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public string? Name { get; set; }
    public required string Url { get; set; }
    /// <summary>JSON array of event names (<see cref="WebhookEvents.All"/>).</summary>
    public string Subscriptions { get; set; } = "[]";
    /// <summary>HMAC-SHA256 key of the X-Chatwoot-Signature header.</summary>
    public required string Secret { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>The reference's event (and subscription) names.</summary>
public static class WebhookEvents
{
    public const string ConversationCreated = "conversation_created";
    public const string ConversationUpdated = "conversation_updated";
    public const string ConversationStatusChanged = "conversation_status_changed";
    public const string MessageCreated = "message_created";
    public const string MessageUpdated = "message_updated";
    public const string ContactCreated = "contact_created";
    public const string ContactUpdated = "contact_updated";
    public const string ConversationTypingOn = "conversation_typing_on";
    public const string ConversationTypingOff = "conversation_typing_off";
    public const string WebwidgetTriggered = "webwidget_triggered";

    public static readonly string[] All =
    [
        ConversationCreated, ConversationUpdated, ConversationStatusChanged, MessageCreated, MessageUpdated,
        ContactCreated, ContactUpdated, ConversationTypingOn, ConversationTypingOff, WebwidgetTriggered,
    ];

    /// <summary>UniLink's own event, sent only by "Send test event" to the one webhook asked.</summary>
    public const string Test = "webhook_test";
}
