namespace UniLink.Features.Inboxes;

/// <summary>What the settings page edits of a website inbox; the inbox service checks it as it checks the API's.</summary>
public sealed class WidgetForm
{
    public string Name { get; set; } = "";
    public string WebsiteUrl { get; set; } = "";
    public string WidgetColor { get; set; } = "#1f93ff";
    public string WelcomeTitle { get; set; } = "";
    public string WelcomeTagline { get; set; } = "";
    public string ReplyTime { get; set; } = "in_a_few_minutes";
    public string AllowedDomains { get; set; } = "";
    public bool HmacMandatory { get; set; }

    public static WidgetForm Of(Inbox i) => new()
    {
        Name = i.Name, WebsiteUrl = i.WebsiteUrl ?? "", WidgetColor = i.WidgetColor, WelcomeTitle = i.WelcomeTitle ?? "",
        WelcomeTagline = i.WelcomeTagline ?? "", ReplyTime = i.ReplyTime, AllowedDomains = i.AllowedDomains, HmacMandatory = i.HmacMandatory,
    };

    /// <summary>What the form asks of the inbox service: the name and the widget settings.</summary>
    public InboxInput Input() => new(Name.Trim(), "web_widget", WebsiteUrl: WebsiteUrl.Trim(), Widget: new WidgetSettings(
        WebsiteUrl.Trim(), WidgetColor, WelcomeTitle.Trim(), WelcomeTagline.Trim(), ReplyTime, HmacMandatory,
        AllowedDomains: string.Join('\n', WidgetSettings.Domains(AllowedDomains))));
}
