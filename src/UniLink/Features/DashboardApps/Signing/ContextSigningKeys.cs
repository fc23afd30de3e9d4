using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;

namespace UniLink.Features.DashboardApps.Signing;

/// <summary>
/// The ES256 keys that sign context tokens (<see cref="AppSdk.SignedContext"/>): kept in the database, so they survive
/// restarts and every node on one database signs with keys the others publish; rotated with overlap (a successor is
/// published <see cref="PrePublish"/> before it signs, a retired key stays published <see cref="Overlap"/>).
/// </summary>
public sealed class ContextSigningKeys(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    public static readonly TimeSpan PrePublish = TimeSpan.FromDays(2);
    public static readonly TimeSpan Overlap = TimeSpan.FromDays(2);
    /// <summary>How long a node keeps its signing key and JWKS before looking at the database again.</summary>
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(30);

    private readonly IDataProtector _protector = protection.CreateProtector("UniLink.DashboardApps.ContextSigningKey");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ContextSigner? _current;
    private DateTime _currentCheckedAt;
    private (string Json, DateTime At)? _jwks;
    private readonly Dictionary<string, ContextSigner?> _opened = [];

    /// <summary>The key to sign with now, creating the first key or the next one when it is time.</summary>
    public async Task<ContextSigner> CurrentAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_current is { } cached && now < _currentCheckedAt + Recheck && now < cached.RetiresAt) return cached;
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } again && now < _currentCheckedAt + Recheck && now < again.RetiresAt) return again;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
            _current = await EnsureAsync(db, now, ct);
            _currentCheckedAt = now;
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The JWKS document: every key published now (the one signing, its successor, the recently retired).</summary>
    public async Task<string> JwksAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_jwks is { } cached && now < cached.At + TimeSpan.FromSeconds(5)) return cached.Json;
        await CurrentAsync(ct); // there is always a key to publish
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        var keys = await db.ContextSigningKeys.AsNoTracking().Where(k => k.ExpiresAt > now)
            .OrderByDescending(k => k.ActivatesAt).ThenByDescending(k => k.Id).Select(k => k.PublicJwk).ToListAsync(ct);
        var json = $$"""{"keys":[{{string.Join(',', keys)}}]}""";
        _jwks = (json, now);
        return json;
    }

    private async Task<ContextSigner> EnsureAsync(UniLinkDb db, DateTime now, CancellationToken ct)
    {
        await db.ContextSigningKeys.Where(k => k.ExpiresAt <= now).ExecuteDeleteAsync(ct);
        var keys = await db.ContextSigningKeys.AsNoTracking().OrderByDescending(k => k.ActivatesAt).ThenByDescending(k => k.Id).ToListAsync(ct);
        // A key this node cannot decrypt (another node's data-protection keys) is published but not used here.
        var current = keys.Where(k => k.ActivatesAt <= now && now < k.RetiresAt).Select(Open).FirstOrDefault(s => s is not null);
        if (current is null)
        {
            current = Open(await CreateAsync(db, now, now, ct) ?? throw new InvalidOperationException("No context signing key could be created"))!;
        }
        else if (now >= current.RetiresAt - PrePublish && !keys.Any(k => k.ActivatesAt >= current.RetiresAt))
        {
            await CreateAsync(db, now, current.RetiresAt, ct); // the successor, published from now
            _jwks = null;
        }
        return current;
    }

    private async Task<ContextSigningKey?> CreateAsync(UniLinkDb db, DateTime now, DateTime activatesAt, CancellationToken ct)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ecdsa.ExportParameters(false);
        var x = Base64UrlEncoder.Encode(p.Q.X!);
        var y = Base64UrlEncoder.Encode(p.Q.Y!);
        // RFC 7638: the thumbprint of the required members, in lexicographic order, without spaces.
        var kid = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}""")));
        var key = new ContextSigningKey
        {
            Kid = kid,
            PublicJwk = JsonSerializer.Serialize(new { kty = "EC", crv = "P-256", x, y, kid, use = "sig", alg = "ES256" }),
            PrivateKeyCiphertext = _protector.Protect(Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey())),
            CreatedAt = now, ActivatesAt = activatesAt, RetiresAt = activatesAt + Lifetime, ExpiresAt = activatesAt + Lifetime + Overlap,
        };
        db.ContextSigningKeys.Add(key);
        try
        {
            await db.SaveChangesAsync(ct);
            _jwks = null;
            return key;
        }
        catch (DbUpdateException)
        {
            // Another node made the key for that moment first (unique ActivatesAt): theirs is the one.
            db.ChangeTracker.Clear();
            return await db.ContextSigningKeys.AsNoTracking().FirstOrDefaultAsync(k => k.ActivatesAt == activatesAt, ct);
        }
    }

    private ContextSigner? Open(ContextSigningKey key)
    {
        if (_opened.TryGetValue(key.Kid, out var known)) return known;
        return _opened[key.Kid] = Decrypt(key);
    }

    private ContextSigner? Decrypt(ContextSigningKey key)
    {
        try
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(_protector.Unprotect(key.PrivateKeyCiphertext)), out _);
            return new ContextSigner(new ECDsaSecurityKey(ecdsa) { KeyId = key.Kid }, key.RetiresAt);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>A signing key in use: seals <c>appContext</c> messages (<see cref="AppSdk.SignedContext.Seal(byte[], ECDsaSecurityKey, string, AppSdk.ContextTokenClaims, DateTime?)"/>).</summary>
public sealed record ContextSigner(ECDsaSecurityKey Key, DateTime RetiresAt)
{
    public byte[] Seal(byte[] message, string issuer, AppSdk.ContextTokenClaims claims) => AppSdk.SignedContext.Seal(message, Key, issuer, claims);
}
