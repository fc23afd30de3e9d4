using System.Security.Cryptography;
using System.Text;

namespace UniLink.Infrastructure.Auth;

public static class Tokens
{
    /// <summary>A random URL-safe token (access tokens, invitation links, generated passwords).</summary>
    public static string New(int bytes = 24) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>SHA-256 hex of a token, for tokens that are stored only as a hash.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
