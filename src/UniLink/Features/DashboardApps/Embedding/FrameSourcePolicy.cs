using System.Collections.Concurrent;
using System.Text.Json;

namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>
/// The origins an account's dashboard may frame (and check from the browser): those of the account's registered
/// apps, never the dashboard's own — a same-origin frame with <c>allow-same-origin</c> is no sandbox at all. Each
/// account's list is rebuilt only when its apps change.
/// </summary>
public sealed class FrameSourcePolicy
{
    private readonly ConcurrentDictionary<int, ((int Count, DateTime? LastUpdate) Version, string[] Origins)> _byAccount = new();

    public async Task<IReadOnlyList<string>> AppOriginsAsync(UniLinkDb db, int accountId, CancellationToken ct)
    {
        var apps = db.DashboardApps.Where(a => a.AccountId == accountId);
        var stats = await apps.GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), LastUpdate = (DateTime?)g.Max(a => a.UpdatedAt) })
            .FirstOrDefaultAsync(ct);
        var version = (stats?.Count ?? 0, stats?.LastUpdate);
        if (_byAccount.TryGetValue(accountId, out var known) && known.Version == version) return known.Origins;
        var contents = await apps.Select(a => new { a.Content, a.ExtraFrameOrigins }).ToListAsync(ct);
        var origins = contents.SelectMany(a => AppOrigins(a.Content, a.ExtraFrameOrigins)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        _byAccount[accountId] = (version, origins);
        return origins;
    }

    /// <summary>
    /// Every origin an app's frames may show: its frame URLs' origins and the extra origins its frames pass through
    /// (an SSO sign-in, a redirect). Only the former ever receive a context.
    /// </summary>
    public static IEnumerable<string> AppOrigins(string content, string extraFrameOrigins) =>
        FrameOrigins(content).Concat(Platform.AppSettings.ExtraFrameOriginsOf(extraFrameOrigins));

    /// <summary>The origins of an app's frame URLs (what the browser compares <c>frame-src</c> with).</summary>
    public static IEnumerable<string> FrameOrigins(string content)
    {
        List<string> origins = [];
        try
        {
            using var doc = JsonDocument.Parse(content);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return origins;
            foreach (var frame in doc.RootElement.EnumerateArray())
            {
                if (frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty("url", out var url)
                    && url.ValueKind == JsonValueKind.String && OriginOf(url.GetString()) is { } origin)
                    origins.Add(origin);
            }
        }
        catch (JsonException) { }
        return origins;
    }

    public static string? OriginOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
