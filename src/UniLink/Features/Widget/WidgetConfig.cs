using System.Text.Json.Nodes;

namespace UniLink.Features.Widget;

/// <summary>The reference's <c>website_channel_config</c>: what the widget shows before anyone writes.</summary>
public sealed record WidgetConfig(
    string ApiHost, string AvatarUrl, JsonObject PreChatFormOptions, bool PreChatFormEnabled, string ReplyTime,
    string WebsiteName, string WebsiteToken, string WelcomeTagline, string WelcomeTitle, string WidgetColor, int AccountId, string Locale,
    bool GreetingEnabled, string? GreetingMessage, bool HmacMandatory)
{
    public string? AuthToken { get; init; }
    public string Timezone { get; init; } = "UTC";
    public bool WorkingHoursEnabled { get; init; }
    public bool CsatSurveyEnabled { get; init; }
    public bool AllowMessagesAfterResolved { get; init; } = true;
    public string[] EnabledFeatures { get; init; } = [];

    public static WidgetConfig Of(Inbox i, string publicOrigin) => new(
        publicOrigin, i.AvatarUrl, JsonText.Object(i.PreChatFormOptions), i.PreChatFormEnabled, i.ReplyTime, i.Name, i.InboxIdentifier,
        i.WelcomeTagline ?? "", i.WelcomeTitle ?? "", i.WidgetColor, i.AccountId, "en", i.GreetingEnabled, i.GreetingMessage, i.HmacMandatory);
}
