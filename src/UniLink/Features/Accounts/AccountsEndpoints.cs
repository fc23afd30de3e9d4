using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Accounts;

public static class AccountsEndpoints
{
    /// <summary>Maps <c>/api/v1/accounts/{account_id}</c> itself: every member reads it, administrators rename it.</summary>
    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder account)
    {
        account.MapGet("", async (AccountScope scope, UniLinkDb db, CancellationToken ct) =>
            Results.Json(AccountJson.From(await db.Accounts.AsNoTracking().FirstAsync(a => a.Id == scope.AccountId, ct)), WireJson.Options));

        account.MapMethods("", ["PATCH", "PUT"], async (HttpContext http, AccountScope scope, UniLinkDb db, AccountSettingsService settings) =>
        {
            var p = await WireParams.ReadAsync(http.Request, "account");
            if (p.Has("name") && await settings.RenameAsync(scope.AccountId, p.String("name"), http.RequestAborted) is { } problem)
                return ApiErrors.Invalid(problem, "name");
            var saved = await db.Accounts.AsNoTracking().FirstAsync(a => a.Id == scope.AccountId, http.RequestAborted);
            return Results.Json(AccountJson.From(saved), WireJson.Options);
        }).RequireAdministrator();
        return account;
    }
}
