using System.Text.Json;
using System.Text.Json.Nodes;
using UniLink.Features.DashboardApps.Platform;

namespace UniLink.Features.DashboardApps;

/// <summary>One frame of an app: the only shape the reference keeps.</summary>
public sealed record DashboardAppFrame(string Type, string Url);

/// <summary>
/// The rules for an app's <c>content</c>, used by the API and by the settings dialog alike: a non-empty array of
/// <c>{"type":"frame","url":"http(s)://…"}</c>, the URL absolute, case-sensitive <c>http://</c> or <c>https://</c>,
/// without whitespace; URL variables only known ones and never in the origin; never on the dashboard's own origin,
/// where the frame's sandbox would be void (<c>allow-scripts allow-same-origin</c> on a same-origin page).
/// </summary>
public static class DashboardAppContent
{
    public const string InvalidMessage = "Content : Invalid data";
    public const int MaxFrames = 20;
    public const int MaxUrlLength = 2048;
    public const string SameOriginMessage = "Content : an app cannot be on UniLink's own origin (it would not be sandboxed)";

    /// <summary>The frames, or null with the reason (the reference's message, or a URL-variable problem).</summary>
    public static IReadOnlyList<DashboardAppFrame>? Parse(JsonNode? content, string dashboardOrigin, out string? problem)
    {
        problem = InvalidMessage;
        if (content is not JsonArray array) return null;
        var frames = new List<DashboardAppFrame>();
        var whole = true;
        foreach (var item in array)
        {
            if (item is JsonObject frame && frame["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String && type.GetValue<string>() == "frame"
                && frame["url"] is JsonValue url && url.GetValueKind() == JsonValueKind.String)
                frames.Add(new DashboardAppFrame("frame", url.GetValue<string>()));
            else
            {
                whole = false;
                break;
            }
        }
        // The first problem in the array's order: a URL's before a later frame's shape.
        problem = Problem(array.Count, frames, dashboardOrigin) ?? (whole ? null : InvalidMessage);
        return problem is null ? frames : null;
    }

    /// <summary>
    /// null when the frames may be saved: one to <see cref="MaxFrames"/>, each URL passing <see cref="UrlProblem"/>;
    /// otherwise the message (the first URL's problem).
    /// </summary>
    public static string? Problem(IReadOnlyList<DashboardAppFrame> frames, string dashboardOrigin) => Problem(frames.Count, frames, dashboardOrigin);

    private static string? Problem(int count, IEnumerable<DashboardAppFrame> frames, string dashboardOrigin) =>
        count is 0 or > MaxFrames ? InvalidMessage : frames.Select(f => UrlProblem(f.Url, dashboardOrigin)).FirstOrDefault(p => p is not null);

    /// <summary>null when the URL is acceptable as a frame URL; otherwise the message to show.</summary>
    public static string? UrlProblem(string url, string dashboardOrigin)
    {
        if (url.Length == 0 || url.Length > MaxUrlLength || url.Any(char.IsWhiteSpace)) return InvalidMessage;
        if (!url.StartsWith("http://", StringComparison.Ordinal) && !url.StartsWith("https://", StringComparison.Ordinal)) return InvalidMessage;
        if (FrameUrlTemplate.HasVariables(url) && FrameUrlTemplate.Problem(url) is { } variableProblem) return variableProblem;
        var concrete = FrameUrlTemplate.WithPlaceholders(url);
        if (!Uri.TryCreate(concrete, UriKind.Absolute, out var uri) || uri.Host.Length == 0) return InvalidMessage;
        if (string.Equals(uri.GetLeftPart(UriPartial.Authority), dashboardOrigin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)) return SameOriginMessage;
        return null;
    }

    public static string Serialize(IReadOnlyList<DashboardAppFrame> frames) =>
        JsonSerializer.Serialize(frames.Select(f => new { type = f.Type, url = f.Url }));

    public static IReadOnlyList<DashboardAppFrame> Read(string stored) =>
        JsonNode.Parse(stored) is JsonArray a
            ? a.OfType<JsonObject>().Select(f => new DashboardAppFrame("frame", f["url"]?.GetValue<string>() ?? "")).ToList()
            : [];
}
