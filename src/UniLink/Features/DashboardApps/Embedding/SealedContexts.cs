using System.Security.Cryptography;
using System.Text;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Features.DashboardApps.Signing;

namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>
/// The messages one dashboard's apps receive: each app's context within its scopes, with the HS256 <c>token</c> when
/// the app has a secret, sealed with the ES256 <c>context_token</c>. A context whose content has not changed gets the
/// very same message (tokens included) for <see cref="Reuse"/>, so rebuilding it resends nothing to the frames; the
/// dashboard rebuilds at least every 4 minutes, which brings fresh tokens before the 5 minutes they live.
/// </summary>
public sealed class SealedContexts(AppSecrets secrets)
{
    public static readonly TimeSpan Reuse = TimeSpan.FromMinutes(3);
    private readonly Dictionary<int, Entry> _last = [];
    private sealed record Entry(string Key, byte[] Sealed, DateTime At);

    /// <summary>The app's message for a whole context: cut to its scopes (<see cref="ContextScopes.Apply"/>), then sealed.</summary>
    public byte[] For(AppContextData data, DashboardApp app, string agentRole, ContextSigner signer, string issuer, DateTime now)
    {
        var scoped = ContextScopes.Apply(data, app);
        return Seal(AppContextMessage.Unsigned(scoped), () => scoped.ClaimsFor(app, agentRole), app, agentRole, signer, issuer, now);
    }

    /// <summary>The message (an <c>appContext</c> already cut to the app's scopes, without token) with the app's token, sealed.</summary>
    public byte[] Seal(byte[] unsigned, Func<UniLink.AppSdk.ContextTokenClaims> claimsOf, DashboardApp app, string agentRole, ContextSigner signer, string issuer, DateTime now)
    {
        var key = $"{Convert.ToBase64String(SHA256.HashData(unsigned))}|{app.SecretCiphertext}|{agentRole}|{issuer}|{signer.Key.KeyId}";
        if (_last.TryGetValue(app.Id, out var last) && last.Key == key && now - last.At < Reuse) return last.Sealed;
        var claims = claimsOf();
        var message = secrets.TokenFor(app, claims) is { } token ? WithToken(unsigned, token) : unsigned;
        var sealedMessage = signer.Seal(message, issuer, claims);
        _last[app.Id] = new Entry(key, sealedMessage, now);
        return sealedMessage;
    }

    /// <summary>
    /// <c>data.token</c> added as the serializer writes it (the last member of <c>data</c>): the message ends with
    /// <c>…}}</c>, the data's end and the message's.
    /// </summary>
    private static byte[] WithToken(byte[] unsigned, string token)
    {
        var member = Encoding.ASCII.GetBytes($",\"token\":\"{token}\"");
        var result = new byte[unsigned.Length + member.Length];
        unsigned.AsSpan(0, unsigned.Length - 2).CopyTo(result);
        member.CopyTo(result.AsSpan(unsigned.Length - 2));
        unsigned.AsSpan(unsigned.Length - 2).CopyTo(result.AsSpan(result.Length - 2));
        return result;
    }
}
