namespace UniLink.Features.Messages;

public class Message
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public int InboxId { get; set; }
    /// <summary>The conversation's database key (not its display id).</summary>
    public int ConversationId { get; set; }
    public string? Content { get; set; }
    public MessageType MessageType { get; set; }
    public string ContentType { get; set; } = "text";
    public string ContentAttributes { get; set; } = "{}";
    public bool Private { get; set; }
    public string? SourceId { get; set; }
    public string Status { get; set; } = "sent";
    /// <summary>"Contact", "User", "AgentBot" or null (system activity).</summary>
    public string? SenderType { get; set; }
    public int? SenderId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>
    /// Whether the message has attachments, kept by their writes (<see cref="MessageService"/>): a batch of messages reads
    /// attachments only for those that have some, and almost none do.
    /// </summary>
    public bool HasAttachments { get; set; }
}

public enum MessageType { Incoming = 0, Outgoing = 1, Activity = 2, Template = 3 }

public static class SenderTypes
{
    public const string Contact = "Contact";
    public const string User = "User";
    public const string AgentBot = "AgentBot";
}
