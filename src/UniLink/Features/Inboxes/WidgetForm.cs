namespace UniLink.Features.Inboxes;

/// <summary>What the settings page edits of a website inbox; checked with the API's own rules (<see cref="WidgetSettings"/>).</summary>
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

    public WidgetSettings Settings() => new(WebsiteUrl.Trim(), WidgetColor, WelcomeTitle.Trim(), WelcomeTagline.Trim(), ReplyTime, HmacMandatory,
        AllowedDomains: string.Join('\n', WidgetSettings.Domains(AllowedDomains)));

    /// <summary>The first thing wrong, as a sentence; null when all is well.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 255) return "Website name can't be blank.";
        if (!(Uri.TryCreate(WebsiteUrl.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            return "Website URL must be an http or https URL.";
        var channel = Infrastructure.Http.RequestBody.FromObject(new System.Text.Json.Nodes.JsonObject
        {
            ["widget_color"] = WidgetColor, ["reply_time"] = ReplyTime, ["allowed_domains"] = AllowedDomains,
        });
        WidgetSettings.Read(channel);
        return channel.Error is null ? null : "Check the widget colour and the allowed domains (host names such as shop.example.com or *.example.com).";
    }
}
