using System.Reflection;
using UniLink.Infrastructure.Caching;

namespace UniLink.Infrastructure.Auth;

/// <summary>
/// The account an <c>/api/v1/accounts/{account_id}</c> request acts in, and the caller's place in it.
/// Handlers take it as a parameter; <see cref="AccountScopeMiddleware"/> has already checked membership
/// and role before any body is read or any record looked up.
/// </summary>
public sealed record AccountScope(int AccountId, int? UserId, int? BotId, string? Role)
{
    public bool IsAdministrator => Role == Roles.Administrator;

    public static ValueTask<AccountScope?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(context.Items[typeof(AccountScope)] as AccountScope);
}

/// <summary>On a group whose route has <c>{account_id}</c>: the caller must belong to that account.</summary>
public sealed class AccountScopedAttribute : Attribute;

/// <summary>Only the account's administrators.</summary>
public sealed class AdministratorOnlyAttribute : Attribute;

/// <summary>Agent bots may call it (the reference allows them on only a few endpoints).</summary>
public sealed class AllowBotsAttribute : Attribute;

public static class AccountScopeConventions
{
    public static RouteGroupBuilder WithAccountScope(this RouteGroupBuilder group) =>
        group.WithMetadata(new AccountScopedAttribute());

    public static TBuilder RequireAdministrator<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AdministratorOnlyAttribute());

    public static TBuilder AllowBots<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowBotsAttribute());
}

/// <summary>Bots kept out unless allowed, unknown account 404, suspended account 401 (to its own members), non-member 401, non-administrator 401.</summary>
public sealed class AccountScopeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, ReadCache cache)
    {
        var metadata = http.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<AccountScopedAttribute>() is null || http.User.Identity?.IsAuthenticated != true)
        {
            await next(http);
            return;
        }
        var (scope, error) = await ResolveAsync(http, cache, metadata);
        if (error is not null)
        {
            await error.ExecuteAsync(http);
            return;
        }
        http.Items[typeof(AccountScope)] = scope;
        await next(http);
    }

    private static async Task<(AccountScope?, IResult?)> ResolveAsync(HttpContext http, ReadCache cache, EndpointMetadataCollection metadata)
    {
        var user = http.User;
        if (user.BotId() is not null && metadata.GetMetadata<AllowBotsAttribute>() is null)
            return (null, ApiErrors.BotsNotAllowed());

        if (!int.TryParse(http.Request.RouteValues["account_id"]?.ToString(), out var accountId))
            return (null, ApiErrors.NotFound());
        var place = http.Items[typeof(PlaceReadWithToken)] is PlaceReadWithToken read && read.AccountId == accountId && read.UserId == user.UserId()
            ? read.Place
            : await cache.GetOrReadAsync(new PlaceKey(accountId, user.UserId(), user.BotId()), Place.ReadsFrom,
                ct => FindPlaceAsync(http.RequestServices.GetRequiredService<UniLinkDb>(), accountId, user.UserId(), user.BotId(), ct), http.RequestAborted);
        if (place is null) return (null, ApiErrors.NotFound());
        if (place.Suspended && (place.Role is not null || place.BotAccountId == accountId)) return (null, ApiErrors.AccountSuspended());

        AccountScope scope;
        if (user.UserId() is { } userId)
        {
            if (place.Role is null) return (null, ApiErrors.NotAccountMember());
            scope = new AccountScope(accountId, userId, null, place.Role);
        }
        else if (user.BotId() is { } botId)
        {
            // A bot works only in its own account; a bot row without one works nowhere.
            if (place.BotAccountId != accountId) return (null, ApiErrors.NotAccountMember());
            scope = new AccountScope(accountId, null, botId, null);
        }
        else return (null, ApiErrors.SignInRequired());

        if (metadata.GetMetadata<AdministratorOnlyAttribute>() is not null && !scope.IsAdministrator)
            return (null, ApiErrors.NotAllowed());
        return (scope, null);
    }

    /// <summary>Null when the account does not exist. One round trip (every API request makes it when the read cache is off).</summary>
    private static async Task<Place?> FindPlaceAsync(UniLinkDb db, int accountId, int? userId, int? botId, CancellationToken ct)
    {
        var found = await PlaceQuery.For(db)(db, accountId, userId ?? 0, botId ?? 0, ct);
        return found is null ? null : new Place(userId is null ? null : found.Role, botId is null ? null : found.BotAccountId,
            found.Status == AccountStatuses.Suspended);
    }

    private sealed record PlaceRow(string? Status, string? Role, int? BotAccountId);

    // Compiled: a request's own look-up should not pay for translating the same LINQ again (ids are never 0).
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int, int, CancellationToken, Task<PlaceRow?>>> PlaceQuery = new(() =>
        EF.CompileAsyncQuery((UniLinkDb db, int accountId, int userId, int botId, CancellationToken ct) =>
            db.Accounts.Where(a => a.Id == accountId).Select(a => new PlaceRow(a.Status,
                db.AccountUsers.Where(m => m.AccountId == accountId && m.UserId == userId).Select(m => m.Role).FirstOrDefault(),
                db.AgentBots.Where(b => b.Id == botId).Select(b => b.AccountId).FirstOrDefault())).FirstOrDefault()));

    private sealed record PlaceKey(int AccountId, int? UserId, int? BotId);

    /// <summary>The <c>{account_id}</c> of a request to an account-scoped route, before the middleware runs; null otherwise.</summary>
    internal static int? ScopedAccountId(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<AccountScopedAttribute>() is not null
        && int.TryParse(http.Request.RouteValues["account_id"]?.ToString(), out var id) ? id : null;

    /// <summary>
    /// A user's place in the request's account, read by <see cref="ApiTokenHandler"/> in the statement that found the
    /// token (read cache off): not read again here. <paramref name="AccountStatus"/> null: no such account.
    /// </summary>
    internal sealed record PlaceReadWithToken(int AccountId, int UserId, Place? Place)
    {
        public PlaceReadWithToken(int accountId, int userId, string? accountStatus, string? role)
            : this(accountId, userId, accountStatus is null ? null : new Place(role, null, accountStatus == AccountStatuses.Suspended)) { }
    }

    /// <summary>The caller's role in an existing account (null: not a member), or the account a bot belongs to; whether the account is suspended.</summary>
    internal sealed record Place(string? Role, int? BotAccountId, bool Suspended)
    {
        public static readonly Type[] ReadsFrom = [typeof(Account), typeof(AccountUser), typeof(AgentBot)];
    }
}
