using UniLink.Infrastructure.Live;

namespace UniLink.Features.Teams;

/// <summary>What a team write asks for; null fields are left as they are.</summary>
public sealed record TeamInput(string? Name, string? Description, bool? AllowAutoAssign) : IBodyInput<TeamInput>
{
    public static string? Wrapper => "team";

    /// <summary>Reads the fields from a body already unwrapped from "team"; a field of the wrong type is the body's problem.</summary>
    public static TeamInput From(RequestBody body, bool creating = false) =>
        new(body.String("name", 255), body.String("description", 10_000, trim: false), body.Bool("allow_auto_assign"));
}

/// <summary>Teams and their members: the rules the API and the dashboard share.</summary>
public sealed class TeamsService(UniLinkDb db, LiveBus live)
{
    public Task<List<Team>> ListAsync(int accountId, CancellationToken ct = default) =>
        db.Teams.AsNoTracking().Where(t => t.AccountId == accountId).OrderBy(t => t.Id).ToListAsync(ct);

    public Task<Team?> FindAsync(int accountId, int id, CancellationToken ct = default) =>
        db.Teams.FirstOrDefaultAsync(t => t.Id == id && t.AccountId == accountId, ct);

    public Task<WriteResult<Team>> CreateAsync(int accountId, TeamInput input, CancellationToken ct = default) => SaveAsync(accountId, null, input, ct);

    public async Task<WriteResult<Team>> UpdateAsync(int accountId, int id, TeamInput input, CancellationToken ct = default) =>
        await FindAsync(accountId, id, ct) is { } team ? await SaveAsync(accountId, team, input, ct) : new WriteResult<Team>.Missing();

    private async Task<WriteResult<Team>> SaveAsync(int accountId, Team? existing, TeamInput input, CancellationToken ct)
    {
        var name = input.Name?.Trim().ToLowerInvariant();
        if (existing is null && string.IsNullOrEmpty(name)) return new WriteProblem("Name can't be blank", "name");
        if (input.Name is not null && string.IsNullOrEmpty(name)) return new WriteProblem("Name can't be blank", "name");
        if (name is not null && await db.Teams.AnyAsync(t => t.AccountId == accountId && t.Name == name && t.Id != (existing == null ? 0 : existing.Id), ct))
            return new WriteProblem("Name has already been taken", "name");
        var now = UnixTime.Now();
        var team = existing ?? new Team { AccountId = accountId, Name = name!, CreatedAt = now };
        if (existing is null) db.Teams.Add(team);
        if (name is not null) team.Name = name;
        if (input.Description is not null) team.Description = input.Description;
        if (input.AllowAutoAssign is { } auto) team.AllowAutoAssign = auto;
        team.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        Changed(accountId);
        return team;
    }

    /// <summary>Deletes the team; its conversations keep their agent and lose the team (the database sets it null).</summary>
    public async Task<WriteResult<Team>> DeleteAsync(int accountId, int id, CancellationToken ct = default)
    {
        if (await FindAsync(accountId, id, ct) is not { } team) return new WriteResult<Team>.Missing();
        db.Teams.Remove(team);
        await db.SaveChangesAsync(ct);
        Changed(team.AccountId);
        return team;
    }

    /// <summary>The team with the ids its members change to: what a members write answers with.</summary>
    public sealed record MembersChanged(Team Team, IReadOnlyList<int> UserIds);

    /// <summary>Adds, replaces or removes members (<see cref="AgentGroups.ChangeAsync"/>).</summary>
    public async Task<WriteResult<MembersChanged>> ChangeMembersAsync(int accountId, int teamId, IReadOnlyList<int> userIds, MembersChange change, CancellationToken ct = default)
    {
        if (await FindAsync(accountId, teamId, ct) is not { } team) return new WriteResult<MembersChanged>.Missing();
        var ids = userIds.Distinct().ToArray();
        if (await AgentGroups.ChangeAsync(db, team.AccountId, ids, change, (TeamMember m) => m.TeamId == team.Id,
                (id, now) => new TeamMember { TeamId = team.Id, UserId = id, CreatedAt = now }, ct) is { } problem)
            return problem;
        Changed(team.AccountId);
        return new MembersChanged(team, ids);
    }

    private void Changed(int accountId)
    {
        live.Publish(new LiveEvent(accountId, LiveEvent.TeamsChanged));
        live.Publish(new LiveEvent(accountId, LiveEvent.ConversationChanged));
    }
}
