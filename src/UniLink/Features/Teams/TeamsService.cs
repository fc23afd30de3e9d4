using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Teams;

/// <summary>What a team write asks for; null fields are left as they are.</summary>
public sealed record TeamInput(string? Name, string? Description, bool? AllowAutoAssign);

/// <summary>A refused team write: the message and the field it is about.</summary>
public sealed record TeamProblem(string Message, string Field);

/// <summary>Teams and their members: the rules the API and the dashboard share.</summary>
public sealed class TeamsService(UniLinkDb db, LiveBus live)
{
    public async Task<(Team? Team, TeamProblem? Problem)> SaveAsync(int accountId, Team? existing, TeamInput input, CancellationToken ct = default)
    {
        var name = input.Name?.Trim().ToLowerInvariant();
        if (existing is null && string.IsNullOrEmpty(name)) return (null, new("Name can't be blank", "name"));
        if (input.Name is not null && string.IsNullOrEmpty(name)) return (null, new("Name can't be blank", "name"));
        if (name is not null && await db.Teams.AnyAsync(t => t.AccountId == accountId && t.Name == name && t.Id != (existing == null ? 0 : existing.Id), ct))
            return (null, new("Name has already been taken", "name"));
        var now = UnixTime.Now();
        var team = existing ?? new Team { AccountId = accountId, Name = name!, CreatedAt = now };
        if (existing is null) db.Teams.Add(team);
        if (name is not null) team.Name = name;
        if (input.Description is not null) team.Description = input.Description;
        if (input.AllowAutoAssign is { } auto) team.AllowAutoAssign = auto;
        team.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        Changed(accountId);
        return (team, null);
    }

    /// <summary>Deletes the team; its conversations keep their agent and lose the team (the database sets it null).</summary>
    public async Task DeleteAsync(Team team, CancellationToken ct = default)
    {
        db.Teams.Remove(team);
        await db.SaveChangesAsync(ct);
        Changed(team.AccountId);
    }

    public enum MembersChange { Add, Replace, Remove }

    /// <summary>Adds, replaces or removes members in one transaction; every id must be a member of the account.</summary>
    public async Task<(IReadOnlyList<int>? Ids, TeamProblem? Problem)> ChangeMembersAsync(Team team, IReadOnlyList<int> userIds, MembersChange change, CancellationToken ct = default)
    {
        var ids = userIds.Distinct().ToArray();
        var known = await db.AccountUsers.Where(m => m.AccountId == team.AccountId && ids.Contains(m.UserId)).Select(m => m.UserId).ToListAsync(ct);
        if (ids.FirstOrDefault(id => !known.Contains(id)) is var unknown && ids.Any(id => !known.Contains(id)))
            return (null, new($"User {unknown} is not an agent of this account", "user_ids"));
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
        return (ids, null);
    }

    private void Changed(int accountId)
    {
        live.Publish(new LiveEvent(accountId, LiveEvent.TeamsChanged));
        live.Publish(new LiveEvent(accountId, LiveEvent.ConversationChanged));
    }
}
