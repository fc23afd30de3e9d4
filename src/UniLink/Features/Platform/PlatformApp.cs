namespace UniLink.Features.Platform;

/// <summary>
/// An installation operator's provisioning client of the Platform API (<c>/platform/api/v1</c>). Apps are declared by
/// the operator in <c>UNILINK_PLATFORM_APPS</c> (<see cref="PlatformApps"/>); an app no longer declared keeps its
/// records but its token stops working.
/// </summary>
public class PlatformApp
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>SHA-256 of the app's access token; null while the app is not declared.</summary>
    public string? AccessTokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A record a platform app created, and so may see and change (the reference's <c>platform_app_permissibles</c>).</summary>
public class PlatformAppPermissible
{
    public int Id { get; set; }
    public int PlatformAppId { get; set; }
    /// <summary>One of <see cref="PermissibleTypes"/>.</summary>
    public required string PermissibleType { get; set; }
    public int PermissibleId { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class PermissibleTypes
{
    public const string Account = "Account";
    public const string User = "User";
    public const string AgentBot = "AgentBot";
}

/// <summary>A one-time dashboard sign-in link for a user (the Platform API's <c>login</c>), valid a few minutes.</summary>
public class SignInLink
{
    public int Id { get; set; }
    public int UserId { get; set; }
    /// <summary>SHA-256 of the link's token.</summary>
    public required string TokenHash { get; set; }
    public DateTime ExpiresAt { get; set; }
}
