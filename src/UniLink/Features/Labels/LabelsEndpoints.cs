namespace UniLink.Features.Labels;

public static class LabelsEndpoints
{
    /// <summary>Maps <c>/api/v1/accounts/{account_id}/…</c> routes of this feature onto the account group.</summary>
    public static RouteGroupBuilder MapLabels(this RouteGroupBuilder account)
    {
        return account;
    }
}
