using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using UniLink.AppSdk;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Features.DashboardApps.Signing;
using UniLink.Infrastructure.Config;

namespace UniLink.Features.DashboardApps.Events;

/// <summary>A delivery to an app's server: which app, and its secret as stored (encrypted; null when it has none).</summary>
public sealed record AppEventTarget(int AppId, string? SecretCiphertext);

/// <summary>
/// Signs an event for an app's server at each attempt (<see cref="SignedEvent"/>): the HMAC with the app's secret when
/// it has one, and always the ES256 token by the keys that sign its contexts, so an app without a secret can verify too.
/// </summary>
public sealed class AppEventSigning(AppSecrets secrets, ContextSigningKeys keys, UniLinkOptions options, IServer server)
{
    private string? _issuer;

    /// <summary>The tokens' issuer: UNILINK_PUBLIC_URL, else the first address this server listens on (where the JWKS is).</summary>
    public string Issuer => _issuer ??= (options.PublicUrl
        ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? options.Urls.Split([';', ','], StringSplitOptions.RemoveEmptyEntries)[0]).TrimEnd('/').Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1");

    public async Task AddHeadersAsync(HttpRequestMessage request, AppEventTarget app, string deliveryKey, long timestamp, string body, CancellationToken ct)
    {
        request.Headers.TryAddWithoutValidation(SignedEvent.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(SignedEvent.DeliveryHeader, deliveryKey);
        if (secrets.SecretOf(app.SecretCiphertext) is { } secret)
            request.Headers.TryAddWithoutValidation(SignedEvent.SignatureHeader, SignedEvent.Sign(secret, timestamp, body));
        var signer = await keys.CurrentAsync(ct);
        request.Headers.TryAddWithoutValidation(SignedEvent.TokenHeader,
            SignedEvent.CreateToken(body, signer.Key, Issuer, app.AppId, DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime));
    }
}
