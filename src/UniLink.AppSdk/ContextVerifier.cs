using Microsoft.IdentityModel.Tokens;

namespace UniLink.AppSdk;

/// <summary>
/// Verifies sealed contexts (<see cref="SignedContext"/>) from one UniLink, fetching its JWKS from
/// <c>{issuer}/.well-known/jwks.json</c>: kept an hour, fetched again at once (at most every 30 s) when a token names a
/// key it does not hold, which is how a rotation reaches your server. One instance per UniLink, shared (thread-safe).
/// </summary>
public sealed class ContextVerifier
{
    private static readonly TimeSpan KeepKeys = TimeSpan.FromHours(1);
    private static readonly TimeSpan RefetchAtMost = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<JsonWebKey> _keys = [];
    private DateTime _fetchedAt = DateTime.MinValue;

    /// <param name="http">Used for the JWKS requests.</param>
    /// <param name="issuer">Your UniLink's origin as agents reach it (<c>https://support.example.com</c>): the tokens'
    /// <c>iss</c>, and where the keys are fetched from. Pin it in your configuration; never take it from a message.</param>
    public ContextVerifier(HttpClient http, string issuer)
    {
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException("The issuer is your UniLink's origin, such as https://support.example.com", nameof(issuer));
        _http = http;
        Issuer = uri.GetLeftPart(UriPartial.Authority);
    }

    public string Issuer { get; }

    /// <summary>Verifies the exact string the host posted (<c>event.data</c>) for the app with <paramref name="appId"/>.</summary>
    public async Task<ContextVerification> VerifyAsync(string message, int appId, CancellationToken ct = default)
    {
        var kid = SignedContext.KeyIdOf(message);
        IReadOnlyList<JsonWebKey> keys;
        try
        {
            keys = await KeysAsync(kid, ct);
        }
        catch (Exception e) when (e is HttpRequestException or ArgumentException or System.Text.Json.JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new ContextVerification(null, $"Could not read the keys at {Issuer}{SignedContext.JwksPath}: {e.Message}");
        }
        var context = SignedContext.Verify(message, keys, Issuer, appId, out var error);
        return new ContextVerification(context, error);
    }

    private async Task<IReadOnlyList<JsonWebKey>> KeysAsync(string? kid, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        bool Fresh() => now - _fetchedAt < KeepKeys && (kid is null || _keys.Any(k => k.Kid == kid) || now - _fetchedAt < RefetchAtMost);
        if (Fresh()) return _keys;
        await _gate.WaitAsync(ct);
        try
        {
            if (Fresh()) return _keys;
            var json = await _http.GetStringAsync(Issuer + SignedContext.JwksPath, ct);
            _keys = [.. new JsonWebKeySet(json).Keys];
            _fetchedAt = DateTime.UtcNow;
            return _keys;
        }
        catch (HttpRequestException) when (_keys.Count > 0)
        {
            return _keys; // UniLink unreachable for a moment: the keys held still verify what they signed
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>The verified context, or null with the reason.</summary>
public sealed record ContextVerification(VerifiedContext? Context, string? Error)
{
    public bool IsValid => Context is not null;
}
