using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace UniLink.Features.Inboxes;

/// <summary>
/// A website inbox's widget settings as the reference's <c>channel</c> object carries them (<c>website_url</c>,
/// <c>widget_color</c>, <c>welcome_title</c>, <c>welcome_tagline</c>, <c>reply_time</c>, <c>hmac_mandatory</c>,
/// <c>pre_chat_form_enabled</c>, <c>pre_chat_form_options</c>, <c>continuity_via_email</c>, <c>allowed_domains</c>):
/// read once, checked once, applied by the API and the settings page alike. A key left out keeps its value.
/// </summary>
public sealed partial record WidgetSettings(
    string? WebsiteUrl = null, string? WidgetColor = null, string? WelcomeTitle = null, string? WelcomeTagline = null,
    string? ReplyTime = null, bool? HmacMandatory = null, bool? PreChatFormEnabled = null, JsonObject? PreChatFormOptions = null,
    bool? ContinuityViaEmail = null, string? AllowedDomains = null)
{
    public static readonly string[] ReplyTimes = ["in_a_few_minutes", "in_a_few_hours", "in_a_day"];

    /// <summary>Reads the keys of a <c>channel</c> object (wrong types are recorded on <paramref name="channel"/>); <see cref="Problem"/> checks them.</summary>
    public static WidgetSettings Read(RequestBody channel) => new(
        channel.String("website_url", 2048), channel.String("widget_color", 32), channel.String("welcome_title", 255),
        channel.String("welcome_tagline", 1000), channel.String("reply_time", 32), channel.Bool("hmac_mandatory"),
        channel.Bool("pre_chat_form_enabled"), channel.Object("pre_chat_form_options"), channel.Bool("continuity_via_email"),
        AllowedDomainsOf(channel));

    /// <summary>The first setting a website inbox cannot take, naming its key; null when all can be applied.</summary>
    public WriteProblem? Problem()
    {
        if (WidgetColor is { Length: > 0 } color && !ColorPattern().IsMatch(color))
            return new WriteProblem("Widget color must be a colour such as #1f93ff", "widget_color");
        if (ReplyTime is { } reply && !ReplyTimes.Contains(reply))
            return new WriteProblem($"Reply time must be one of {string.Join(", ", ReplyTimes)}", "reply_time");
        if (AllowedDomains is { } domains && Domains(domains).FirstOrDefault(d => !DomainPattern().IsMatch(d)) is { } wrong)
            return new WriteProblem($"'{wrong}' in allowed domains is not a host name (shop.example.com or *.example.com)", "allowed_domains");
        return null;
    }

    /// <summary>The reference takes a comma-separated string; a list of strings is accepted too.</summary>
    private static string? AllowedDomainsOf(RequestBody channel)
    {
        if (channel.Json["allowed_domains"] is JsonArray)
            return channel.Strings("allowed_domains", 100, 255) is { } list ? string.Join('\n', list) : null;
        return channel.String("allowed_domains", 8000) is { } text ? string.Join('\n', Domains(text)) : null;
    }

    /// <summary>The host names of an allowed-domains text (comma, space or line separated; a pasted URL keeps its host).</summary>
    public static IReadOnlyList<string> Domains(string text) =>
        text.Split([',', '\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => Uri.TryCreate(d, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u.Host : d.TrimEnd('/'))
            .Select(d => d.ToLowerInvariant()).Distinct().ToList();

    /// <summary>Whether a page at <paramref name="origin"/> may embed the widget: any when no domain is set.</summary>
    public static bool Allows(string allowedDomains, string? origin)
    {
        var domains = Domains(allowedDomains);
        if (domains.Count == 0) return true;
        if (origin is null || !Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        var host = uri.Host.ToLowerInvariant();
        return domains.Any(d => d.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(d[1..], StringComparison.Ordinal) || host == d[2..]
            : host == d);
    }

    public void ApplyTo(Inbox inbox)
    {
        if (WebsiteUrl is not null) inbox.WebsiteUrl = WebsiteUrl;
        if (WidgetColor is { Length: > 0 }) inbox.WidgetColor = WidgetColor;
        if (WelcomeTitle is not null) inbox.WelcomeTitle = WelcomeTitle;
        if (WelcomeTagline is not null) inbox.WelcomeTagline = WelcomeTagline;
        if (ReplyTime is not null) inbox.ReplyTime = ReplyTime;
        if (HmacMandatory is { } h) inbox.HmacMandatory = h;
        if (PreChatFormEnabled is { } p) inbox.PreChatFormEnabled = p;
        if (PreChatFormOptions is not null) inbox.PreChatFormOptions = JsonText.Serialize(PreChatFormOptions);
        if (ContinuityViaEmail is { } c) inbox.ContinuityViaEmail = c;
        if (AllowedDomains is not null) inbox.AllowedDomains = AllowedDomains;
    }

    [GeneratedRegex("^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$")]
    private static partial Regex ColorPattern();

    [GeneratedRegex(@"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")]
    private static partial Regex DomainPattern();
}
