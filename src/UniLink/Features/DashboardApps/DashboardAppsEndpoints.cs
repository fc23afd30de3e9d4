namespace UniLink.Features.DashboardApps;

public static class DashboardAppsEndpoints
{
    /// <summary>Maps <c>/api/v1/accounts/{account_id}/…</c> routes of this feature onto the account group.</summary>
    public static RouteGroupBuilder MapDashboardApps(this RouteGroupBuilder account)
    {
        return account;
    }
}
