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

    // The website inbox's widget, as the reference's inbox partial names them (null for other channels).
    public string? WidgetColor { get; init; }
    public bool? HmacMandatory { get; init; }
    public string? WelcomeTitle { get; init; }
    public string? WelcomeTagline { get; init; }
    public string? WebWidgetScript { get; init; }
    public string? WebsiteToken { get; init; }
    public int? SelectedFeatureFlags { get; init; }
    public string? ReplyTime { get; init; }
    public bool? PreChatFormEnabled { get; init; }
    public System.Text.Json.Nodes.JsonObject? PreChatFormOptions { get; init; }
    public bool? ContinuityViaEmail { get; init; }
    /// <summary>UniLink: the sites that may embed the widget, one host name a line (the reference's setting of that name).</summary>
    public string? AllowedDomains { get; init; }
}

/// <summary>The slim inbox inside a contact's <c>contact_inboxes</c>.</summary>
public sealed record InboxSlimJson(int Id, string AvatarUrl, int ChannelId, string Name, string ChannelType, string? Provider);

public static class InboxMapping
{
    /// <summary><paramref name="administrator"/>: the reader administers the account and may see the inbox's <c>hmac_token</c>
    /// and, for an API inbox, its webhook signing <c>secret</c>.</summary>
    /// <param name="publicOrigin">where sites load the widget from (<c>BASE_URL</c> in the website inbox's snippet).</param>
    public static InboxJson ToJson(this Inbox i, bool administrator = false, string publicOrigin = "")
    {
        var json = ToJsonCore(i, administrator);
        if (i.ChannelType != ChannelTypes.WebWidget) return json;
        return json with
        {
            WidgetColor = i.WidgetColor, HmacMandatory = i.HmacMandatory, WelcomeTitle = i.WelcomeTitle ?? "", WelcomeTagline = i.WelcomeTagline ?? "",
            WebWidgetScript = WidgetSnippet.Of(publicOrigin, i.InboxIdentifier), WebsiteToken = i.InboxIdentifier,
            SelectedFeatureFlags = 3, ReplyTime = i.ReplyTime, PreChatFormEnabled = i.PreChatFormEnabled,
            PreChatFormOptions = JsonText.Object(i.PreChatFormOptions), ContinuityViaEmail = i.ContinuityViaEmail,
            AllowedDomains = i.AllowedDomains,
        };
    }

    private static InboxJson ToJsonCore(Inbox i, bool administrator) => new(
        i.Id, i.AvatarUrl, i.Id, i.Name, i.ChannelType, null,
        i.ChannelType == ChannelTypes.Api ? i.InboxIdentifier : null,
        i.WebsiteUrl, i.Email, i.WebhookUrl, i.GreetingEnabled, i.GreetingMessage, i.EnableAutoAssignment,
        administrator ? i.HmacToken : null)
    {
        Secret = administrator && i.ChannelType == ChannelTypes.Api ? i.Secret : null,
    };

    public static InboxSlimJson ToSlimJson(this Inbox i) => new(i.Id, i.AvatarUrl, i.Id, i.Name, i.ChannelType, null);
}

/// <summary>The reference's embedding snippet (<c>Channel::WebWidget#web_widget_script</c>), shape for shape, so sites and
/// the guides written for it work unchanged.</summary>
public static class WidgetSnippet
{
    public static string Of(string baseUrl, string websiteToken) => $$"""
        <script>
          (function(d,t) {
            var BASE_URL="{{baseUrl}}";
            var g=d.createElement(t),s=d.getElementsByTagName(t)[0];
            g.src=BASE_URL+"/packs/js/sdk.js";
            g.async = true;
            s.parentNode.insertBefore(g,s);
            g.onload=function(){
              window.chatwootSDK.run({
                websiteToken: '{{websiteToken}}',
                baseUrl: BASE_URL
              })
            }
          })(document,"script");
        </script>
        """;
}
