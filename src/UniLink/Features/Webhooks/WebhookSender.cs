using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using UniLink.Infrastructure.Outbound;

namespace UniLink.Features.Webhooks;

/// <summary>What one attempt got: a status (null when no answer came), the first KiB of the body, or why it failed.</summary>
public sealed record AttemptResult(int? StatusCode, int DurationMs, string? Response, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// POSTs one payload, signed as the reference signs: <c>X-Chatwoot-Signature: sha256=hex(HMAC-SHA256(secret,
/// "{timestamp}.{body}"))</c>, <c>X-Chatwoot-Timestamp</c> (unix seconds) and <c>X-Chatwoot-Delivery</c>.
/// Every attempt goes through the guarded outbound client (public addresses only, no redirects); 5 s per attempt.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, DashboardApps.Events.AppEventSigning appSigning)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static string Sign(string secret, long timestamp, string body) => Sign(secret, timestamp, Encoding.UTF8.GetBytes(body));

    /// <summary>The signature over <c>"{timestamp}.{body}"</c>, from the body's bytes as sent (encoded once per attempt).</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> prefix = stackalloc byte[24];
        timestamp.TryFormat(prefix, out var n, provider: CultureInfo.InvariantCulture);
        prefix[n++] = (byte)'.';
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix[..n]);
        hmac.AppendData(body);
        Span<byte> mac = stackalloc byte[32];
        hmac.GetHashAndReset(mac);
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    /// <param name="app">A Dashboard App's server: signed with its headers (<see cref="DashboardApps.Events.AppEventSigning"/>) instead.</param>
    public async Task<AttemptResult> SendAsync(string url, string secret, string deliveryKey, string body, CancellationToken stopping,
        DashboardApps.Events.AppEventTarget? app = null)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(Timeout);
        try
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var bytes = Encoding.UTF8.GetBytes(body);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            if (app is not null) await appSigning.AddHeadersAsync(request, app, deliveryKey, timestamp, body, timeout.Token);
            else
            {
                request.Headers.TryAddWithoutValidation("X-Chatwoot-Signature", Sign(secret, timestamp, bytes));
                request.Headers.TryAddWithoutValidation("X-Chatwoot-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
                request.Headers.TryAddWithoutValidation("X-Chatwoot-Delivery", deliveryKey);
            }
            using var response = await clients.CreateClient(OutboundHttp.ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ReadExcerptAsync(response, timeout.Token);
            return new AttemptResult((int)response.StatusCode, (int)watch.ElapsedMilliseconds, excerpt, null);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return new AttemptResult(null, (int)watch.ElapsedMilliseconds, null, "timed out after 5 s");
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or UriFormatException or IOException)
        {
            var why = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            return new AttemptResult(null, (int)watch.ElapsedMilliseconds, null, Truncate(why, 1024));
        }
    }

    /// <summary>The first KiB of the answer as text; the rest is not read.</summary>
    private static async Task<string?> ReadExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[1024];
            var read = 0;
            while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n && n > 0) read += n;
            if (read == 0) return null;
            return Encoding.UTF8.GetString(buffer, 0, read).Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or HttpRequestException) { return null; }
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
