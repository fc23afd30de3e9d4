namespace UniLink.Features.CustomAttributes;

public static class CustomAttributeDefinitionsEndpoints
{
    /// <summary>Maps <c>/api/v1/accounts/{account_id}/…</c> routes of this feature onto the account group.</summary>
    public static RouteGroupBuilder MapCustomAttributeDefinitions(this RouteGroupBuilder account)
    {
        return account;
    }
}
