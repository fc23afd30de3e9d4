using Microsoft.AspNetCore.Identity;

namespace UniLink.Features.SignIn;

/// <summary>What a sign-in attempt came to: the user, or nobody, or "wait this long" (too many failures from there).</summary>
public sealed record SignInResult(User? User, TimeSpan? RetryAfter = null);

/// <summary>
/// Checks an email and password for the dashboard and for <c>/auth/sign_in</c> alike, throttled per e-mail and client
/// address by <see cref="SignInThrottle"/>. Unknown e-mails cost the same as known ones: a password hash is checked either way.
/// </summary>
public sealed class SignInService(UniLinkDb db, IPasswordHasher<User> hasher, SignInThrottle throttle)
{
    /// <summary>A hash of a password no one has (made by the same hasher), checked when the e-mail is unknown so that both paths take as long.</summary>
    private static string? _decoyHash;

    public async Task<SignInResult> VerifyAsync(string? email, string? password, string source, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password) || email.Length > 255 || password.Length > 1024)
            return new(null);
        var normalized = email.Trim().ToLowerInvariant();
        if (throttle.WaitFor(normalized, source) is { } wait) return new(null, wait);

        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized && u.StandsInForUserId == null, ct);
        var result = user?.PasswordHash is { } hash
            ? hasher.VerifyHashedPassword(user, hash, password)
            : Decoy(password);
        if (user is null || result == PasswordVerificationResult.Failed)
        {
            throttle.Failed(normalized, source);
            return new(null);
        }
        throttle.Succeeded(normalized, source);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(ct);
        }
        return new(user);
    }

    private PasswordVerificationResult Decoy(string password)
    {
        var nobody = new User { Name = "", Email = "", AccessTokenHash = "" };
        _decoyHash ??= hasher.HashPassword(nobody, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(nobody, _decoyHash, password);
        return PasswordVerificationResult.Failed;
    }
}
