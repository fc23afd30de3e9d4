using System.Security.Cryptography;
using System.Text;

namespace UniLink.Features.Public;

/// <summary>The reference's identity proof: <c>identifier_hash</c> = hex HMAC-SHA256 of the identifier with the inbox's <c>hmac_token</c>.</summary>
public static class IdentifierHash
{
    public static string Of(string hmacToken, string identifier) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(hmacToken), Encoding.UTF8.GetBytes(identifier)));

    public static bool Matches(string hmacToken, string identifier, string? hash) =>
        hash is { Length: 64 } && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Of(hmacToken, identifier)), Encoding.ASCII.GetBytes(hash.ToLowerInvariant()));
}
