using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace UniLink.AppSdk;

/// <summary>
/// UniLink's asymmetrically signed context: every <c>appContext</c> message ends with a <c>context_token</c>, an ES256
/// JWT whose public keys UniLink publishes at <c>/.well-known/jwks.json</c> (no secret to store), and whose
/// <c>ctx_sha256</c> claim is the SHA-256 of the exact <c>data</c> JSON it came with — so every field of the context can
/// be trusted, not only who the agent is. The message is laid out as
/// <c>{"event":"appContext","data":{…},"context_token":"…"}</c>: <c>data</c>'s text is what lies between the fixed
/// start and the token member at the end.
/// </summary>
public static class SignedContext
{
    /// <summary>The message member that holds the token.</summary>
    public const string TokenMember = "context_token";
    /// <summary>The claim with the base64url SHA-256 of the exact UTF-8 text of the message's <c>data</c>.</summary>
    public const string DataHashClaim = "ctx_sha256";
    /// <summary>Where a UniLink publishes the public keys, below its origin (the tokens' issuer).</summary>
    public const string JwksPath = "/.well-known/jwks.json";
    /// <summary>How every sealed message starts.</summary>
    public const string MessageStart = "{\"event\":\"appContext\",\"data\":";
    private static readonly byte[] Start = Encoding.UTF8.GetBytes(MessageStart);

    /// <summary>
    /// Adds the token to an <c>appContext</c> message serialised without one (UniLink does this; exposed so that app
    /// authors can make sealed messages for their own tests).
    /// </summary>
    public static byte[] Seal(byte[] message, ECDsaSecurityKey key, string issuer, ContextTokenClaims claims, DateTime? now = null)
    {
        if (message.Length < Start.Length + 2 || !message.AsSpan(0, Start.Length).SequenceEqual(Start) || message[^1] != (byte)'}')
            throw new ArgumentException($"The message must be laid out as {MessageStart}{{…}}}}", nameof(message));
        var data = message.AsSpan(Start.Length, message.Length - Start.Length - 1);
        var issuedAt = now ?? DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = ContextToken.AudienceFor(claims.AppId),
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + ContextToken.Lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>(ContextToken.ClaimsOf(claims))
            {
                ["jti"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
                [DataHashClaim] = Base64UrlEncoder.Encode(SHA256.HashData(data)),
            },
        };
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
        var tail = Encoding.ASCII.GetBytes($",\"{TokenMember}\":\"{token}\"}}");
        var sealedMessage = new byte[message.Length - 1 + tail.Length];
        message.AsSpan(0, message.Length - 1).CopyTo(sealedMessage);
        tail.CopyTo(sealedMessage.AsSpan(message.Length - 1));
        return sealedMessage;
    }

    /// <summary>
    /// Verifies a sealed message (the raw <c>event.data</c> string) for the app with <paramref name="appId"/>: the
    /// token's ES256 signature with one of <paramref name="keys"/> (from the JWKS), its issuer (your UniLink's origin,
    /// e.g. <c>https://support.example.com</c>), audience, lifetime, and the SHA-256 of the data. Returns the verified
    /// context, or null with <paramref name="error"/> saying why not.
    /// </summary>
    public static VerifiedContext? Verify(string message, IEnumerable<SecurityKey> keys, string issuer, int appId, out string? error, DateTime? now = null)
    {
        if (!TrySplit(message, out var dataText, out var token, out error)) return null;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer.TrimEnd('/'),
            ValidAudience = ContextToken.AudienceFor(appId),
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
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
        var jwt = (JsonWebToken)result.SecurityToken;
        var hash = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(dataText)));
        if (!jwt.TryGetPayloadValue<string>(DataHashClaim, out var expected) || !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(expected ?? "")))
        {
            error = "The context does not match its token: the data was changed after UniLink signed it";
            return null;
        }
        if (!DashboardAppContext.TryParse(message, out var context, out error)) return null;
        return new VerifiedContext(ContextToken.ClaimsFrom(result.ClaimsIdentity, appId), context, jwt.Id, jwt.ValidTo);
    }

    /// <summary>The <c>kid</c> of the message's token (to look up a key, or to know the JWKS must be fetched again).</summary>
    public static string? KeyIdOf(string message) =>
        TrySplit(message, out _, out var token, out _) && new JsonWebTokenHandler().CanReadToken(token) ? new JsonWebToken(token).Kid : null;

    private static bool TrySplit(string message, out string dataText, out string token, out string? error)
    {
        dataText = token = "";
        error = null;
        string? found = null;
        try
        {
            using var doc = JsonDocument.Parse(message);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(TokenMember, out var t) && t.ValueKind == JsonValueKind.String)
                found = t.GetString();
        }
        catch (JsonException e)
        {
            error = $"The message is not JSON: {e.Message}";
            return false;
        }
        if (string.IsNullOrEmpty(found))
        {
            error = $"The message carries no {TokenMember} (hosts other than UniLink send none)";
            return false;
        }
        var tail = $",\"{TokenMember}\":\"{found}\"}}";
        if (!message.StartsWith(MessageStart, StringComparison.Ordinal) || !message.EndsWith(tail, StringComparison.Ordinal)
            || message.Length < MessageStart.Length + tail.Length + 2)
        {
            error = $"The message is not laid out as UniLink seals it ({MessageStart}{{…}},\"{TokenMember}\":\"…\"}}): pass the exact string the host posted";
            return false;
        }
        dataText = message[MessageStart.Length..^tail.Length];
        token = found;
        return true;
    }
}

/// <summary>A context whose token verified and whose data matches it.</summary>
/// <param name="Claims">Who and what the token vouches for.</param>
/// <param name="Context">The whole context, every field of it covered by the token.</param>
/// <param name="TokenId">The token's <c>jti</c> (for replay checks).</param>
/// <param name="ExpiresAt">When the token stops being valid (UTC).</param>
public sealed record VerifiedContext(ContextTokenClaims Claims, DashboardAppContext Context, string TokenId, DateTime ExpiresAt);
