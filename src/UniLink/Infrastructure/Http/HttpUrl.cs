namespace UniLink.Infrastructure.Http;

public static class HttpUrl
{
    /// <summary>An absolute http(s) URL with a host and no whitespace (the reference's <c>URI.make_regexp(%w[http https])</c>).</summary>
    public static bool IsValid(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
        && !url.Any(char.IsWhiteSpace) && (url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal));
}
