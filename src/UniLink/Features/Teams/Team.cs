
namespace UniLink.Features.Teams;

/// <summary>A group of agents a conversation can be handed to (the reference's teams).</summary>
public class Team
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    /// <summary>Lower case and unique in the account, as the reference keeps it.</summary>
    public required string Name { get; set; }
    public string? Description { get; set; }
    public bool AllowAutoAssign { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<TeamMember> Members { get; set; } = [];
}

public class TeamMember : IGroupMember
{
    public int Id { get; set; }
    public int TeamId { get; set; }
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
}
