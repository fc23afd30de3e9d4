using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Db;

namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>
/// The dashboard's Content-Security-Policy: frames only from the origins of registered apps, and the
/// dashboard itself never framed by another site. The origin list is rebuilt only when the apps change.
/// </summary>
public sealed class FrameSourcePolicy
{
    private readonly Lock _gate = new();
    private (int Count, DateTime? LastUpdate) _version = (-1, null);
    private string _header = "";

    public async Task<string> HeaderAsync(UniLinkDb db, CancellationToken ct)
    {
        var stats = await db.DashboardApps.GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), LastUpdate = (DateTime?)g.Max(a => a.UpdatedAt) })
            .FirstOrDefaultAsync(ct);
        var version = (stats?.Count ?? 0, stats?.LastUpdate);
        lock (_gate)
        {
            if (version == _version) return _header;
        }
        var apps = await db.DashboardApps.Select(a => new { a.Content, a.ExtraFrameOrigins }).ToListAsync(ct);
        var origins = apps.SelectMany(a => AppOrigins(a.Content, a.ExtraFrameOrigins)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var header = $"frame-src 'self' {string.Join(' ', origins)}".TrimEnd() + "; frame-ancestors 'self'";
        lock (_gate)
        {
            _version = version;
            _header = header;
        }
        return header;
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

public static class FrameSourcePolicyMiddleware
{
    private const string SandboxPathSuffix = "/settings/integrations/dashboard_apps/sandbox";
    private const string SandboxHeader = "frame-src 'self' http: https:; frame-ancestors 'self'";

    /// <summary>Adds the policy to every dashboard page (<c>/app/…</c>).</summary>
    public static IApplicationBuilder UseFrameSourcePolicy(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/app") && HttpMethods.IsGet(context.Request.Method))
            {
                // The app sandbox (administrators only) exists to load pages that are not registered apps yet.
                var header = context.Request.Path.Value!.EndsWith(SandboxPathSuffix, StringComparison.Ordinal)
                    ? SandboxHeader
                    : await context.RequestServices.GetRequiredService<FrameSourcePolicy>()
                        .HeaderAsync(context.RequestServices.GetRequiredService<UniLinkDb>(), context.RequestAborted);
                context.Response.Headers.ContentSecurityPolicy = header;
            }
            await next(context);
        });
}
