using System.Globalization;
using System.Security.Cryptography;
using UniLink.Features.DashboardApps.Embedding;

namespace UniLink.Infrastructure.Http;

/// <summary>
/// Headers on every response: no MIME sniffing, a referrer policy, and nobody else may frame UniLink. Dashboard pages
/// (<c>/app/…</c>) get a whole Content-Security-Policy: scripts only from UniLink (inline ones with the request's
/// nonce, <see cref="NonceOf"/>), no plugins, no <c>&lt;base&gt;</c> or form targets elsewhere, and frames only from the
/// apps of the account the page belongs to — for a signed-in member of it; anyone else gets no frames at all.
/// A response that sets its own policy (a served file) keeps it.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "unilink-csp-nonce";
    private const string SandboxPathSuffix = "/settings/integrations/dashboard_apps/sandbox";

    /// <summary>The nonce this request's inline scripts carry.</summary>
    public static string NonceOf(HttpContext context) => context.Items[NonceKey] as string ?? "";

    /// <summary>The headers every response gets (first in the pipeline, so static files and errors have them too).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            context.Response.OnStarting(() =>
            {
                if (!headers.ContainsKey("Content-Security-Policy")) headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                return Task.CompletedTask;
            });
            return next(context);
        });

    /// <summary>The dashboard pages' policy; after authentication, which it needs to know the account's members.</summary>
    public static IApplicationBuilder UseDashboardContentSecurityPolicy(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/app") && !context.Request.Path.StartsWithSegments("/app/embedding")
                && HttpMethods.IsGet(context.Request.Method))
            {
                var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)); // hex: nothing for HTML to encode in the attribute
                context.Items[NonceKey] = nonce;
                context.Response.Headers.ContentSecurityPolicy = await DashboardPolicyAsync(context, nonce);
            }
            await next(context);
        });

    private static async Task<string> DashboardPolicyAsync(HttpContext context, string nonce)
    {
        var own = $"{context.Request.Scheme}://{context.Request.Host}";
        string frames;
        if (context.Request.Path.Value!.EndsWith(SandboxPathSuffix, StringComparison.Ordinal))
            frames = "http: https:"; // the app sandbox (administrators only) loads pages that are not registered apps yet
        else
        {
            var origins = await AppOriginsForMemberAsync(context);
            var others = origins.Where(o => !string.Equals(o, own, StringComparison.OrdinalIgnoreCase)).ToList();
            frames = others.Count == 0 ? "'none'" : string.Join(' ', others);
        }
        // The dashboard checks from the browser that an app's origin answers (a no-cors fetch): connect-src names them too.
        var connect = frames == "'none'" ? "'self'" : $"'self' {frames}";
        return $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
               + "img-src 'self' data: blob: http: https:; media-src 'self' blob: http: https:; font-src 'self' data:; "
               + $"connect-src {connect}; frame-src {frames}; frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";
    }

    private static async Task<IReadOnlyList<string>> AppOriginsForMemberAsync(HttpContext context)
    {
        if (context.User.UserId() is not { } userId || DashboardPaths.AccountIdOf(context.Request.Path.Value) is not { } accountId) return [];
        var db = context.RequestServices.GetRequiredService<UniLinkDb>();
        if (!await db.AccountUsers.AnyAsync(m => m.AccountId == accountId && m.UserId == userId, context.RequestAborted)) return [];
        return await context.RequestServices.GetRequiredService<FrameSourcePolicy>().AppOriginsAsync(db, accountId, context.RequestAborted);
    }
}
