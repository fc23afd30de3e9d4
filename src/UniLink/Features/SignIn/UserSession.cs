
namespace UniLink.Features.SignIn;

/// <summary>
/// A dashboard session (the cookie holds its token) or a sign-in token from <c>/auth/sign_in</c>. Only a hash of the
/// token is stored; deleting the row ends it everywhere, on every node.
/// </summary>
public class UserSession
{
    public const string Cookie = "cookie";
    public const string Token = "token";

    public int Id { get; set; }
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public required string TokenHash { get; set; }
    public required string Kind { get; set; }
    /// <summary>devise_token_auth's <c>client</c> of a sign-in token.</summary>
    public string? Client { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}
