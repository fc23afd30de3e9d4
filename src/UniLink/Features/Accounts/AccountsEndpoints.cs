using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Accounts;

public static class AccountsEndpoints
{
    /// <summary>Maps <c>/api/v1/accounts/{account_id}</c> itself: every member reads it, administrators change it.</summary>
    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder account)
    {
        account.MapGet("", async (AccountScope scope, AccountService accounts, CancellationToken ct) =>
                TypedResults.Json(AccountJson.From((await accounts.FindAsync(scope.AccountId, ct))!), WireJson.Options))
            .WithName("get-account-details").WithSummary("The account: name, locale, domain, support e-mail, status, custom attributes");

        account.MapPatch("", UpdateAsync).RequireAdministrator()
            .WithName("update-account").WithSummary("Change the account's name, locale, domain, support e-mail or industry, company size and time zone");
        account.MapPut("", UpdateAsync).RequireAdministrator()
            .WithName("replace-account").WithSummary("Change the account (as PATCH)");
        return account;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, HttpRequest request, AccountService accounts, CancellationToken ct)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        var body = raw!.Unwrap("account");
        var input = AccountInput.FromAccountApi(body);
        return body.Error ?? (await accounts.UpdateAsync(scope.AccountId, input, ct)).ToHttp(AccountJson.From);
    }
}
