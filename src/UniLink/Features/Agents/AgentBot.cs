namespace UniLink.Features.Agents;

public class AgentBot
{
    public int Id { get; set; }
    public int? AccountId { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public string Thumbnail { get; set; } = "";
    /// <summary>SHA-256 of the bot's access token.</summary>
    public required string AccessTokenHash { get; set; }
    /// <summary>Where the bot's events are POSTed (its inboxes' pending conversations); signed with <see cref="Secret"/>.</summary>
    public string? OutgoingUrl { get; set; }
    public string? Secret { get; set; }
    public DateTime CreatedAt { get; set; }
}
