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

    public enum MembersChange { Add, Replace, Remove }

    /// <summary>The team with the ids its members change to: what a members write answers with.</summary>
    public sealed record MembersChanged(Team Team, IReadOnlyList<int> UserIds);

    /// <summary>Adds, replaces or removes members in one transaction; every id must be a member of the account.</summary>
    public async Task<WriteResult<MembersChanged>> ChangeMembersAsync(int accountId, int teamId, IReadOnlyList<int> userIds, MembersChange change, CancellationToken ct = default)
    {
        if (await FindAsync(accountId, teamId, ct) is not { } team) return new WriteResult<MembersChanged>.Missing();
        var ids = userIds.Distinct().ToArray();
        var known = await db.AccountUsers.Where(m => m.AccountId == team.AccountId && ids.Contains(m.UserId)).Select(m => m.UserId).ToListAsync(ct);
        if (ids.FirstOrDefault(id => !known.Contains(id)) is var unknown && ids.Any(id => !known.Contains(id)))
            return new WriteProblem($"User {unknown} is not an agent of this account", "user_ids");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var current = await db.TeamMembers.Where(m => m.TeamId == team.Id).ToListAsync(ct);
        var now = UnixTime.Now();
        if (change == MembersChange.Remove || change == MembersChange.Replace)
            db.TeamMembers.RemoveRange(current.Where(m => change == MembersChange.Replace ? !ids.Contains(m.UserId) : ids.Contains(m.UserId)));
        if (change != MembersChange.Remove)
            db.TeamMembers.AddRange(ids.Where(id => current.All(m => m.UserId != id))
                .Select(id => new TeamMember { TeamId = team.Id, UserId = id, CreatedAt = now }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        Changed(team.AccountId);
        return new MembersChanged(team, ids);
    }

    private void Changed(int accountId)
    {
        live.Publish(new LiveEvent(accountId, LiveEvent.TeamsChanged));
        live.Publish(new LiveEvent(accountId, LiveEvent.ConversationChanged));
    }
}
