using System.Text.Json.Serialization;

namespace UniLink.Features.Teams;

/// <summary>
/// A team as the reference's team partial emits it. <see cref="IsMember"/> is the caller's own membership: the
/// teams endpoints fill it in; a conversation's <c>meta.team</c> is shared by every agent (and cached), so it leaves it out.
/// </summary>
public sealed record TeamJson(
    int Id,
    string Name,
    string? Description,
    bool AllowAutoAssign,
    int AccountId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? IsMember);

public static class TeamMapping
{
    public static TeamJson ToJson(this Team t, bool? isMember = null) =>
        new(t.Id, t.Name, t.Description, t.AllowAutoAssign, t.AccountId, isMember);
}
