
namespace UniLink.Features.Accounts;

/// <summary>A user's membership of an account, with the role they hold there.</summary>
public class AccountUser
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public Account Account { get; set; } = null!;
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public required string Role { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ActiveAt { get; set; }
}

public static class Roles
{
    public const string Administrator = "administrator";
    public const string Agent = "agent";
    public static bool IsValid(string? role) => role is Administrator or Agent;
}
