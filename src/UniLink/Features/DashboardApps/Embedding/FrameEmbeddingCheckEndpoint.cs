using System.Security.Claims;

namespace UniLink.Features.DashboardApps.Embedding;

public static class FrameEmbeddingCheckEndpoint
{
    public static IServiceCollection AddFrameEmbeddingCheck(this IServiceCollection services)
    {
        services.AddSingleton<FrameEmbeddingCheck>();
        return services;
    }

    /// <summary>
    /// <c>GET /app/embedding/check?url=…&amp;origin=…</c> for the dashboard's own script (session cookie): only URLs on the
    /// origin of an app registered in one of the caller's accounts, so it cannot be used to make the server fetch anything else.
    /// </summary>
    public static IEndpointRouteBuilder MapFrameEmbeddingCheck(this IEndpointRouteBuilder app)
    {
        app.MapGet("/app/embedding/check", async (string? url, string? origin, ClaimsPrincipal user, UniLinkDb db, FrameEmbeddingCheck check, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(url)) return ApiErrors.MissingParam("url");
            if (string.IsNullOrEmpty(origin)) return ApiErrors.MissingParam("origin");
            if (FrameSourcePolicy.OriginOf(url) is not { } appOrigin) return ApiErrors.Invalid("url must be an absolute http(s) URL", "url");
            if (FrameSourcePolicy.OriginOf(origin) is not { } dashboardOrigin) return ApiErrors.Invalid("origin must be an http(s) origin", "origin");
            if (user.UserId() is not { } userId) return ApiErrors.NotAllowed();
            var contents = await db.DashboardApps
                .Where(a => db.AccountUsers.Any(m => m.UserId == userId && m.AccountId == a.AccountId))
                .Select(a => a.Content).ToListAsync(ct);
            if (!contents.SelectMany(FrameSourcePolicy.FrameOrigins).Contains(appOrigin)) return ApiErrors.NotFound();
            return TypedResults.Json(await check.CheckAsync(new Uri(url), new Uri(dashboardOrigin), ct), WireJson.Options);
        }).RequireRateLimiting(RateLimits.ServerFetch)
        .ExcludeFromDescription(); // the dashboard's own, not part of the API
        return app;
    }
}
