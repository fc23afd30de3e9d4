
namespace UniLink.Features.Inboxes;

/// <summary>An agent who works an inbox: agents see the conversations of their inboxes, and auto-assignment picks among them.</summary>
public class InboxMember : IGroupMember
{
    public int Id { get; set; }
    public int InboxId { get; set; }
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
}
