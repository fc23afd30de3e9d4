using System.Linq.Expressions;

namespace UniLink.Features.Agents;

/// <summary>How a members write changes a group of agents (a team, an inbox): POST adds, PATCH makes them the members, DELETE removes.</summary>
public enum MembersChange { Add, Replace, Remove }

/// <summary>The row that puts an agent in a group: <see cref="Teams.TeamMember"/>, <see cref="Inboxes.InboxMember"/>.</summary>
public interface IGroupMember
{
    int UserId { get; }
}

/// <summary>The agents a members write names (<c>user_ids</c>: numbers, or digit strings as a form sends them).</summary>
public sealed record MemberIdsInput(IReadOnlyList<int>? UserIds) : IBodyInput<MemberIdsInput>
{
    public static string? Wrapper => null;

    public static MemberIdsInput From(RequestBody body, bool creating) => new(body.Ints("user_ids"));
}

/// <summary>The members of a team or an inbox: the rule and the write both share.</summary>
public static class AgentGroups
{
    /// <summary>
    /// Adds, replaces or removes the group's members (<paramref name="inGroup"/>) in one transaction; every id must be an
    /// agent of the account, or nothing changes and the first stranger is the problem.
    /// </summary>
    public static async Task<WriteProblem?> ChangeAsync<TMember>(UniLinkDb db, int accountId, IReadOnlyCollection<int> ids, MembersChange change,
        Expression<Func<TMember, bool>> inGroup, Func<int, DateTime, TMember> newMember, CancellationToken ct) where TMember : class, IGroupMember
    {
        var known = await db.AccountUsers.Where(m => m.AccountId == accountId && ids.Contains(m.UserId)).Select(m => m.UserId).ToListAsync(ct);
        if (ids.Where(id => !known.Contains(id)).Select(id => (int?)id).FirstOrDefault() is { } unknown)
            return new WriteProblem($"User {unknown} is not an agent of this account", "user_ids");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var members = db.Set<TMember>();
        var current = await members.Where(inGroup).ToListAsync(ct);
        if (change != MembersChange.Add)
            members.RemoveRange(current.Where(m => change == MembersChange.Replace ? !ids.Contains(m.UserId) : ids.Contains(m.UserId)));
        if (change != MembersChange.Remove)
        {
            var now = UnixTime.Now();
            members.AddRange(ids.Where(id => current.All(m => m.UserId != id)).Select(id => newMember(id, now)));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>A members write's answer: the reference's empty 200 for a removal, else the members as <paramref name="members"/> lists them.</summary>
    public static async Task<IResult> ToMembersHttpAsync<T, TJson>(this WriteResult<T> result, MembersChange change, Func<T, Task<TJson>> members) =>
        change == MembersChange.Remove && result is WriteResult<T>.Done ? TypedResults.Ok() : await result.ToHttpAsync(members);
}
