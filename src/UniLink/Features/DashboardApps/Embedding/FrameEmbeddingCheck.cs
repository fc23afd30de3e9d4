using System.Net.Http.Headers;

namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>
/// Asks an app's page, from the server, whether it lets the dashboard frame it. The browser cannot tell the
/// dashboard: Chromium fires <c>load</c> for a frame it refused to show, and hides the reason from the page.
/// The server may not reach every app an agent's browser can (an intranet app): then the answer is "unknown"
/// and the browser's own checks (connection, timeout) decide.
/// </summary>
public sealed class FrameEmbeddingCheck(IHttpClientFactory clients)
{
    public const string ClientName = "frame-embedding-check";

    public async Task<FrameEmbeddingVerdict> CheckAsync(Uri url, Uri dashboardOrigin, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Dest", "iframe");
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var finalUrl = response.RequestMessage?.RequestUri ?? url;
            var refusal = FrameAncestorsRules.Refusal(finalUrl, dashboardOrigin,
                response.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp : [],
                response.Headers.TryGetValues("X-Frame-Options", out var xfo) ? xfo : []);
            return refusal is null ? new(true, null) : new(false, $"The app does not allow UniLink to show it: {refusal}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new(null, null);
        }
    }
}

/// <summary><c>embeddable</c>: true, false (with the reason an agent can pass on), or null when the server could not ask.</summary>
public sealed record FrameEmbeddingVerdict(bool? Embeddable, string? Reason);
