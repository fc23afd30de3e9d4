using UniLink.Features.Contacts;
using UniLink.Features.Messages;

namespace UniLink.Features.Conversations;

public class Conversation
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    /// <summary>Per-account sequential id; this is the <c>id</c> on the wire.</summary>
    public int DisplayId { get; set; }
    // Made when first read, not in the constructor (as User's tokens): EF sets it on every conversation it reads.
    private Guid? uuidOrNull;
    public Guid Uuid { get => uuidOrNull ??= Guid.NewGuid(); set => uuidOrNull = value; }
    public int InboxId { get; set; }
    public Inbox Inbox { get; set; } = null!;
    public int ContactId { get; set; }
    public Contact Contact { get; set; } = null!;
    public int? ContactInboxId { get; set; }
    public ContactInbox? ContactInbox { get; set; }
    public int? AssigneeId { get; set; }
    public User? Assignee { get; set; }
    public int? TeamId { get; set; }
    public Teams.Team? Team { get; set; }
    public ConversationStatus Status { get; set; } = ConversationStatus.Open;
    public DateTime? SnoozedUntil { get; set; }
    /// <summary>null, or one of <see cref="ConversationPriorities"/>.</summary>
    public string? Priority { get; set; }
    public string CustomAttributes { get; set; } = "{}";
    public string AdditionalAttributes { get; set; } = "{}";
    public bool Muted { get; set; }
    public DateTime? AgentLastSeenAt { get; set; }
    public DateTime? AssigneeLastSeenAt { get; set; }
    public DateTime? ContactLastSeenAt { get; set; }
    public DateTime? FirstReplyCreatedAt { get; set; }
    public DateTime? WaitingSince { get; set; }
    public DateTime LastActivityAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<ConversationLabel> Labels { get; set; } = [];
    public List<Message> Messages { get; set; } = [];
}

/// <summary>Numbered as the reference stores them.</summary>
public enum ConversationStatus { Open = 0, Resolved = 1, Pending = 2, Snoozed = 3 }

public static class ConversationPriorities
{
    public static readonly string[] All = ["low", "medium", "high", "urgent"];
}

public static class ConversationStatuses
{
    /// <summary>The reference's status names; null for anything else.</summary>
    public static ConversationStatus? Parse(string? name) => name switch
    {
        "open" => ConversationStatus.Open,
        "resolved" => ConversationStatus.Resolved,
        "pending" => ConversationStatus.Pending,
        "snoozed" => ConversationStatus.Snoozed,
        _ => null,
    };
}

public class ConversationLabel
{
    public int ConversationId { get; set; }
    public required string Title { get; set; }
}
