using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UniLink.Features.Agents;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.SignIn;

/// <summary>Checks an email and password for the dashboard and for <c>/auth/sign_in</c> alike, with lockout.</summary>
public sealed class SignInService(UniLinkDb db, IPasswordHasher<User> hasher)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public async Task<User?> VerifyAsync(string? email, string? password, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password) || email.Length > 255 || password.Length > 1024)
            return null;
        var normalized = email.Trim().ToLowerInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, ct);
        if (user?.PasswordHash is null) return null;

        var now = UnixTime.Now();
        if (user.LockedUntil is { } until && until > now) return null;

        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            user.FailedSignInCount++;
            if (user.FailedSignInCount >= MaxFailures)
            {
                user.LockedUntil = now + LockoutDuration;
                user.FailedSignInCount = 0;
            }
            await db.SaveChangesAsync(ct);
            return null;
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, password);
        user.FailedSignInCount = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        return user;
    }
}
