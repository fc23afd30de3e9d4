// Webhook delivery benchmark: N endpoints (real Kestrel receivers on loopback) subscribed to message_created, a
// steady stream of messages POSTed to UniLink, and for every (message, endpoint) the time from the POST's
// acknowledgement (the event is committed by then) to the receiver getting it; lost and duplicated counts; the
// server's CPU time per 1,000 deliveries (from /proc/PID/stat).
// Usage: Webhooks <unilink base url> <api token> <server pid> <seconds> <events per second> <endpoints> [warm-up seconds]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var baseUrl = args[0];
var token = args[1];
var pid = int.Parse(args[2], CultureInfo.InvariantCulture);
var seconds = int.Parse(args[3], CultureInfo.InvariantCulture);
var rate = int.Parse(args[4], CultureInfo.InvariantCulture);
var endpoints = int.Parse(args[5], CultureInfo.InvariantCulture);
var warmup = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 0;

var clock = Stopwatch.StartNew();
var received = new ConcurrentDictionary<(int Endpoint, int Message), List<double>>();
var keys = new ConcurrentDictionary<(int Endpoint, int Message), ConcurrentDictionary<string, byte>>();

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(Enumerable.Range(0, endpoints).Select(_ => "http://127.0.0.1:0").ToArray());
var receiver = builder.Build();
receiver.MapPost("/hook/{endpoint:int}", async (int endpoint, HttpContext http) =>
{
    var at = clock.Elapsed.TotalMilliseconds;
    var json = await JsonNode.ParseAsync(http.Request.Body);
    if (json?["event"]?.GetValue<string>() == "message_created" && json["id"] is { } id)
    {
        var key = (endpoint, id.GetValue<int>());
        var list = received.GetOrAdd(key, _ => []);
        lock (list) list.Add(at);
        keys.GetOrAdd(key, _ => new())[http.Request.Headers["X-Chatwoot-Delivery"].ToString()] = 0;
    }
    return Results.Ok();
});
await receiver.StartAsync();
var address = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
http.DefaultRequestHeaders.Add("api_access_token", token);
var account = (await http.GetFromJsonAsync<JsonObject>("/api/v1/profile"))!["account_id"]!.GetValue<int>();
string P(string rest) => $"/api/v1/accounts/{account}/{rest}";
for (var e = 0; e < endpoints; e++)
    (await http.PostAsJsonAsync(P("webhooks"), new { url = $"{address}/hook/{e}", subscriptions = new[] { "message_created" } })).EnsureSuccessStatusCode();
var inbox = (await (await http.PostAsJsonAsync(P("inboxes"), new { name = "Bench", channel = new { type = "api" } })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<int>();
var contact = (await (await http.PostAsJsonAsync(P("contacts"), new { name = "Bench" })).Content.ReadFromJsonAsync<JsonObject>())!["payload"]!["contact"]!["id"]!.GetValue<int>();
var conversations = new List<int>();
for (var c = 0; c < 20; c++)
    conversations.Add((await (await http.PostAsJsonAsync(P("conversations"), new { inbox_id = inbox, contact_id = contact })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<int>());

static double CpuSeconds(int pid)
{
    var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

// Sends `total` message POSTs at `rate` a second; the acknowledged message ids with the clock when each POST answered.
async Task<(ConcurrentDictionary<int, double> Acked, int Failed, double Seconds)> SendAsync(int total)
{
    var acked = new ConcurrentDictionary<int, double>();
    var sends = new List<Task>();
    var failed = 0;
    var start = clock.Elapsed.TotalMilliseconds;
    for (var i = 0; i < total; i++)
    {
        var due = start + i * 1000.0 / rate;
        var wait = due - clock.Elapsed.TotalMilliseconds;
        if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait));
        var conversation = conversations[i % conversations.Count];
        var n = i;
        sends.Add(Task.Run(async () =>
        {
            var response = await http.PostAsJsonAsync(P($"conversations/{conversation}/messages"), new { content = $"bench {n}" });
            var at = clock.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref failed); return; }
            var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<int>();
            acked[id] = at;
        }));
    }
    await Task.WhenAll(sends);
    return (acked, failed, (clock.Elapsed.TotalMilliseconds - start) / 1000);
}

// Waits until every acknowledged message reached every endpoint, 60 s at most.
async Task DrainAsync(ConcurrentDictionary<int, double> acked)
{
    var expected = acked.Count * endpoints;
    for (var w = 0; w < 600 && acked.Keys.Sum(id => Enumerable.Range(0, endpoints).Count(e => received.ContainsKey((e, id)))) < expected; w++) await Task.Delay(100);
}

// A fresh process compiles its code as it first runs (the JIT): a warm-up at the same rate, not counted, comes first.
if (warmup > 0)
{
    Console.Error.WriteLine($"warm-up: {rate} events/s for {warmup} s");
    await DrainAsync((await SendAsync(rate * warmup)).Acked);
}
Console.Error.WriteLine($"{endpoints} endpoints at {address}, {rate} events/s for {seconds} s");
var cpuBefore = CpuSeconds(pid);
var benchCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
var loadBefore = File.ReadAllText("/proc/loadavg").Split(' ')[0];
var (acked, failedPosts, sentFor) = await SendAsync(rate * seconds);
var expected = acked.Count * endpoints;
await DrainAsync(acked);
var cpuAfter = CpuSeconds(pid);
var benchCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - benchCpuBefore;
var loadAfter = File.ReadAllText("/proc/loadavg").Split(' ')[0];

var latencies = new List<double>();
int lost = 0, duplicated = 0, resent = 0;
foreach (var (id, at) in acked)
    for (var e = 0; e < endpoints; e++)
    {
        if (!received.TryGetValue((e, id), out var times)) { lost++; continue; }
        lock (times)
        {
            latencies.Add(times.Min() - at);
            if (times.Count > 1) resent += times.Count - 1;
        }
        if (keys[(e, id)].Count > 1) duplicated++;
    }
latencies.Sort();
double Pct(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p / 100 * latencies.Count) - 1)];
var deliveries = latencies.Count + resent;
var cpuPer1000 = deliveries == 0 ? double.NaN : (cpuAfter - cpuBefore) / deliveries * 1000;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {acked.Count} events ({failedPosts} POSTs refused) in {sentFor:F0} s to {endpoints} endpoints = {expected} deliveries | p50 {Pct(50):F0} ms, p95 {Pct(95):F0} ms, p99 {Pct(99):F0} ms, max {Pct(100):F0} ms | lost {lost}, sent twice (same delivery id) {resent}, a second delivery id {duplicated} | {cpuAfter - cpuBefore:F1} CPU s, {cpuPer1000:F2} CPU s per 1,000 deliveries; the bench's client and receivers {benchCpu:F1} CPU s; load average {loadBefore} → {loadAfter} |"));
await receiver.StopAsync();
