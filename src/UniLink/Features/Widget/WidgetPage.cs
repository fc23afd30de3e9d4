using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace UniLink.Features.Widget;

/// <summary>
/// <c>GET /widget?website_token=…</c>: the page the loader frames (the reference's path). Plain HTML, one script and one
/// style sheet from UniLink, the inbox's public settings inline as JSON data. Only the inbox's allowed domains may frame
/// it: <c>frame-ancestors</c> for the browser, and a refusal when the request names another embedding page.
/// <c>/widget/live</c> is the visitor's WebSocket (<see cref="WidgetLive"/>).
/// </summary>
public static class WidgetPage
{
    private static readonly JsonSerializerOptions HtmlSafeJson = new(WireJson.Options) { Encoder = JavaScriptEncoder.Default };

    public static void MapWidgetPage(WebApplication app)
    {
        app.MapGet("/widget", async (HttpContext context, WidgetVisitors visitors, CancellationToken ct) =>
        {
            var response = context.Response;
            if (await visitors.WebsiteAsync(context.Request.Query["website_token"], ct) is not { } inbox)
                return TypedResults.Content(Page("Chat", "<p>This chat does not exist (unknown website token).</p>"), "text/html; charset=utf-8", statusCode: 404);
            if (!EmbeddingAllowed(inbox, context.Request))
                return TypedResults.Content(Page("Chat", "<p>This site may not show this chat.</p>"), "text/html; charset=utf-8", statusCode: 403);
            response.Headers.ContentSecurityPolicy = Policy(inbox);
            response.Headers.CacheControl = "no-store";
            var config = JsonSerializer.Serialize(WidgetConfig.Of(inbox, PublicOrigin.Of(context.Request)), HtmlSafeJson);
            var version = typeof(WidgetPage).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..8];
            return TypedResults.Content(Page(WebUtility.HtmlEncode(inbox.Name),
                $"""<script type="application/json" id="cw-config">{config}</script><script src="/widget/widget.js?v={version}"></script>""",
                $"""<link rel="stylesheet" href="/widget/widget.css?v={version}">"""), "text/html; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();

        var live = ((IEndpointRouteBuilder)app).CreateApplicationBuilder();
        live.UseWebSockets();
        live.Run(context => context.RequestServices.GetRequiredService<WidgetLive>().HandleAsync(context));
        app.Map("/widget/live", live.Build()).AllowAnonymous().ExcludeFromDescription();
    }

    private static string Page(string title, string body, string head = "") =>
        $"""<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title>{head}</head><body>{body}</body></html>""";

    /// <summary>Frames only from the allowed domains (any port, the page's scheme), or from anywhere when none is set.</summary>
    private static string Policy(Inbox inbox)
    {
        var domains = WidgetSettings.Domains(inbox.AllowedDomains);
        var ancestors = domains.Count == 0 ? "*" : "'self' " + string.Join(' ', domains.Select(d => d + ":*"));
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; connect-src 'self'; "
               + $"frame-ancestors {ancestors}; base-uri 'none'; form-action 'none'";
    }

    /// <summary>
    /// The server's own check: a request that says which page frames it (<c>Referer</c>, sent by browsers as the page's
    /// origin at least) must come from an allowed domain or UniLink itself (the popout). Without one, the browser's
    /// <c>frame-ancestors</c> check is what stands.
    /// </summary>
    private static bool EmbeddingAllowed(Inbox inbox, HttpRequest request)
    {
        var referer = request.Headers.Referer.ToString();
        if (referer.Length == 0 || WidgetSettings.Domains(inbox.AllowedDomains).Count == 0) return true;
        if (Uri.TryCreate(referer, UriKind.Absolute, out var r) && string.Equals(r.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)) return true;
        return WidgetSettings.Allows(inbox.AllowedDomains, referer);
    }
}
