namespace UniLink.Features.Agents;

public static class AgentsEndpoints
{
    public static RouteGroupBuilder MapAgents(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/agents").WithTags("Agents");
        group.MapGet("/", async (AccountScope scope, TeamService team, CancellationToken ct) =>
            TypedResults.Json((await team.ListAsync(scope.AccountId, ct)).Select(m => m.ToAgentJson()), WireJson.Options)).WithName("list-agents").WithSummary("List agents").Answers<AgentJson[]>();
        account.MapAgentAdministration();
        return account;
    }
}
