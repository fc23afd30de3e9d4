using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using UniLink.Infrastructure.Caching;

namespace UniLink.Infrastructure.Auth;

/// <summary>
/// A connected dashboard keeps its rights only while they last: every few seconds its circuit checks that the
/// session is still current (no sign-out, password change or reset since) and that the user is still a member of
/// the account the page belongs to. When either ends, the page goes to sign-in, which closes the circuit and with it
/// the live updates. Writes check the role again themselves (<see cref="DashboardActor"/>).
/// </summary>
public sealed class DashboardSessionRevalidation(ILoggerFactory logs, IServiceScopeFactory scopes, NavigationManager navigation)
    : RevalidatingServerAuthenticationStateProvider(logs)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(3);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (!await AuthSetup.IsSessionCurrentAsync(state.User, scope.ServiceProvider, ct)) return false;
        return AccountOfPage() is not { } accountId
               || await scope.ServiceProvider.GetRequiredService<DashboardActor>().RoleForAsync(state.User, accountId, ct) is not null;
    }

    private int? AccountOfPage()
    {
        string uri;
        try
        {
            uri = navigation.ToBaseRelativePath(navigation.Uri);
        }
        catch (InvalidOperationException)
        {
            return null; // not initialised yet (prerendering)
        }
        return Http.DashboardPaths.AccountIdOf(uri);
    }
}

/// <summary>
/// Who is acting from a dashboard page, checked at the moment of a write rather than when the page opened: the
/// user's role in the account now (through the read cache, which every membership change ends at once).
/// </summary>
public sealed class DashboardActor(ReadCache cache, IDbContextFactory<UniLinkDb> dbs)
{
    private sealed record MembershipKey(int AccountId, int UserId);
    private static readonly Type[] MembershipReadsFrom = [typeof(AccountUser)];

    /// <summary>The user's role in the account, or null when they are not (or no longer) a member.</summary>
    public Task<string?> RoleForAsync(ClaimsPrincipal user, int accountId, CancellationToken ct = default) =>
        user.UserId() is { } userId ? RoleForAsync(accountId, userId, ct) : Task.FromResult<string?>(null);

    public async Task<string?> RoleForAsync(int accountId, int userId, CancellationToken ct = default) =>
        await cache.GetOrReadAsync(new MembershipKey(accountId, userId), MembershipReadsFrom, async token =>
        {
            await using var db = await dbs.CreateDbContextAsync(token);
            return await db.AccountUsers.Where(m => m.AccountId == accountId && m.UserId == userId).Select(m => m.Role).FirstOrDefaultAsync(token);
        }, ct);

    /// <summary>
    /// The user's <see cref="AccountScope"/> in the account, as the API's <see cref="AccountScopeMiddleware"/> resolves
    /// it for a request: the one model the dashboard's pages and lists decide with. Null when not (or no longer) a member.
    /// </summary>
    public async Task<AccountScope?> ScopeForAsync(int accountId, int userId, CancellationToken ct = default) =>
        await RoleForAsync(accountId, userId, ct) is { } role ? new AccountScope(accountId, userId, null, role) : null;

    public Task<AccountScope?> ScopeForAsync(ClaimsPrincipal user, int accountId, CancellationToken ct = default) =>
        user.UserId() is { } userId ? ScopeForAsync(accountId, userId, ct) : Task.FromResult<AccountScope?>(null);

    public async Task<bool> IsMemberAsync(ClaimsPrincipal user, int accountId, CancellationToken ct = default) =>
        await RoleForAsync(user, accountId, ct) is not null;

    /// <summary>Whether the user works the inbox now: administrators every inbox of the account, agents their own (<see cref="Features.Inboxes.InboxAccess"/>).</summary>
    public async Task<bool> WorksInboxAsync(ClaimsPrincipal user, int accountId, int inboxId, CancellationToken ct = default) =>
        await ScopeForAsync(user, accountId, ct) is { } scope && await WorksInboxAsync(scope, inboxId, ct);

    /// <inheritdoc cref="WorksInboxAsync(ClaimsPrincipal, int, int, CancellationToken)"/>
    public async Task<bool> WorksInboxAsync(AccountScope scope, int inboxId, CancellationToken ct = default)
    {
        if (Features.Inboxes.InboxAccess.SeesAll(scope)) return true;
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await new Features.Inboxes.InboxAccess(cache, db).CanSeeInboxAsync(scope, inboxId, ct);
    }

    public async Task<bool> IsAdministratorAsync(ClaimsPrincipal user, int accountId, CancellationToken ct = default) =>
        await RoleForAsync(user, accountId, ct) == Roles.Administrator;
}
