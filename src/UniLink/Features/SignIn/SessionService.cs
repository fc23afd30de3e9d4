using UniLink.Infrastructure.Caching;

namespace UniLink.Features.SignIn;

/// <summary>
/// Sessions and sign-in tokens that expire and can be ended: by signing out, by a password change or reset (every one
/// of the user's), or by an administrator.
/// </summary>
public sealed class SessionService(IDbContextFactory<UniLinkDb> dbs, ReadCache cache)
{
    /// <summary>How long a sign-in token or a dashboard session lasts (devise_token_auth's default); a used session is extended.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(14);

    /// <summary>A new session; returns its token (only its hash is stored) and when it ends.</summary>
    public async Task<(string Token, DateTime ExpiresAt)> StartAsync(int userId, string kind, string? client = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var token = Tokens.New(32);
        var now = UnixTime.Now();
        var session = new UserSession
        {
            UserId = userId, Kind = kind, Client = client, TokenHash = Tokens.Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime,
        };
        db.Add(session);
        // Expired rows of the user go on the way.
        await db.Set<UserSession>().Where(s => s.UserId == userId && s.ExpiresAt < now).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        return (token, session.ExpiresAt);
    }

    /// <summary>The user of a live session of that kind, else null. Cached briefly; ending a session ends the cached read.</summary>
    public async Task<ActiveSession?> FindAsync(string token, string kind, CancellationToken ct = default)
    {
        var hash = Tokens.Hash(token);
        var found = await cache.GetOrReadAsync(new SessionKey(hash), ActiveSession.ReadsFrom, async c =>
        {
            await using var db = await dbs.CreateDbContextAsync(c);
            return await db.Set<UserSession>().AsNoTracking().Where(s => s.TokenHash == hash)
                .Select(s => new ActiveSession(s.Id, s.UserId, s.Kind, s.ExpiresAt, s.User.SecurityStamp)).FirstOrDefaultAsync(c);
        }, ct);
        return found is not null && found.Kind == kind && found.ExpiresAt > UnixTime.Now() ? found : null;
    }

    /// <summary>A session used within the second half of its life lives another <see cref="Lifetime"/>.</summary>
    public async Task ExtendIfOldAsync(ActiveSession session, CancellationToken ct = default)
    {
        var now = UnixTime.Now();
        if (session.ExpiresAt - now > Lifetime / 2) return;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.Set<UserSession>().Where(s => s.Id == session.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, now + Lifetime), ct);
    }

    /// <summary>Ends one session; false when there was none.</summary>
    public async Task<bool> EndAsync(string token, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var hash = Tokens.Hash(token);
        return await db.Set<UserSession>().Where(s => s.TokenHash == hash).ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>Ends every session and sign-in token of the user; returns how many.</summary>
    public async Task<int> EndAllAsync(int userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await EndAllAsync(db, userId, ct);
    }

    public static Task<int> EndAllAsync(UniLinkDb db, int userId, CancellationToken ct) =>
        db.Set<UserSession>().Where(s => s.UserId == userId).ExecuteDeleteAsync(ct);

    private sealed record SessionKey(string Hash);
}

public sealed record ActiveSession(int Id, int UserId, string Kind, DateTime ExpiresAt, string SecurityStamp)
{
    public static readonly Type[] ReadsFrom = [typeof(UserSession), typeof(Agents.User)];
}
