namespace UniLink.Features.Agents;

/// <summary>A one-time link with which an agent sets a password; only a hash of the token is stored.</summary>
public class Invitation
{
    public int Id { get; set; }
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public int AccountId { get; set; }
    public required string TokenHash { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
