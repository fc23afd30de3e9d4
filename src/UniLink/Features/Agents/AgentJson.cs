using System.Text.Json.Serialization;

namespace UniLink.Features.Agents;

/// <summary>
/// An agent (the agents list, a conversation's assignee). An agent just added or reset who must set a password also
/// carries the invitation link, the one time it is shown; elsewhere those fields are left out.
/// </summary>
public sealed record AgentJson(
    int Id,
    int AccountId,
    string AvailabilityStatus,
    bool AutoOffline,
    bool Confirmed,
    string Email,
    string Provider,
    string AvailableName,
    string Name,
    string Role,
    string Thumbnail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InvitationUrl = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? InvitationExpiresAt = null);

/// <summary>An agent as the sender of a message.</summary>
public sealed record AgentSenderJson(
    int Id,
    string Name,
    string AvailableName,
    string AvatarUrl,
    string AvailabilityStatus,
    string Thumbnail,
    string Type = "user");

/// <summary>The signed-in agent handed to dashboard apps: exactly id, name, email.</summary>
public sealed record CurrentAgentJson(int Id, string Name, string Email);

public static class AgentMapping
{
    public static AgentJson ToAgentJson(this User u, int accountId, string role) => new(
        u.Id, accountId, u.AvailabilityStatus, u.AutoOffline, u.Confirmed, u.Email, "email", u.AvailableName, u.Name, role, u.Thumbnail);

    public static AgentJson ToAgentJson(this AccountUser m) => m.User.ToAgentJson(m.AccountId, m.Role);

    public static AgentSenderJson ToSenderJson(this User u) => new(
        u.Id, u.Name, u.AvailableName, u.Thumbnail, u.AvailabilityStatus, u.Thumbnail);

    public static CurrentAgentJson ToCurrentAgentJson(this User u) => new(u.Id, u.Name, u.Email);

    public static Messages.BotSenderJson ToSenderJson(this AgentBot b) => new(b.Id, b.Name, b.Thumbnail);
}
