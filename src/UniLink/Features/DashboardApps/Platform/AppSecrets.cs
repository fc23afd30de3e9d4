using Microsoft.AspNetCore.DataProtection;
using UniLink.AppSdk;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.DashboardApps.Platform;

/// <summary>Each app's signing secret: generated (and shown) once, stored encrypted, used to sign context tokens.</summary>
public sealed class AppSecrets(IDataProtectionProvider protection, LiveBus live)
{
    private readonly IDataProtector _protector = protection.CreateProtector("UniLink.DashboardApps.Secret");

    /// <summary>A new secret for the app, replacing any old one; the only time it is seen in clear.</summary>
    public async Task<string?> RotateAsync(UniLinkDb db, int accountId, int appId, int? actorId, CancellationToken ct = default)
    {
        var app = await db.DashboardApps.FirstOrDefaultAsync(a => a.AccountId == accountId && a.Id == appId, ct);
        if (app is null) return null;
        var secret = Tokens.New(32);
        app.SecretCiphertext = _protector.Protect(secret);
        await Audit.AppAudit.AddAsync(db, app, Audit.AppAuditEvents.SecretRotated, actorId, ct);
        await db.SaveChangesAsync(ct);
        // Open conversations sign with the new secret at once: the app's server has stopped accepting the old one.
        live.Publish(new LiveEvent(accountId, LiveEvent.DashboardAppsChanged));
        return secret;
    }

    /// <summary>Sets a known secret (demo data, whose sample app is started with the same value).</summary>
    public void Assign(DashboardApp app, string secret) => app.SecretCiphertext = _protector.Protect(secret);

    /// <summary>The app's secret in clear (to sign its events), or null when it has none or it cannot be read.</summary>
    public string? SecretOf(string? ciphertext)
    {
        if (ciphertext is null) return null;
        try { return _protector.Unprotect(ciphertext); }
        catch (System.Security.Cryptography.CryptographicException) { return null; }
    }

    /// <summary>The signed context for one app, or null when the app has no secret (or it cannot be read).</summary>
    public string? TokenFor(DashboardApp app, ContextTokenClaims claims)
    {
        if (app.SecretCiphertext is null) return null;
        try
        {
            return ContextToken.Create(_protector.Unprotect(app.SecretCiphertext), claims);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // keys lost or rotated away: the app gets plain context until a new secret is generated
        }
    }
}
