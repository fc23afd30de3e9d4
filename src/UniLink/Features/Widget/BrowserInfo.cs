using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace UniLink.Features.Widget;

/// <summary>
/// The visitor's browser as the reference stores it in a widget conversation's <c>additional_attributes.browser</c>
/// (<c>browser_name, browser_version, device_name, platform_name, platform_version</c>), read from the User-Agent.
/// A few common families are told apart; anything else is "Unknown", as the reference's browser gem answers.
/// </summary>
public static partial class BrowserInfo
{
    public static JsonObject Of(string? userAgent)
    {
        var ua = userAgent ?? "";
        var (name, version) = Browser(ua);
        var (platform, platformVersion) = Platform(ua);
        return new JsonObject
        {
            ["browser_name"] = name,
            ["browser_version"] = version,
            ["device_name"] = Device(ua),
            ["platform_name"] = platform,
            ["platform_version"] = platformVersion,
        };
    }

    private static (string, string) Browser(string ua)
    {
        foreach (var (pattern, name) in new[] { ("Edg/", "Microsoft Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Version/", "Safari") })
        {
            var at = ua.IndexOf(pattern, StringComparison.Ordinal);
            if (at < 0 || (name == "Safari" && !ua.Contains("Safari/", StringComparison.Ordinal))) continue;
            var version = VersionPattern().Match(ua, at + pattern.Length);
            return (name, version.Success && version.Index == at + pattern.Length ? version.Value : "0");
        }
        return ("Unknown Browser", "0");
    }

    private static (string, string) Platform(string ua)
    {
        Match m;
        if ((m = WindowsPattern().Match(ua)).Success) return ("Windows", m.Groups[1].Value);
        if ((m = AndroidPattern().Match(ua)).Success) return ("Android", m.Groups[1].Value);
        if ((m = IosPattern().Match(ua)).Success) return ("iOS", m.Groups[1].Value.Replace('_', '.'));
        if ((m = MacPattern().Match(ua)).Success) return ("macOS", m.Groups[1].Value.Replace('_', '.'));
        if (ua.Contains("Linux", StringComparison.Ordinal)) return ("Generic Linux", "0");
        return ("Unknown", "0");
    }

    private static string Device(string ua)
    {
        if (ua.Contains("iPhone", StringComparison.Ordinal)) return "iPhone";
        if (ua.Contains("iPad", StringComparison.Ordinal)) return "iPad";
        if (ua.Contains("Android", StringComparison.Ordinal)) return ua.Contains("Mobile", StringComparison.Ordinal) ? "Android phone" : "Android tablet";
        return "Unknown";
    }

    [GeneratedRegex(@"[0-9]+(\.[0-9]+)*")]
    private static partial Regex VersionPattern();
    [GeneratedRegex(@"Windows NT ([0-9.]+)")]
    private static partial Regex WindowsPattern();
    [GeneratedRegex(@"Android ([0-9.]+)")]
    private static partial Regex AndroidPattern();
    [GeneratedRegex(@"(?:iPhone|iPad|iPod).*? OS ([0-9_]+)")]
    private static partial Regex IosPattern();
    [GeneratedRegex(@"Mac OS X ([0-9_.]+)")]
    private static partial Regex MacPattern();
}
