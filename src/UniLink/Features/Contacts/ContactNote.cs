
namespace UniLink.Features.Contacts;

/// <summary>An agent's note on a contact (the contact panel's notes).</summary>
public class ContactNote
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public int ContactId { get; set; }
    /// <summary>The agent who wrote it; null once they are gone.</summary>
    public int? UserId { get; set; }
    public User? User { get; set; }
    public required string Content { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A label on a contact (the reference tags contacts with the account's labels, as conversations).</summary>
public class ContactLabel
{
    public int ContactId { get; set; }
    public required string Title { get; set; }
}
