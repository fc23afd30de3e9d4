namespace UniLink.Features.Inboxes;

public class Inbox
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public required string Name { get; set; }
    /// <summary>One of <see cref="ChannelTypes"/>.</summary>
    public required string ChannelType { get; set; }
    /// <summary>Identifier used by the public client API (API inboxes); a website inbox's <c>website_token</c>, which its snippet carries.</summary>
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
    // The website inbox's widget (Channel::WebWidget in the reference); null or defaults for other channels.
    public string WidgetColor { get; set; } = "#1f93ff";
    public string? WelcomeTitle { get; set; }
    public string? WelcomeTagline { get; set; }
    /// <summary>"Enforce identity verification": a <c>setUser</c> without a valid <c>identifier_hash</c> is refused.</summary>
    public bool HmacMandatory { get; set; }
    public bool PreChatFormEnabled { get; set; }
    /// <summary>JSON object: <c>{pre_chat_message, pre_chat_fields: [{name, label, type, required, enabled, field_type}]}</c>.</summary>
    public string PreChatFormOptions { get; set; } = "{}";
    /// <summary><c>in_a_few_minutes</c>, <c>in_a_few_hours</c> or <c>in_a_day</c>.</summary>
    public string ReplyTime { get; set; } = "in_a_few_minutes";
    /// <summary>Which sites may embed the widget: host names (<c>shop.example.com</c>, <c>*.example.com</c>), one per line; empty = any.</summary>
    public string AllowedDomains { get; set; } = "";
    public bool ContinuityViaEmail { get; set; } = true;
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
