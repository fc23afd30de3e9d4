namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>
/// The browser's rules for whether a page may be framed by another origin, applied to an app's response headers:
/// an enforced <c>Content-Security-Policy</c> with <c>frame-ancestors</c> decides (and then <c>X-Frame-Options</c>
/// is ignored, as browsers do); otherwise <c>X-Frame-Options</c> DENY / SAMEORIGIN, conflicting values counting as DENY.
/// </summary>
public static class FrameAncestorsRules
{
    /// <summary>Why the page at <paramref name="appUrl"/> refuses to be framed by <paramref name="dashboardOrigin"/>; null when it allows it.</summary>
    public static string? Refusal(Uri appUrl, Uri dashboardOrigin, IEnumerable<string> contentSecurityPolicies, IEnumerable<string> xFrameOptions)
    {
        var sawFrameAncestors = false;
        foreach (var policy in contentSecurityPolicies.SelectMany(h => h.Split(',')))
        {
            if (FrameAncestors(policy) is not { } sources) continue;
            sawFrameAncestors = true;
            if (!sources.Any(s => Matches(s, dashboardOrigin, appUrl)))
                // Only fixed words: the header's own values are never repeated back to the caller.
                return sources.Length == 0 || sources is ["'none'"]
                    ? "its Content-Security-Policy refuses every site (frame-ancestors 'none')"
                    : "its Content-Security-Policy allows only other sites to embed it (frame-ancestors)";
        }
        if (sawFrameAncestors) return null;

        var values = xFrameOptions.SelectMany(h => h.Split(',')).Select(v => v.Trim().ToLowerInvariant())
            .Where(v => v is "deny" or "sameorigin" or "allowall").Distinct().ToList();
        if (values.Count > 1 || values is ["deny"]) return "it refuses to be embedded by any site (X-Frame-Options: DENY)";
        if (values is ["sameorigin"] && !SameOrigin(appUrl, dashboardOrigin))
            return "it only allows being embedded by its own site (X-Frame-Options: SAMEORIGIN)";
        return null;
    }

    /// <summary>The source list of the policy's first <c>frame-ancestors</c> directive, or null when it has none.</summary>
    private static string[]? FrameAncestors(string policy)
    {
        foreach (var directive in policy.Split(';'))
        {
            var tokens = directive.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 0 && tokens[0].Equals("frame-ancestors", StringComparison.OrdinalIgnoreCase)) return tokens[1..];
        }
        return null;
    }

    private static bool Matches(string source, Uri ancestor, Uri protectedUrl)
    {
        var s = source.ToLowerInvariant();
        if (s == "'none'") return false;
        if (s == "*") return ancestor.Scheme is "http" or "https";
        if (s == "'self'") return SameOrigin(ancestor, protectedUrl) || (Upgrades(protectedUrl.Scheme, ancestor.Scheme) && ancestor.Host == protectedUrl.Host);
        if (s.StartsWith('\'')) return false; // nonces, hashes and other keywords mean nothing here
        if (s.EndsWith(':') && !s.Contains('/')) return SchemeMatches(s[..^1], ancestor.Scheme);

        var rest = s;
        var scheme = protectedUrl.Scheme;
        var schemeEnd = rest.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            scheme = rest[..schemeEnd];
            rest = rest[(schemeEnd + 3)..];
        }
        if (!SchemeMatches(scheme, ancestor.Scheme)) return false;
        var pathStart = rest.IndexOf('/');
        if (pathStart >= 0) rest = rest[..pathStart];
        string host = rest, port = "";
        var colon = rest.LastIndexOf(':');
        if (colon >= 0 && !rest.EndsWith(']'))
        {
            host = rest[..colon];
            port = rest[(colon + 1)..];
        }
        var hostMatches = host == "*"
            || (host.StartsWith("*.") && ancestor.Host.EndsWith(host[1..], StringComparison.OrdinalIgnoreCase))
            || string.Equals(host, ancestor.Host, StringComparison.OrdinalIgnoreCase);
        if (!hostMatches) return false;
        if (port == "*") return true;
        if (port == "") return ancestor.IsDefaultPort && (scheme == ancestor.Scheme || Upgrades(scheme, ancestor.Scheme));
        return int.TryParse(port, out var p) && (p == ancestor.Port || (p == 80 && ancestor.Scheme == "https" && ancestor.Port == 443));
    }

    private static bool SchemeMatches(string source, string ancestor) => source == ancestor || Upgrades(source, ancestor);

    private static bool Upgrades(string from, string to) => (from, to) is ("http", "https") or ("ws", "wss");

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
