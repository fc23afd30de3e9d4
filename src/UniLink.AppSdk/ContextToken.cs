using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace UniLink.AppSdk;

/// <summary>
/// The signed context UniLink adds to every <c>appContext</c> as <c>data.token</c>: an HS256 JWT made with the
/// app's secret, so an app's server can trust who is asking without a second login.
/// </summary>
public static class ContextToken
{
    /// <summary>The issuer UniLink writes into every token.</summary>
    public const string Issuer = "unilink";
    /// <summary>Tokens live at most this long.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>The audience of an app's tokens: <c>dashboard-app:{appId}</c>.</summary>
    public static string AudienceFor(int appId) => $"dashboard-app:{appId}";

    /// <summary>Creates a token (UniLink does this; exposed so that app authors can test their servers).</summary>
    public static string Create(string secret, ContextTokenClaims claims, DateTime? now = null)
    {
        var issuedAt = now ?? DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = AudienceFor(claims.AppId),
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + Lifetime,
            SigningCredentials = new SigningCredentials(Key(secret), SecurityAlgorithms.HmacSha256),
            Claims = ClaimsOf(claims),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>The JWT claims that carry <paramref name="claims"/> (both kinds of token carry the same ones).</summary>
    internal static Dictionary<string, object> ClaimsOf(ContextTokenClaims claims) => new()
    {
        ["sub"] = claims.AgentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["account_id"] = claims.AccountId,
        ["email"] = claims.AgentEmail,
        ["role"] = claims.AgentRole,
        ["conversation_id"] = claims.ConversationId,
        ["contact_id"] = (object?)claims.ContactId ?? "",
    };

    /// <summary>
    /// Verifies a token for the app with <paramref name="appId"/>: signature (HS256 with the app's secret),
    /// issuer, audience, lifetime. Returns the claims, or null with <paramref name="error"/> saying why not.
    /// </summary>
    public static ContextTokenClaims? Verify(string token, string secret, int appId, out string? error, DateTime? now = null)
    {
        error = null;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = AudienceFor(appId),
            IssuerSigningKey = Key(secret),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            RequireExpirationTime = true,
        };
        if (now is { } fixedNow) parameters.LifetimeValidator = (nbf, exp, _, _) =>
            (nbf is null || nbf <= fixedNow + parameters.ClockSkew) && exp is { } e && e > fixedNow - parameters.ClockSkew;
        var result = new JsonWebTokenHandler().ValidateTokenAsync(token, parameters).GetAwaiter().GetResult();
        if (!result.IsValid)
        {
            error = result.Exception?.Message ?? "invalid token";
            return null;
        }
        return ClaimsFrom(result.ClaimsIdentity, appId);
    }

    internal static ContextTokenClaims ClaimsFrom(ClaimsIdentity identity, int appId)
    {
        string Claim(string type) => identity.FindFirst(type)?.Value ?? "";
        int Int(string type) => int.TryParse(Claim(type), out var v) ? v : 0;
        return new ContextTokenClaims(
            AppId: appId,
            AccountId: Int("account_id"),
            AgentId: int.TryParse(identity.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? Claim("sub"), out var sub) ? sub : 0,
            AgentEmail: identity.FindFirst(ClaimTypes.Email)?.Value ?? Claim("email"),
            AgentRole: identity.FindFirst(ClaimTypes.Role)?.Value ?? Claim("role"),
            ConversationId: Int("conversation_id"),
            ContactId: int.TryParse(Claim("contact_id"), out var contact) ? contact : null);
    }

    /// <summary>
    /// Verifies <c>data.token</c> for the app with <paramref name="appId"/>: signature (HS256 with the app's secret), issuer,
    /// audience and lifetime. Returns the claims, or null with <paramref name="error"/> saying why not, also when there
    /// is no token at all (the app has no secret yet, or the host is not UniLink).
    /// </summary>
    public static ContextTokenClaims? VerifyContextToken(string? token, string secret, int appId, out string? error, DateTime? now = null)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            error = "The context carries no token: generate a secret for the app in UniLink (hosts other than UniLink send none)";
            return null;
        }
        return Verify(token, secret, appId, out error, now);
    }

    private static SymmetricSecurityKey Key(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        if (bytes.Length < 32) throw new ArgumentException("An app secret has at least 32 bytes.", nameof(secret));
        return new SymmetricSecurityKey(bytes);
    }
}

/// <summary>What a context token vouches for.</summary>
/// <param name="AppId">The dashboard app the token was made for.</param>
/// <param name="AccountId">The UniLink account.</param>
/// <param name="AgentId">The signed-in agent (<c>sub</c>).</param>
/// <param name="AgentEmail">The agent's email.</param>
/// <param name="AgentRole"><c>administrator</c> or <c>agent</c>.</param>
/// <param name="ConversationId">The conversation's display id (its <c>id</c> on the wire).</param>
/// <param name="ContactId">The conversation's contact, if any.</param>
public sealed record ContextTokenClaims(int AppId, int AccountId, int AgentId, string AgentEmail, string AgentRole, int ConversationId, int? ContactId);
