
namespace UniLink.Features.Agents;

/// <summary>
/// Administrators add, change and remove an account's agents. Answers carry the reference's agent shape; when the
/// agent has to set a password, <c>invitation_url</c> and <c>invitation_expires_at</c> are added (the one time the link is shown).
/// </summary>
public static class AgentAdministrationEndpoints
{
    public static RouteGroupBuilder MapAgentAdministration(this RouteGroupBuilder account)
    {
        account.MapPost("/agents", async (HttpContext http, AccountScope scope, Body<NewAgent> body, TeamService team) =>
                body.Error ?? Answer(http, await team.AddAsync(scope.AccountId, body.Input, http.RequestAborted)))
            .RequireAdministrator().WithName("create-an-agent").WithSummary("Create an agent").Answers<AgentJson>();

        var update = async (HttpContext http, AccountScope scope, Body<AgentChanges> body, TeamService team, int agent_id) =>
            body.Error ?? Answer(http, await team.UpdateAsync(scope.AccountId, agent_id, body.Input, scope.UserId!.Value, http.RequestAborted));
        account.MapPatchAndPut("/agents/{agent_id:int}", update, "update-an-agent", "Change an agent's name, role or availability")
            .RequireAdministrator().Answers<AgentJson>();

        account.MapDelete("/agents/{agent_id:int}", async (AccountScope scope, TeamService team, int agent_id, CancellationToken ct) =>
            await team.RemoveAsync(scope.AccountId, agent_id, ct) switch
            {
                WriteResult<TeamChange>.Done => TypedResults.Ok(),
                var other => Error(other),
            }).RequireAdministrator().WithName("delete-an-agent").WithSummary("Delete an agent").AnswersEmpty();

        account.MapPost("/agents/{agent_id:int}/reset_password", async (HttpContext http, AccountScope scope, TeamService team, int agent_id) =>
            Answer(http, await team.ResetPasswordAsync(scope.AccountId, agent_id, scope.UserId!.Value, http.RequestAborted)))
            .RequireAdministrator().WithName("reset-the-password-of-an-agent").WithSummary("Reset the password of an agent").Answers<AgentJson>();

        account.MapDelete("/agents/{agent_id:int}/sessions", async (AccountScope scope, TeamService team, int agent_id, CancellationToken ct) =>
            await team.EndSessionsAsync(scope.AccountId, agent_id, ct) switch
            {
                WriteResult<TeamChange>.Done => TypedResults.Ok(),
                var other => Error(other),
            }).RequireAdministrator().WithName("sign-an-agent-out-everywhere").WithSummary("Sign an agent out everywhere").AnswersEmpty();

        return account;
    }

    private static IResult Answer(HttpContext http, WriteResult<TeamChange> result)
    {
        if (result is not WriteResult<TeamChange>.Done { Value: var done }) return Error(result);
        var agent = done.Member.ToAgentJson();
        if (done.InvitationToken is { } token)
            agent = agent with
            {
                InvitationUrl = $"{PublicOrigin.Of(http.Request)}{InvitationService.PathFor(token)}",
                InvitationExpiresAt = UnixTime.Seconds(UnixTime.Now() + InvitationService.Lifetime),
            };
        return TypedResults.Json(agent, WireJson.Options);
    }

    private static IResult Error(WriteResult<TeamChange> result) => result switch
    {
        WriteResult<TeamChange>.Rejected r => ApiErrors.Invalid(r.Message, r.Field),
        _ => ApiErrors.NotFound(),
    };
}
