namespace UniLink.Features.Inboxes;

public class Inbox
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public required string Name { get; set; }
    /// <summary>One of <see cref="ChannelTypes"/>.</summary>
    public required string ChannelType { get; set; }
    /// <summary>Identifier used by the public client API (API inboxes).</summary>
    public required string InboxIdentifier { get; set; }
    public string? WebsiteUrl { get; set; }
    public string? Email { get; set; }
    public string? WebhookUrl { get; set; }
    /// <summary>The API inbox's <c>secret</c>: signs what is sent to <see cref="WebhookUrl"/>.</summary>
    public string? Secret { get; set; }
    /// <summary>The agent bot connected to this inbox, if any.</summary>
    public int? AgentBotId { get; set; }
    public bool GreetingEnabled { get; set; }
    public string? GreetingMessage { get; set; }
    public bool EnableAutoAssignment { get; set; } = true;
    public string AvatarUrl { get; set; } = "";
    /// <summary>
    /// The secret with which the customer's own server proves who a contact is to the public client API:
    /// <c>identifier_hash</c> = hex HMAC-SHA256(hmac_token, identifier), as the reference. Shown to administrators only.
    /// </summary>
    public string HmacToken { get; set; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class ChannelTypes
{
    public const string Api = "Channel::Api";
    public const string WebWidget = "Channel::WebWidget";
    public const string Email = "Channel::Email";
    public static readonly string[] All = [Api, WebWidget, Email];
}
