namespace UniLink.Features.Accounts;

public static class AccountsEndpoints
{
    /// <summary>Maps <c>/api/v1/accounts/{account_id}</c> itself: every member reads it, administrators change it.</summary>
    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder account)
    {
        account.MapGet("", async (AccountScope scope, AccountService accounts, CancellationToken ct) =>
                TypedResults.Json(AccountJson.From((await accounts.FindAsync(scope.AccountId, ct))!), WireJson.Options))
            .WithName("get-account-details").WithSummary("The account: name, locale, domain, support e-mail, status, custom attributes")
            .Answers<AccountJson>();

        account.MapPatchAndPut("", async (AccountScope scope, Body<AccountInput> body, AccountService accounts, CancellationToken ct) =>
                body.Error ?? (await accounts.UpdateAsync(scope.AccountId, body.Input, ct)).ToHttp(AccountJson.From),
            "update-account", "Change the account's name, locale, domain, support e-mail or industry, company size and time zone")
            .RequireAdministrator().Answers<AccountJson>();
        return account;
    }
}
