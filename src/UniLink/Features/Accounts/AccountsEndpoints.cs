namespace UniLink.Features.Accounts;

public static class AccountsEndpoints
{
    /// <summary>Maps <c>/api/v1/accounts/{account_id}/…</c> routes of this feature onto the account group.</summary>
    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder account)
    {
        return account;
    }
}
