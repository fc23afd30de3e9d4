namespace UniLink.Features.Inboxes;

/// <summary>An inbox; <c>inbox_identifier</c> is set for API inboxes (the public client API's key).</summary>
public sealed record InboxJson(
    int Id,
    string AvatarUrl,
    int ChannelId,
    string Name,
    string ChannelType,
    string? Provider,
    string? InboxIdentifier,
    string? WebsiteUrl,
    string? Email,
    string? WebhookUrl,
    bool GreetingEnabled,
    string? GreetingMessage,
    bool EnableAutoAssignment,
    string? HmacToken)
{
    /// <summary>The API inbox's signing secret for what is sent to <c>webhook_url</c>; null for agents and other channels.</summary>
    public string? Secret { get; init; }
}

/// <summary>The slim inbox inside a contact's <c>contact_inboxes</c>.</summary>
public sealed record InboxSlimJson(int Id, string AvatarUrl, int ChannelId, string Name, string ChannelType, string? Provider);

public static class InboxMapping
{
    /// <summary><paramref name="administrator"/>: the reader administers the account and may see the inbox's <c>hmac_token</c>
    /// and, for an API inbox, its webhook signing <c>secret</c>.</summary>
    public static InboxJson ToJson(this Inbox i, bool administrator = false) => new(
        i.Id, i.AvatarUrl, i.Id, i.Name, i.ChannelType, null,
        i.ChannelType == ChannelTypes.Api ? i.InboxIdentifier : null,
        i.WebsiteUrl, i.Email, i.WebhookUrl, i.GreetingEnabled, i.GreetingMessage, i.EnableAutoAssignment,
        administrator ? i.HmacToken : null)
    {
        Secret = administrator && i.ChannelType == ChannelTypes.Api ? i.Secret : null,
    };

    public static InboxSlimJson ToSlimJson(this Inbox i) => new(i.Id, i.AvatarUrl, i.Id, i.Name, i.ChannelType, null);
}
