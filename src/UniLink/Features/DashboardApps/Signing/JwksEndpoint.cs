namespace UniLink.Features.DashboardApps.Signing;

public static class JwksEndpoint
{
    /// <summary>
    /// <c>GET /.well-known/jwks.json</c>: the public keys of context tokens, for app servers (anyone may read it, also
    /// from a browser on another origin).
    /// </summary>
    public static void MapContextSigningKeys(this IEndpointRouteBuilder app) =>
        app.MapGet(AppSdk.SignedContext.JwksPath, async (HttpContext http, ContextSigningKeys keys, CancellationToken ct) =>
            {
                http.Response.Headers.CacheControl = "public, max-age=300";
                http.Response.Headers.AccessControlAllowOrigin = "*";
                return TypedResults.Text(await keys.JwksAsync(ct), "application/json");
            })
            .AllowAnonymous()
            .WithName("context-signing-keys")
            .WithSummary("The public keys (JWKS) that verify dashboard apps' context tokens");
}
