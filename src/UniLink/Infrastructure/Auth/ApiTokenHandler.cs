using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using UniLink.Features.SignIn;
using UniLink.Infrastructure.Caching;

namespace UniLink.Infrastructure.Auth;

/// <summary>
/// The <c>api_access_token</c> header (never a query parameter), for users and agent bots, and devise_token_auth's
/// <c>access-token</c>. A token is a user's or bot's API token (stored as a hash) or a sign-in token from
/// <c>/auth/sign_in</c> (which expires and ends with sign-out, a password change or reset).
/// </summary>
public sealed class ApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ReadCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string HeaderName = "api_access_token";
    /// <summary>devise_token_auth's header, sent by clients that signed in with <c>/auth/sign_in</c>.</summary>
    public const string DeviseHeaderName = "access-token";

    // Headers only: a token in the query string ends up in logs, history and Referer headers.
    public static bool HasToken(HttpContext context) =>
        context.Request.Headers.ContainsKey(HeaderName) || context.Request.Headers.ContainsKey(DeviseHeaderName);

    public static string? TokenOf(HttpContext context) =>
        context.Request.Headers[HeaderName].FirstOrDefault() ?? context.Request.Headers[DeviseHeaderName].FirstOrDefault();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenOf(Context);
        if (token is null) return AuthenticateResult.NoResult();
        if (string.IsNullOrWhiteSpace(token) || token.Length > 128 || token.Contains('\0')) return AuthenticateResult.Fail("Invalid Access Token");

        var hash = Tokens.Hash(token);
        TokenHolder? holder;
        if (!cache.Enabled && AccountScopeMiddleware.ScopedAccountId(Context) is { } accountId)
        {
            // Uncached, an API call to an account would look its token up, then the caller's place in the account: one
            // statement does both for a user's token (AccountScopeMiddleware takes the place from it).
            var db = Context.RequestServices.GetRequiredService<UniLinkDb>();
            if (await UserWithPlace.For(db)(db, hash, accountId, Context.RequestAborted) is { } found)
            {
                Context.Items[typeof(AccountScopeMiddleware.PlaceReadWithToken)] =
                    new AccountScopeMiddleware.PlaceReadWithToken(accountId, found.UserId, found.AccountStatus, found.Role);
                return Success(UniLinkClaims.ForUser(found.UserId, found.SecurityStamp, SchemeName));
            }
            holder = await BotHolder.For(db)(db, hash, Context.RequestAborted);
        }
        else holder = await cache.GetOrReadAsync(new TokenHolderKey(hash), TokenHolder.ReadsFrom,
            ct => FindHolderAsync(hash, ct), Context.RequestAborted);
        if (holder?.UserId is { } userId)
            return Success(UniLinkClaims.ForUser(userId, holder.SecurityStamp!, SchemeName));
        if (holder?.BotId is { } botId)
            return Success(UniLinkClaims.ForBot(botId, SchemeName));
        var sessions = Context.RequestServices.GetRequiredService<SessionService>();
        if (await sessions.FindAsync(token, UserSession.Token, Context.RequestAborted) is { } signedIn)
            return Success(UniLinkClaims.ForUser(signedIn.UserId, signedIn.SecurityStamp, SchemeName, signInToken: true));

        return AuthenticateResult.Fail("Invalid Access Token");
    }

    private async Task<TokenHolder?> FindHolderAsync(string hash, CancellationToken ct)
    {
        var db = Context.RequestServices.GetRequiredService<UniLinkDb>();
        return await UserHolder.For(db)(db, hash, ct) ?? await BotHolder.For(db)(db, hash, ct);
    }

    // Compiled: every API request looks its token up when the read cache is off.
    private static readonly CompiledPerModel<Func<UniLinkDb, string, CancellationToken, Task<TokenHolder?>>> UserHolder = new(() =>
        EF.CompileAsyncQuery((UniLinkDb db, string hash, CancellationToken ct) => db.Users.AsNoTracking().Where(u => u.AccessTokenHash == hash)
            .Select(u => new TokenHolder(u.Id, u.SecurityStamp, null)).FirstOrDefault()));
    private static readonly CompiledPerModel<Func<UniLinkDb, string, CancellationToken, Task<TokenHolder?>>> BotHolder = new(() =>
        EF.CompileAsyncQuery((UniLinkDb db, string hash, CancellationToken ct) => db.AgentBots.AsNoTracking().Where(b => b.AccessTokenHash == hash)
            .Select(b => new TokenHolder(null, null, b.Id)).FirstOrDefault()));

    // The user's status in the account and role are read as the middleware reads them (its PlaceQuery); ids are never 0.
    private static readonly CompiledPerModel<Func<UniLinkDb, string, int, CancellationToken, Task<UserAndPlace?>>> UserWithPlace = new(() =>
        EF.CompileAsyncQuery((UniLinkDb db, string hash, int accountId, CancellationToken ct) => db.Users.AsNoTracking()
            .Where(u => u.AccessTokenHash == hash)
            .Select(u => new UserAndPlace(u.Id, u.SecurityStamp,
                db.Accounts.Where(a => a.Id == accountId).Select(a => a.Status).FirstOrDefault(),
                db.AccountUsers.Where(m => m.AccountId == accountId && m.UserId == u.Id).Select(m => m.Role).FirstOrDefault()))
            .FirstOrDefault()));

    private sealed record UserAndPlace(int UserId, string SecurityStamp, string? AccountStatus, string? Role);

    private sealed record TokenHolderKey(string Hash);

    private sealed record TokenHolder(int? UserId, string? SecurityStamp, int? BotId)
    {
        public static readonly Type[] ReadsFrom = [typeof(User), typeof(AgentBot)];
    }

    private AuthenticateResult Success(ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await Context.AuthenticateAsync(SchemeName);
        var body = result.Failure is not null ? ApiErrors.InvalidAccessToken() : ApiErrors.SignInRequired();
        await body.ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiErrors.NotAllowed().ExecuteAsync(Context);
}
