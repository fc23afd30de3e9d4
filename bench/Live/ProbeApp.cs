using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace UniLink.Bench.Live;

/// <summary>
/// A dashboard app on its own origin that timestamps, in the frame itself, every <c>appContext</c> it receives
/// (<c>performance.timeOrigin + performance.now()</c>, the clock the dashboard page also reads), and measures
/// fetch-info round trips entirely inside the frame.
/// </summary>
public sealed class ProbeApp(WebApplication app) : IAsyncDisposable
{
    public static async Task<ProbeApp> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/app", () => Results.Content(Page, "text/html"));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        await app.StartAsync();
        return new ProbeApp(app);
    }

    private const string Page = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Probe</title></head>
        <body><h1>Probe app</h1>
        <script>
          window.arrivals = [];   // {at, last}: when each appContext arrived, and its newest message's content
          const waiters = [];
          window.addEventListener('message', event => {
            const now = performance.now();
            let message;
            try { message = typeof event.data === 'string' ? JSON.parse(event.data) : event.data; } catch { return; }
            if (!message || message.event !== 'appContext') return;
            const messages = message.data.conversation.messages;
            window.arrivals.push({ at: performance.timeOrigin + now, last: messages.length ? messages[messages.length - 1].content : null });
            const waiter = waiters.shift();
            if (waiter) waiter(now);
          });
          // n fetch-info requests one after the other; each round trip is posting the request -> appContext received.
          window.fetchInfoRoundTrips = async n => {
            const times = [];
            for (let i = 0; i < n; i++) {
              const answered = new Promise(resolve => waiters.push(resolve));
              const start = performance.now();
              window.parent.postMessage('chatwoot-dashboard-app:fetch-info', '*');
              times.push((await answered) - start);
            }
            return times;
          };
        </script>
        </body></html>
        """;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
