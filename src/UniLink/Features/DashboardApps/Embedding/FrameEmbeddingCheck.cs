using System.Collections.Concurrent;
using System.Net.Http.Headers;
using UniLink.Infrastructure.Outbound;

namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>
/// Asks an app's page, from the server, whether it lets the dashboard frame it. The browser cannot tell the
/// dashboard: Chromium fires <c>load</c> for a frame it refused to show, and hides the reason from the page.
/// The server may not reach every app an agent's browser can (an intranet app, or any private address unless the
/// operator allows them): then the answer is "unknown" and the browser's own checks (connection, timeout) decide.
/// Redirects are followed only within the app's own origin, through the guarded outbound client. A verdict is kept
/// for a few seconds and shared by every caller asking for the same page meanwhile, so many dashboards (or one caller
/// asking many times) make one request.
/// </summary>
public sealed class FrameEmbeddingCheck(IHttpClientFactory clients, TimeProvider clock)
{
    private const int MaxRedirects = 5;
    private static readonly TimeSpan VerdictLifetime = TimeSpan.FromSeconds(10);
    // Lazy: a ConcurrentDictionary may run a value factory more than once when callers race; the request runs once.
    private readonly ConcurrentDictionary<(Uri Url, Uri Dashboard), (Lazy<Task<FrameEmbeddingVerdict>> Verdict, DateTimeOffset Until)> _recent = new();

    public Task<FrameEmbeddingVerdict> CheckAsync(Uri url, Uri dashboardOrigin, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var (key, entry) in _recent)
            if (entry.Until < now) _recent.TryRemove(key, out _);
        var shared = _recent.AddOrUpdate((url, dashboardOrigin),
            _ => (new(() => AskAsync(url, dashboardOrigin)), now + VerdictLifetime),
            (_, entry) => entry.Until >= now ? entry : (new(() => AskAsync(url, dashboardOrigin)), now + VerdictLifetime));
        return shared.Verdict.Value.WaitAsync(ct);
    }

    private async Task<FrameEmbeddingVerdict> AskAsync(Uri url, Uri dashboardOrigin)
    {
        var ct = CancellationToken.None; // shared by every caller: not ended by the one that started it
        var client = clients.CreateClient(OutboundHttp.ClientName);
        var origin = url.GetLeftPart(UriPartial.Authority);
        try
        {
            for (var hop = 0; hop <= MaxRedirects; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
                request.Headers.TryAddWithoutValidation("Sec-Fetch-Dest", "iframe");
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    // Off the registered origin (another host, port or scheme, file:, …) the server does not go.
                    if (next.Scheme is not ("http" or "https") || next.GetLeftPart(UriPartial.Authority) != origin) return new(null, null);
                    url = next;
                    continue;
                }
                var refusal = FrameAncestorsRules.Refusal(url, dashboardOrigin,
                    response.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp : [],
                    response.Headers.TryGetValues("X-Frame-Options", out var xfo) ? xfo : []);
                return refusal is null ? new(true, null) : new(false, $"The app does not allow UniLink to show it: {refusal}.");
            }
            return new(null, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new(null, null);
        }
    }
}

/// <summary><c>embeddable</c>: true, false (with the reason an agent can pass on), or null when the server could not ask.</summary>
public sealed record FrameEmbeddingVerdict(bool? Embeddable, string? Reason);
