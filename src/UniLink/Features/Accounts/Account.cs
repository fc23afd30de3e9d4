namespace UniLink.Features.Accounts;

public class Account
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Last display id handed out; bumped inside the insert transaction so nodes never collide.</summary>
    public int LastConversationDisplayId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<AccountUser> Members { get; set; } = [];
}
