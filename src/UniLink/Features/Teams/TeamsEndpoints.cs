using Microsoft.EntityFrameworkCore;
using UniLink.Features.Accounts;
using UniLink.Features.Agents;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Teams;

public static class TeamsEndpoints
{
    public static RouteGroupBuilder MapTeams(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/teams").WithTags("Teams");

        group.MapGet("/", async (AccountScope scope, UniLinkDb db, CancellationToken ct) =>
        {
            var teams = await db.Teams.AsNoTracking().Where(t => t.AccountId == scope.AccountId).OrderBy(t => t.Id).ToListAsync(ct);
            var mine = await MyTeamIdsAsync(db, scope, ct);
            return Results.Json(teams.Select(t => t.ToJson(mine.Contains(t.Id))), WireJson.Options);
        });

        group.MapGet("/{team_id}", async (AccountScope scope, string team_id, UniLinkDb db, CancellationToken ct) =>
            await FindAsync(db, scope, team_id, ct) is { } t
                ? Results.Json(t.ToJson((await MyTeamIdsAsync(db, scope, ct)).Contains(t.Id)), WireJson.Options)
                : ApiErrors.NotFound());

        group.MapPost("/", async (AccountScope scope, HttpRequest request, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
        {
            var (raw, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var body = raw!.Unwrap("team");
            if (body.IsEmpty) return ApiErrors.MissingParam("team");
            return await SaveAsync(scope, null, body, db, teams, ct);
        }).RequireAdministrator();

        group.MapPatch("/{team_id}", UpdateAsync).RequireAdministrator();
        group.MapPut("/{team_id}", UpdateAsync).RequireAdministrator();

        group.MapDelete("/{team_id}", async (AccountScope scope, string team_id, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
        {
            if (await FindAsync(db, scope, team_id, ct, tracked: true) is not { } team) return ApiErrors.NotFound();
            await teams.DeleteAsync(team, ct);
            return Results.Ok();
        }).RequireAdministrator();

        var members = group.MapGroup("/{team_id}/team_members");

        members.MapGet("/", async (AccountScope scope, string team_id, UniLinkDb db, CancellationToken ct) =>
        {
            if (await FindAsync(db, scope, team_id, ct) is not { } team) return ApiErrors.NotFound();
            return Results.Json(await AgentsAsync(db, team, null, ct), WireJson.Options);
        });

        members.MapPost("/", (AccountScope scope, string team_id, HttpRequest request, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
            ChangeMembersAsync(scope, team_id, request, db, teams, TeamsService.MembersChange.Add, ct))
            .RequireAdministrator();
        members.MapPatch("/", (AccountScope scope, string team_id, HttpRequest request, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
            ChangeMembersAsync(scope, team_id, request, db, teams, TeamsService.MembersChange.Replace, ct))
            .RequireAdministrator();
        members.MapDelete("/", (AccountScope scope, string team_id, HttpRequest request, UniLinkDb db, TeamsService teams, CancellationToken ct) =>
            ChangeMembersAsync(scope, team_id, request, db, teams, TeamsService.MembersChange.Remove, ct))
            .RequireAdministrator();

        return account;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, string team_id, HttpRequest request, UniLinkDb db, TeamsService teams, CancellationToken ct)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        if (await FindAsync(db, scope, team_id, ct, tracked: true) is not { } team) return ApiErrors.NotFound();
        return await SaveAsync(scope, team, raw!.Unwrap("team"), db, teams, ct);
    }

    private static async Task<IResult> SaveAsync(AccountScope scope, Team? team, RequestBody body, UniLinkDb db, TeamsService teams, CancellationToken ct)
    {
        var input = new TeamInput(body.String("name", 255), body.String("description", 10_000, trim: false), body.Bool("allow_auto_assign"));
        if (body.Error is { } e) return e;
        var (saved, problem) = await teams.SaveAsync(scope.AccountId, team, input, ct);
        if (problem is not null) return ApiErrors.Invalid(problem.Message, problem.Field);
        var mine = await MyTeamIdsAsync(db, scope, ct);
        return Results.Json(saved!.ToJson(mine.Contains(saved!.Id)), WireJson.Options);
    }

    private static async Task<IResult> ChangeMembersAsync(AccountScope scope, string team_id, HttpRequest request, UniLinkDb db, TeamsService teams,
        TeamsService.MembersChange change, CancellationToken ct)
    {
        var (body, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        if (await FindAsync(db, scope, team_id, ct) is not { } team) return ApiErrors.NotFound();
        var userIds = body!.Ints("user_ids");
        if (userIds is null && body.Error is null) return ApiErrors.MissingParam("user_ids");
        if (body.Error is { } e) return e;
        var (ids, problem) = await teams.ChangeMembersAsync(team, userIds!, change, ct);
        if (problem is not null) return ApiErrors.Invalid(problem.Message, problem.Field);
        if (change == TeamsService.MembersChange.Remove) return Results.Ok();
        return Results.Json(await AgentsAsync(db, team, ids, ct), WireJson.Options);
    }

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

    internal static async Task<Team?> FindAsync(UniLinkDb db, AccountScope scope, string id, CancellationToken ct, bool tracked = false) =>
        int.TryParse(id, out var teamId)
            ? await (tracked ? db.Teams : db.Teams.AsNoTracking()).FirstOrDefaultAsync(t => t.Id == teamId && t.AccountId == scope.AccountId, ct)
            : null;
}
