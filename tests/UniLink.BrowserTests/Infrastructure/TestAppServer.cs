using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace UniLink.BrowserTests.Infrastructure;

/// <summary>
/// Dashboard apps written as the reference's docs tell app authors to, served from their own origin
/// (another loopback port). Each page records every message it receives in <c>window.received</c>.
/// <c>/app?mode=…</c>: <c>listen</c> (the documented listener only), <c>early</c> (fetch-info on script
/// start), <c>json</c> (fetch-info as JSON text), <c>object</c> (fetch-info as an object), <c>garbage</c>
/// (posts malformed messages to the host). <c>/away</c> is a page to navigate to, <c>/redirect?to=URL</c> a 302 to URL.
/// <c>xfo=…</c> and <c>csp=…</c>
/// make the page answer with that X-Frame-Options / Content-Security-Policy header.
/// </summary>
public sealed class TestAppServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    public Uri Origin { get; }

    private TestAppServer(WebApplication app, Uri origin)
    {
        _app = app;
        Origin = origin;
    }

    public string Url(string path) => new Uri(Origin, path).ToString();

    /// <summary>Starts the apps on <paramref name="port"/> (0: any free port).</summary>
    public static async Task<TestAppServer> StartAsync(Action<WebApplication>? extra = null, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/app", (HttpContext ctx) =>
        {
            if (ctx.Request.Query["xfo"].ToString() is { Length: > 0 } xfo) ctx.Response.Headers.XFrameOptions = xfo;
            if (ctx.Request.Query["csp"].ToString() is { Length: > 0 } csp) ctx.Response.Headers.ContentSecurityPolicy = csp;
            return Results.Content(AppPage(ctx.Request.Query["mode"].ToString()), "text/html");
        });
        app.MapGet("/away", () => Results.Content(AppPage("listen"), "text/html"));
        // A sign-in hop as SSO does it: a 302 to wherever `to` says (another origin, or back to the app).
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        extra?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestAppServer(app, new Uri(address));
    }

    private static string AppPage(string mode) => $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Test app</title></head>
        <body>
        <h1>Test app ({{WebUtility.HtmlEncode(mode)}})</h1>
        <script>
          window.received = [];
          window.addEventListener('message', function (event) {
            var entry = { origin: event.origin, type: typeof event.data };
            try { entry.data = JSON.parse(event.data); } catch (e) { entry.raw = String(event.data); }
            window.received.push(entry);
          });
          window.fetchInfo = function () { window.parent.postMessage('chatwoot-dashboard-app:fetch-info', '*'); };
          var mode = {{System.Text.Json.JsonSerializer.Serialize(mode)}};
          if (mode === 'early') window.fetchInfo();
          if (mode === 'json') window.parent.postMessage(JSON.stringify({ event: 'chatwoot-dashboard-app:fetch-info' }), '*');
          if (mode === 'object') window.parent.postMessage({ event: 'chatwoot-dashboard-app:fetch-info' }, '*');
          if (mode === 'garbage') {
            [null, 42, '', '{', '{"event":', { event: 7 }, [1, 2], 'chatwoot-dashboard-app:fetch-infox',
             JSON.stringify({ event: 'unilink:action' }), { event: 'unilink:resize', height: 'tall' }]
              .forEach(function (m) { window.parent.postMessage(m, '*'); });
          }
        </script>
        </body></html>
        """;

    /// <summary>A loopback port nothing listens on (just released by the operating system).</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
