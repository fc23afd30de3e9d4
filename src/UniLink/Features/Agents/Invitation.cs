namespace UniLink.Features.Agents;

/// <summary>
/// A one-time link; only a hash of the token is stored. Without <see cref="Role"/> it lets a user without a password
/// set one. With a role it invites an existing user (a member of another account) to join <see cref="AccountId"/>:
/// they accept it while signed in, and no one else can use it. Until then the account has a stand-in
/// (<see cref="User.StandsInForUserId"/>) in their place.
/// </summary>
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
    /// <summary>Set on an invitation to join the account: the role the user gets there.</summary>
    public string? Role { get; set; }

    public bool IsToJoin => Role is not null;
}
