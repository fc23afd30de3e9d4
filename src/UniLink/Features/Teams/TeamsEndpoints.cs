
namespace UniLink.Features.Teams;

public static class TeamsEndpoints
{
    public static RouteGroupBuilder MapTeams(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/teams").WithTags("Teams");

        group.MapGet("/", async (AccountScope scope, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
        {
            var mine = await MyTeamIdsAsync(db, scope, ct);
            return TypedResults.Json((await teams.ListAsync(scope.AccountId, ct)).Select(t => t.ToJson(mine.Contains(t.Id))), WireJson.Options);
        }).WithName("list-teams").WithSummary("The account's teams, with whether the caller is in each").Answers<TeamJson[]>();

        group.MapGet("/{team_id:int}", async (AccountScope scope, int team_id, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
                await teams.FindAsync(scope.AccountId, team_id, ct) is { } t ? await AnswerAsync(t, scope, db, ct) : ApiErrors.NotFound())
            .WithName("show-a-team").WithSummary("One team").Answers<TeamJson>();

        group.MapPost("/", async (AccountScope scope, Body<TeamInput> body, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
                body.ErrorOrMissing ?? await AnswerAsync(await teams.CreateAsync(scope.AccountId, body.Input, ct), scope, db, ct))
            .RequireAdministrator().WithName("create-a-team").WithSummary("Add a team to the account").Answers<TeamJson>();

        group.MapPatchAndPut("/{team_id:int}", async (AccountScope scope, int team_id, Body<TeamInput> body, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
                body.Error ?? await AnswerAsync(await teams.UpdateAsync(scope.AccountId, team_id, body.Input, ct), scope, db, ct),
            "update-a-team", "Change a team").RequireAdministrator().Answers<TeamJson>();

        group.MapDelete("/{team_id:int}", async (AccountScope scope, int team_id, TeamsService teams, CancellationToken ct) =>
                (await teams.DeleteAsync(scope.AccountId, team_id, ct)).ToEmptyHttp())
            .RequireAdministrator().WithName("delete-a-team").WithSummary("Delete a team; its conversations lose the team and keep their agent").AnswersEmpty();

        var members = group.MapGroup("/{team_id:int}/team_members");

        members.MapGet("/", async (AccountScope scope, int team_id, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
                await teams.FindAsync(scope.AccountId, team_id, ct) is { } team
                    ? TypedResults.Json(await AgentsAsync(db, team, null, ct), WireJson.Options) : ApiErrors.NotFound())
            .WithName("list-the-agents-of-a-team").WithSummary("The team's members, as agents").Answers<AgentJson[]>();

        members.MapPost("/", (AccountScope scope, int team_id, Body<MemberIdsInput> body, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
                ChangeMembersAsync(scope, team_id, body, db, teams, MembersChange.Add, ct))
            .RequireAdministrator().WithName("add-agents-to-a-team").WithSummary("Add agents to a team").Answers<AgentJson[]>();
        members.MapPatch("/", (AccountScope scope, int team_id, Body<MemberIdsInput> body, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
                ChangeMembersAsync(scope, team_id, body, db, teams, MembersChange.Replace, ct))
            .RequireAdministrator().WithName("replace-the-agents-of-a-team").WithSummary("Make the given agents the team's members").Answers<AgentJson[]>();
        members.MapDelete("/", (AccountScope scope, int team_id, Body<MemberIdsInput> body, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
                ChangeMembersAsync(scope, team_id, body, db, teams, MembersChange.Remove, ct))
            .RequireAdministrator().WithName("remove-agents-from-a-team").WithSummary("Remove agents from a team").AnswersEmpty();

        return account;
    }

    private static async Task<IResult> AnswerAsync(WriteResult<Team> result, AccountScope scope, UniLinkDb db, CancellationToken ct) =>
        await result.ToHttpAsync(async team => team.ToJson((await MyTeamIdsAsync(db, scope, ct)).Contains(team.Id)));

    private static async Task<IResult> AnswerAsync(Team team, AccountScope scope, UniLinkDb db, CancellationToken ct) =>
        TypedResults.Json(team.ToJson((await MyTeamIdsAsync(db, scope, ct)).Contains(team.Id)), WireJson.Options);

    private static async Task<IResult> ChangeMembersAsync(AccountScope scope, int team_id, Body<MemberIdsInput> body, UniLinkDb db, TeamsService teams,
        MembersChange change, CancellationToken ct) =>
        body.Error ?? (body.Input.UserIds is not { } userIds ? ApiErrors.MissingParam("user_ids")
            : await (await teams.ChangeMembersAsync(scope.AccountId, team_id, userIds, change, ct))
                .ToMembersHttpAsync(change, changed => AgentsAsync(db, changed.Team, changed.UserIds, ct)));

    /// <summary>The team's members as agents; <paramref name="only"/> narrows them to the ids just written.</summary>
    private static async Task<List<AgentJson>> AgentsAsync(UniLinkDb db, Team team, IReadOnlyList<int>? only, CancellationToken ct)
    {
        var query = db.TeamMembers.AsNoTracking().Where(m => m.TeamId == team.Id);
        if (only is not null) query = query.Where(m => only.Contains(m.UserId));
        var rows = await query.OrderBy(m => m.Id)
            .Select(m => new { m.User, Role = db.AccountUsers.Where(a => a.AccountId == team.AccountId && a.UserId == m.UserId).Select(a => a.Role).FirstOrDefault() })
            .ToListAsync(ct);
        return rows.Select(r => r.User.ToAgentJson(team.AccountId, r.Role ?? Roles.Agent)).ToList();
    }

    private static async Task<HashSet<int>> MyTeamIdsAsync(UniLinkDb db, AccountScope scope, CancellationToken ct) =>
        scope.UserId is { } userId
            ? (await db.TeamMembers.Where(m => m.UserId == userId).Select(m => m.TeamId).ToListAsync(ct)).ToHashSet()
            : [];
}
