using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Agents;

/// <summary>One-time links, valid for <see cref="Lifetime"/>, with which an agent sets their password.</summary>
public sealed class InvitationService(IDbContextFactory<UniLinkDb> dbs, IPasswordHasher<User> hasher)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
    public const string Unusable = "This invitation link has expired or has already been used. Ask an administrator for a new one.";

    public static string PathFor(string token) => $"/app/invitations/{token}";

    /// <summary>A new link for the user; any earlier unused link of theirs stops working. Returns the token.</summary>
    public async Task<string> CreateAsync(int userId, int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var token = Tokens.New(32);
        var now = UnixTime.Now();
        await db.Invitations.Where(i => i.UserId == userId && i.UsedAt == null).ExecuteDeleteAsync(ct);
        db.Invitations.Add(new Invitation
        {
            UserId = userId, AccountId = accountId, TokenHash = Tokens.Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime,
        });
        await db.SaveChangesAsync(ct);
        return token;
    }

    /// <summary>The invited user while the link is usable, else null.</summary>
    public async Task<User?> FindUsableAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128) return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var hash = Tokens.Hash(token);
        var now = UnixTime.Now();
        return await db.Invitations.Where(i => i.TokenHash == hash && i.UsedAt == null && i.ExpiresAt > now)
            .Select(i => i.User).AsNoTracking().FirstOrDefaultAsync(ct);
    }

    /// <summary>Sets the password and uses the link up; returns the reason when it cannot.</summary>
    public async Task<string?> AcceptAsync(string? token, string? password, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(password)) return "Password can't be blank";
        if (AgentRules.PasswordProblem(password) is { } problem) return problem;
        if (string.IsNullOrEmpty(token) || token.Length > 128) return Unusable;

        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var hash = Tokens.Hash(token);
        var now = UnixTime.Now();
        var invitation = await db.Invitations.Include(i => i.User)
            .FirstOrDefaultAsync(i => i.TokenHash == hash && i.UsedAt == null && i.ExpiresAt > now, ct);
        if (invitation is null) return Unusable;
        // Claims the link with a conditional update so that two submissions at once cannot both use it.
        var claimed = await db.Invitations.Where(i => i.Id == invitation.Id && i.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now), ct);
        if (claimed == 0) return Unusable;

        var user = invitation.User;
        user.PasswordHash = hasher.HashPassword(user, password);
        user.Confirmed = true;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.FailedSignInCount = 0;
        user.LockedUntil = null;
        user.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }
}
