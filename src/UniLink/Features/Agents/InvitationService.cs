using Microsoft.AspNetCore.Identity;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Agents;

/// <summary>A usable link: whose it is, and for an invitation to join, which account and role.</summary>
public sealed record UsableInvitation(int Id, User User, int AccountId, string AccountName, string? Role)
{
    public bool IsToJoin => Role is not null;
}

/// <summary>
/// One-time links, valid for <see cref="Lifetime"/>: a new user sets their password with one; an existing user,
/// signed in, accepts an invitation to join another account with one. A password link is only ever issued for a
/// user whose every account the issuing administrator administers.
/// </summary>
public sealed class InvitationService(IDbContextFactory<UniLinkDb> dbs, IPasswordHasher<User> hasher, LiveBus live)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
    public const string Unusable = "This invitation link has expired or has already been used. Ask an administrator for a new one.";

    public static string PathFor(string token) => $"/app/invitations/{token}";

    /// <summary>A new password link for the user; any earlier unused password link of theirs stops working. Returns the token.</summary>
    public async Task<string> CreateAsync(int userId, int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var token = Tokens.New(32);
        var now = UnixTime.Now();
        await db.Invitations.Where(i => i.UserId == userId && i.UsedAt == null && i.Role == null).ExecuteDeleteAsync(ct);
        db.Invitations.Add(new Invitation
        {
            UserId = userId, AccountId = accountId, TokenHash = Tokens.Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime,
        });
        await db.SaveChangesAsync(ct);
        return token;
    }

    /// <summary>The link while it is usable, else null.</summary>
    public async Task<UsableInvitation?> FindUsableAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128) return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var hash = Tokens.Hash(token);
        var now = UnixTime.Now();
        return await db.Invitations.AsNoTracking().Where(i => i.TokenHash == hash && i.UsedAt == null && i.ExpiresAt > now)
            .Select(i => new UsableInvitation(i.Id, i.User, i.AccountId, db.Accounts.Where(a => a.Id == i.AccountId).Select(a => a.Name).First(), i.Role))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>The invitations to join other accounts waiting for the user.</summary>
    public async Task<List<UsableInvitation>> PendingForAsync(int userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = UnixTime.Now();
        return await db.Invitations.AsNoTracking().Where(i => i.UserId == userId && i.Role != null && i.UsedAt == null && i.ExpiresAt > now)
            .OrderBy(i => i.Id)
            .Select(i => new UsableInvitation(i.Id, i.User, i.AccountId, db.Accounts.Where(a => a.Id == i.AccountId).Select(a => a.Name).First(), i.Role))
            .ToListAsync(ct);
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
            .FirstOrDefaultAsync(i => i.TokenHash == hash && i.UsedAt == null && i.ExpiresAt > now && i.Role == null, ct);
        if (invitation is null) return Unusable;
        // Claims the link with a conditional update so that two submissions at once cannot both use it.
        var claimed = await db.Invitations.Where(i => i.Id == invitation.Id && i.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now), ct);
        if (claimed == 0) return Unusable;

        var user = invitation.User;
        user.PasswordHash = hasher.HashPassword(user, password);
        user.Confirmed = true;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await SignIn.SessionService.EndAllAsync(db, user.Id, ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>
    /// The signed-in user joins the account they were invited to (by link token or, from their list, by id). Only the
    /// invited user can: anyone else, or a used or expired invitation, gets <see cref="Unusable"/>.
    /// </summary>
    public async Task<string?> JoinAsync(int signedInUserId, string? token, int? id, CancellationToken ct = default)
    {
        if (token is { Length: > 128 }) return Unusable;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = UnixTime.Now();
        var hash = token is null ? null : Tokens.Hash(token);
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => (hash != null ? i.TokenHash == hash : i.Id == id)
            && i.UserId == signedInUserId && i.Role != null && i.UsedAt == null && i.ExpiresAt > now, ct);
        if (invitation is null) return Unusable;
        var claimed = await db.Invitations.Where(i => i.Id == invitation.Id && i.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now), ct);
        if (claimed == 0) return Unusable;
        var standInId = await db.AccountUsers.Where(m => m.AccountId == invitation.AccountId && m.User.StandsInForUserId == signedInUserId)
            .Select(m => (int?)m.UserId).FirstOrDefaultAsync(ct);
        if (standInId is { } standIn)
        {
            // What the account arranged for the stand-in (role, inboxes, teams, assignments, apps' audiences) becomes the
            // user's; a stand-in belongs to this account only.
            await db.InboxMembers.Where(m => m.UserId == standIn).ExecuteUpdateAsync(s => s.SetProperty(m => m.UserId, signedInUserId), ct);
            await db.TeamMembers.Where(m => m.UserId == standIn).ExecuteUpdateAsync(s => s.SetProperty(m => m.UserId, signedInUserId), ct);
            await db.Conversations.Where(c => c.AssigneeId == standIn).ExecuteUpdateAsync(s => s.SetProperty(c => c.AssigneeId, signedInUserId), ct);
            await db.AccountUsers.Where(m => m.UserId == standIn).ExecuteUpdateAsync(s => s.SetProperty(m => m.UserId, signedInUserId), ct);
            foreach (var app in await db.DashboardApps.Where(a => a.AccountId == invitation.AccountId && a.AudienceUserIds != "").ToListAsync(ct))
            {
                var audience = DashboardApps.Platform.AppSettings.IdsOf(app.AudienceUserIds);
                if (audience.Contains(standIn))
                    app.AudienceUserIds = DashboardApps.Platform.AppSettings.IdsText(audience.Select(id => id == standIn ? signedInUserId : id));
            }
            await db.SaveChangesAsync(ct);
            await db.Users.Where(u => u.Id == standIn).ExecuteDeleteAsync(ct);
        }
        else if (!await db.AccountUsers.AnyAsync(m => m.AccountId == invitation.AccountId && m.UserId == signedInUserId, ct))
        {
            db.AccountUsers.Add(new AccountUser { AccountId = invitation.AccountId, UserId = signedInUserId, Role = invitation.Role!, CreatedAt = now });
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        live.Publish(new LiveEvent(invitation.AccountId, LiveEvent.AgentsChanged));
        live.Publish(new LiveEvent(invitation.AccountId, LiveEvent.ConversationChanged));
        return null;
    }
}
