using Microsoft.AspNetCore.Antiforgery;

namespace UniLink.Infrastructure.Auth;

/// <summary>
/// A write that rides on the dashboard's session cookie must come from the dashboard's own pages. SameSite=Lax stops
/// other sites, but not a page on the same site (another port of the host, a sibling sub-domain, a dashboard app on
/// the company's domain): the browser's <c>Sec-Fetch-Site</c>, or failing that <c>Origin</c>, must say same-origin.
/// Token-authenticated clients (which no browser sends by itself) and the dashboard's forms, which carry an
/// antiforgery token, are not concerned; neither are reads.
/// </summary>
public static class CrossSiteWriteGuard
{
    public static IApplicationBuilder UseCrossSiteWriteGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!RidesOnTheSessionCookie(context.Request) || ValidatedByAntiforgery(context))
            {
                await next(context);
                return;
            }
            if (!FromOwnOrigin(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new
                {
                    error = "Cross-site request refused: a write with the session cookie must come from the dashboard's own origin "
                            + "(use an api_access_token header from other programs)",
                }, WireJson.Options, context.RequestAborted);
                return;
            }
            // A body no form or simple cross-site request can send: JSON (or files), never text/plain dressed as JSON.
            if (context.Request.ContentType is { } type && type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                await context.Response.WriteAsJsonAsync(new { error = "Content-Type text/plain is not accepted: send application/json" },
                    WireJson.Options, context.RequestAborted);
                return;
            }
            await next(context);
        });

    private static bool RidesOnTheSessionCookie(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        && !request.Path.StartsWithSegments("/public") // anonymous: the session plays no part there
        && request.Cookies.ContainsKey(AuthSetup.CookieName)
        && !ApiTokenHandler.HasToken(request.HttpContext);

    private static bool ValidatedByAntiforgery(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: true };

    private static bool FromOwnOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site == "same-origin";
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && (string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
            || string.Equals(origin, PublicOrigin.Of(request), StringComparison.OrdinalIgnoreCase));
    }
}
