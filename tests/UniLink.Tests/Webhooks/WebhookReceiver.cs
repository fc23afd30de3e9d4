using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace UniLink.Tests.Webhooks;

/// <summary>What a receiver got: the raw body and the headers, as the receiving integration sees them.</summary>
public sealed record ReceivedRequest(DateTime At, string Body, IReadOnlyDictionary<string, string> Headers, int Status)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    public string Event => Json["event"]!.GetValue<string>();
    public string Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : "";
}

/// <summary>
/// A real HTTP endpoint on a loopback port that records every POST. <see cref="Respond"/> decides each answer
/// (by the request's number, from 1): a status code, or -1 to hang until the caller gives up.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private int _count;
    public Func<int, int> Respond { get; set; } = _ => 200;
    /// <summary>How long the receiver takes before it answers (a slow endpoint).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;
    public string Url { get; }

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<WebhookReceiver> StartAsync(string path = "/hook")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        WebhookReceiver? self = null;
        app.MapPost(path, async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            var n = Interlocked.Increment(ref self!._count);
            var status = self.Respond(n);
            self._received.Enqueue(new ReceivedRequest(DateTime.UtcNow, body, headers, status));
            if (self.Delay > TimeSpan.Zero) await Task.Delay(self.Delay);
            if (status < 0)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(30), http.RequestAborted); } catch (OperationCanceledException) { }
                return;
            }
            http.Response.StatusCode = status;
            await http.Response.WriteAsync($"answer {n}");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookReceiver(app, address + path);
        return self;
    }

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>Waits until <paramref name="done"/> holds for what was received (10 s at most, then fails).</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(Func<IReadOnlyList<ReceivedRequest>, bool> done, int seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            var got = Received;
            if (done(got)) return got;
            await Task.Delay(50);
        }
        var final = Received;
        Assert.True(done(final), $"the receiver got {final.Count} request(s): {string.Join(", ", final.Select(r => r.Event))}");
        return final;
    }

    public Task<IReadOnlyList<ReceivedRequest>> WaitForEventAsync(string evt, int count = 1) =>
        WaitForAsync(r => r.Count(x => x.Event == evt) >= count);

    /// <summary>
    /// Checks the signature as a receiver would, written apart from UniLink's code: HMAC-SHA256 over
    /// "{X-Chatwoot-Timestamp}.{raw body}" with the secret, hex, after "sha256=".
    /// </summary>
    public static bool SignatureValid(ReceivedRequest r, string secret)
    {
        var signed = r.Header("X-Chatwoot-Timestamp") + "." + r.Body;
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var hex = BitConverter.ToString(hmac.ComputeHash(Encoding.UTF8.GetBytes(signed))).Replace("-", "").ToLowerInvariant();
        var header = r.Header("X-Chatwoot-Signature");
        return header.StartsWith("sha256=", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(header[7..]), Encoding.ASCII.GetBytes(hex));
    }

    public async ValueTask DisposeAsync()
    {
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1))) await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
