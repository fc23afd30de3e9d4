using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace UniLink.Features.CustomAttributes;

/// <summary>
/// An attribute value as an agent types it, read by its definition into what is stored (the shapes the reference's
/// dashboard stores): numbers as JSON numbers, a date as an ISO timestamp at midnight UTC, a checkbox as a boolean,
/// a list value as one of its options, a link as an absolute http(s) URL, text matching the definition's pattern.
/// </summary>
public static class CustomAttributeValue
{
    /// <summary>The value to store, or why the text is not one; empty text is <c>(null, null)</c>: remove the attribute.</summary>
    public static (JsonNode? Value, string? Error) Parse(CustomAttributeDefinition d, string? text)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) return (null, null);
        var name = d.AttributeDisplayName;
        switch (d.AttributeDisplayType)
        {
            case AttributeDisplayType.Number or AttributeDisplayType.Currency or AttributeDisplayType.Percent:
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? (JsonValue.Create(number), null)
                    : (null, $"{name} must be a number");
            case AttributeDisplayType.Date:
                return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? (JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00.000Z"), null)
                    : (null, $"{name} must be a date (YYYY-MM-DD)");
            case AttributeDisplayType.Checkbox:
                return bool.TryParse(text, out var check) ? (JsonValue.Create(check), null) : (null, $"{name} must be yes or no");
            case AttributeDisplayType.List:
                return Options(d).Contains(text) ? (JsonValue.Create(text), null) : (null, $"{name} must be one of {string.Join(", ", Options(d))}");
            case AttributeDisplayType.Link:
                return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                    ? (JsonValue.Create(text), null)
                    : (null, $"{name} must be a link starting with http:// or https://");
            default:
                if (d.RegexPattern is { Length: > 0 } pattern && !Matches(pattern, text))
                    return (null, string.IsNullOrWhiteSpace(d.RegexCue) ? $"{name} is not in the expected format" : d.RegexCue);
                return (JsonValue.Create(text), null);
        }
    }

    /// <summary>The stored value as the editor shows it (a date as YYYY-MM-DD, a checkbox as true/false).</summary>
    public static string Text(CustomAttributeDefinition d, JsonNode? value)
    {
        if (value is not JsonValue v) return value?.ToJsonString() ?? "";
        if (v.TryGetValue<bool>(out var b)) return b ? "true" : "false";
        var s = v.TryGetValue<string>(out var str) ? str : v.ToJsonString();
        if (d.AttributeDisplayType == AttributeDisplayType.Date && s.Length >= 10 && DateOnly.TryParseExact(s[..10], "yyyy-MM-dd", out _)) return s[..10];
        return s;
    }

    public static IReadOnlyList<string> Options(CustomAttributeDefinition d) =>
        JsonText.Array(d.AttributeValues).Select(o => o?.ToString() ?? "").Where(o => o.Length > 0).ToList();

    private static bool Matches(string pattern, string text)
    {
        try { return Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)); }
        catch (ArgumentException) { return true; } // the API refuses such patterns; one stored before checks nothing
        catch (RegexMatchTimeoutException) { return false; }
    }
}
