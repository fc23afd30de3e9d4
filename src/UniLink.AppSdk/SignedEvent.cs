using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace UniLink.AppSdk;

/// <summary>
/// The signatures on an event UniLink posts to an app's own server (its <c>event_endpoint</c>):
/// <list type="bullet">
/// <item><c>X-UniLink-Signature: sha256=hex(HMAC-SHA256(app secret, "{X-UniLink-Timestamp}.{raw body}"))</c>, when the app
/// has a secret (as an account webhook's <c>X-Chatwoot-Signature</c>);</item>
/// <item><c>X-UniLink-Event-Token</c>, always: an ES256 JWT by the keys published at <c>{issuer}/.well-known/jwks.json</c>
/// (the same as the signed context's), audience <c>dashboard-app:{id}</c>, valid 5 minutes, whose <c>body_sha256</c>
/// claim is the base64url SHA-256 of the exact body — no secret to store.</item>
/// </list>
/// <c>X-UniLink-Delivery</c> is the same on every retry of one delivery: de-duplicate on it.
/// </summary>
public static class SignedEvent
{
    public const string SignatureHeader = "X-UniLink-Signature";
    public const string TimestampHeader = "X-UniLink-Timestamp";
    public const string DeliveryHeader = "X-UniLink-Delivery";
    public const string TokenHeader = "X-UniLink-Event-Token";
    /// <summary>The claim with the base64url SHA-256 of the exact UTF-8 body.</summary>
    public const string BodyHashClaim = "body_sha256";

    /// <summary>The <see cref="SignatureHeader"/> value for a body (UniLink does this; exposed for app authors' tests).</summary>
    public static string Sign(string secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    /// <summary>
    /// Checks <see cref="SignatureHeader"/> with the app's secret, and that the timestamp is within
    /// <paramref name="tolerance"/> (5 minutes by default) of now, so an old request cannot be replayed.
    /// </summary>
    public static bool VerifySignature(string body, string? timestamp, string? signature, string secret, TimeSpan? tolerance = null, DateTime? now = null)
    {
        if (signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts)) return false;
        var at = DateTimeOffset.FromUnixTimeSeconds(ts).UtcDateTime;
        if ((now ?? DateTime.UtcNow) - at is var age && age.Duration() > (tolerance ?? TimeSpan.FromMinutes(5))) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, ts, body)), Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>Makes the <see cref="TokenHeader"/> value for a body (UniLink does this; exposed for app authors' tests).</summary>
    public static string CreateToken(string body, ECDsaSecurityKey key, string issuer, int appId, DateTime? now = null)
    {
        var issuedAt = now ?? DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = ContextToken.AudienceFor(appId),
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + ContextToken.Lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["jti"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
                [BodyHashClaim] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(body))),
            },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>
    /// Verifies <see cref="TokenHeader"/> for the app with <paramref name="appId"/>: ES256 with one of
    /// <paramref name="keys"/> (the JWKS), issuer (your UniLink's origin, pinned in your configuration), audience,
    /// lifetime, and the body's hash. Null when valid, else why not.
    /// </summary>
    public static string? VerifyToken(string body, string? token, IEnumerable<SecurityKey> keys, string issuer, int appId)
    {
        if (string.IsNullOrEmpty(token)) return $"The request carries no {TokenHeader}";
        var result = new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer.TrimEnd('/'),
            ValidAudience = ContextToken.AudienceFor(appId),
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            RequireExpirationTime = true,
        }).GetAwaiter().GetResult();
        if (!result.IsValid) return result.Exception?.Message ?? "invalid token";
        var hash = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        return ((JsonWebToken)result.SecurityToken).TryGetPayloadValue<string>(BodyHashClaim, out var expected)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(expected ?? ""))
            ? null
            : "The body does not match its token: it was changed after UniLink signed it";
    }
}
