using System.Text.RegularExpressions;

namespace UniLink.Features.DashboardApps.Platform;

/// <summary>
/// URL variables in an app's frame URL, e.g. <c>https://crm.example/?email={{contact.email}}</c>: checked when the
/// app is saved, URL-encoded into the iframe <c>src</c> when it is embedded. The origin may not hold variables,
/// so the origin the host posts to, and that the page's frame-src lists, is known at save time.
/// </summary>
public static partial class FrameUrlTemplate
{
    private static readonly string[] Fixed =
    [
        "contact.id", "contact.email", "contact.phone_number", "contact.identifier",
        "conversation.id", "agent.id", "agent.email", "account.id",
    ];
    private const string ContactAttribute = "contact.custom_attributes.";
    private const string ConversationAttribute = "conversation.custom_attributes.";

    [GeneratedRegex(@"\{\{\s*([^{}]*?)\s*\}\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+$")]
    private static partial Regex AttributeKey();

    public static bool HasVariables(string url) => url.Contains("{{", StringComparison.Ordinal);

    /// <summary>null when every variable is known and the origin has none; otherwise what is wrong.</summary>
    public static string? Problem(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var pathStart = schemeEnd < 0 ? -1 : url.IndexOfAny(['/', '?', '#'], schemeEnd + 3);
        var origin = pathStart < 0 ? url : url[..pathStart];
        if (origin.Contains("{{", StringComparison.Ordinal) || origin.Contains("}}", StringComparison.Ordinal))
            return "The origin (scheme, host and port) of a URL may not contain variables";
        foreach (Match m in Variable().Matches(url))
        {
            if (!IsKnown(m.Groups[1].Value)) return $"Unknown URL variable {{{{{m.Groups[1].Value}}}}}";
        }
        var rest = Variable().Replace(url, "");
        if (rest.Contains("{{", StringComparison.Ordinal) || rest.Contains("}}", StringComparison.Ordinal))
            return "A URL variable is not closed: write {{name}}";
        return null;
    }

    /// <summary>The URL with every variable replaced by its URL-encoded value (empty when unknown or unset).</summary>
    public static string Expand(string url, IReadOnlyDictionary<string, string?> values) =>
        HasVariables(url)
            ? Variable().Replace(url, m => Uri.EscapeDataString(values.GetValueOrDefault(m.Groups[1].Value) ?? ""))
            : url;

    /// <summary>
    /// The iframe <c>src</c> for a stored frame URL: expanded, and never onto another origin than the registered one
    /// (a URL that skipped validation, e.g. written straight into the database, is used exactly as stored).
    /// </summary>
    public static string FrameSource(string url, IReadOnlyDictionary<string, string?> values)
    {
        if (!HasVariables(url) || Problem(url) is not null) return url;
        var expanded = Expand(url, values);
        var origin = Embedding.FrameSourcePolicy.OriginOf(WithPlaceholders(url));
        return origin is not null && Embedding.FrameSourcePolicy.OriginOf(expanded) == origin ? expanded : url;
    }

    /// <summary>The URL with placeholders in place of variables, for checks that need a concrete URL.</summary>
    public static string WithPlaceholders(string url) => Variable().Replace(url, "x");

    private static bool IsKnown(string name) =>
        Fixed.Contains(name)
        || (name.StartsWith(ContactAttribute, StringComparison.Ordinal) && AttributeKey().IsMatch(name[ContactAttribute.Length..]))
        || (name.StartsWith(ConversationAttribute, StringComparison.Ordinal) && AttributeKey().IsMatch(name[ConversationAttribute.Length..]));
}
