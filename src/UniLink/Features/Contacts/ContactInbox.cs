
namespace UniLink.Features.Contacts;

/// <summary>A contact as known to one inbox; <see cref="SourceId"/> is the contact identifier of the public API.</summary>
public class ContactInbox
{
    public int Id { get; set; }
    public int ContactId { get; set; }
    public Contact Contact { get; set; } = null!;
    public int InboxId { get; set; }
    public Inbox Inbox { get; set; } = null!;
    public required string SourceId { get; set; }
    public bool HmacVerified { get; set; }
    public string PubsubToken { get; set; } = Guid.NewGuid().ToString("N");
    public DateTime CreatedAt { get; set; }
}
