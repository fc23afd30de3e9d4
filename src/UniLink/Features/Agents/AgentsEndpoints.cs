namespace UniLink.Features.Agents;

public static class AgentsEndpoints
{
    /// <summary>Maps <c>/api/v1/accounts/{account_id}/…</c> routes of this feature onto the account group.</summary>
    public static RouteGroupBuilder MapAgents(this RouteGroupBuilder account)
    {
        account.MapAgentAdministration();
        return account;
    }
}
