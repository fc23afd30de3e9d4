using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UniLink.Bench.Live;

// The live path, fetch-info and memory benchmarks against a running UniLink (started by bench/live):
//   Live --url U --pid P --token T --email E --password W --app-port N --agents 200 --samples 100 --out live.md
// 1. `agents` dashboard sessions: Chromium pages signed in, each on a conversation page (a live Blazor circuit).
// 2. A separate Chromium with one more agent on conversation #1 and the probe app's tab open.
// 3. Messages POSTed to /api/v1 from that agent's page (fetch, timed on the page's clock; `samples` of them, at most
//    `live-seconds` long) until the app frame
//    received the appContext holding them (timed in the frame, same clock): the live path.
// 4. fetch-info round trips timed inside the frame. 5. The server's working set (/proc/P/status) throughout.
var opts = Options.Parse(args);
var inv = CultureInfo.InvariantCulture;
var total = Stopwatch.StartNew();
void Log(string s) => Console.WriteLine($"[{total.Elapsed.TotalSeconds,6:0.0}s] {s}");

using var api = new HttpClient { BaseAddress = new Uri(opts.Url) };
api.DefaultRequestHeaders.Add("api_access_token", opts.Token);
var appUrl = $"http://127.0.0.1:{opts.AppPort}/app";
var created = await api.PostAsJsonAsync("/api/v1/accounts/1/dashboard_apps",
    new { title = "Probe", content = new[] { new { type = "frame", url = appUrl } } });
created.EnsureSuccessStatusCode();
var appId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<int>();
var list = JsonNode.Parse(await api.GetStringAsync("/api/v1/accounts/1/conversations?status=all"))!;
var conversations = list["data"]!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()).Order().ToList();
var measured = conversations[0];
Log($"probe app {appId} at {appUrl}; {conversations.Count} conversations; measuring #{measured}");

await using var probe = await ProbeApp.StartAsync(opts.AppPort);
using var memory = new MemorySampler(opts.Pid);
using var playwright = await Playwright.CreateAsync();
string[] flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"];
// The other agents share renderer processes (memory), but are never throttled: they stay live dashboards.
var chromiumBefore = AgentsPriority.ChromiumProcesses();
await using var agentsBrowser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium", Headless = true,
    Args = [.. flags, "--renderer-process-limit=24", "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
        "--disable-backgrounding-occluded-windows"],
});
var agentsPriority = opts.AgentsAtLowPriority ? AgentsPriority.Lower(chromiumBefore) : "equal CPU priority (as asked)";
Log($"the other agents' Chromium: {agentsPriority}");
await using var agentsContext = await agentsBrowser.NewContextAsync(new() { BaseURL = opts.Url });
agentsContext.SetDefaultTimeout(120_000);
var first = await agentsContext.NewPageAsync();
await SignInAsync(first, opts);
await first.CloseAsync();

var rssBefore = memory.CurrentMiB();
Log($"server working set before the agents: {rssBefore:0} MiB; opening {opts.Agents} agent dashboards…");
var agentPages = new IPage[opts.Agents];
var opening = Stopwatch.StartNew();
using (var gate = new SemaphoreSlim(8))
{
    await Task.WhenAll(Enumerable.Range(0, opts.Agents).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            var page = await agentsContext.NewPageAsync();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await page.GotoAsync($"/app/accounts/1/conversations/{conversations[i % conversations.Count]}");
                    await page.Locator("[data-circuit=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                    break;
                }
                catch (PlaywrightException e) when (attempt < 3)
                {
                    Log($"agent {i}: {e.Message.Split('\n')[0]}; opening it again");
                }
            }
            agentPages[i] = page;
        }
        finally { gate.Release(); }
    }));
}
Log($"{opts.Agents} agent dashboards live in {opening.Elapsed.TotalSeconds:0} s");
var agentsCpuBefore = AgentsPriority.ChromiumCpuSeconds();
await Task.Delay(5_000); // let start-up garbage settle before reading the working set
var agentsIdleCpu = (AgentsPriority.ChromiumCpuSeconds() - agentsCpuBefore) / 5 * 100;
Log($"the {opts.Agents} agents' Chromium, idle: {agentsIdleCpu:0}% of a core");
var rssConnected = memory.CurrentMiB();
Log($"server working set with {opts.Agents} agents: {rssConnected:0} MiB");
File.WriteAllLines(opts.Out, [
    $"| live path, {opts.Agents} other agents connected | did not finish | p95 < 250 ms | no |",
    "| fetch-info round trip | did not finish | p99 < 5 ms | no |",
    string.Create(inv, $"| server working set with {opts.Agents} agents connected | {rssConnected:0} MiB idle (before the agents: {rssBefore:0} MiB) | < 400 MB | {(rssConnected * 1.048576 < 400 ? "yes" : "no")} |"),
]);

// The measuring agent, in a browser of its own so that the other pages never share its renderer.
await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = flags });
await using var context = await browser.NewContextAsync(new() { BaseURL = opts.Url });
context.SetDefaultTimeout(60_000);
var page0 = await context.NewPageAsync();
await SignInAsync(page0, opts);
await page0.GotoAsync($"/app/accounts/1/conversations/{measured}");
await page0.Locator("[data-circuit=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
await page0.Locator($"button.app-tab[data-app-id='{appId}']").ClickAsync();
var iframe = page0.Locator($"iframe[data-app-id='{appId}']");
await iframe.WaitForAsync();
IFrame? frame = null;
var frameDeadline = DateTime.UtcNow.AddSeconds(60);
while (frame is null || frame.Url != appUrl)
{
    if (DateTime.UtcNow > frameDeadline) throw new TimeoutException("the probe app's frame never loaded");
    frame = await (await iframe.ElementHandleAsync()).ContentFrameAsync();
    if (frame is null || frame.Url != appUrl) await Task.Delay(100);
}
await frame.WaitForFunctionAsync("() => window.arrivals && window.arrivals.length > 0", null, new() { Timeout = 60_000 });
Log("measuring agent ready, probe app received its first appContext");

var postTimes = new List<double>();
async Task<double> LivePathAsync(string content)
{
    var times = await page0.EvaluateAsync<double[]>("""
        async ([path, token, content]) => {
          const t0 = performance.timeOrigin + performance.now();
          const response = await fetch(path, { method: 'POST', credentials: 'omit',
            headers: { 'Content-Type': 'application/json', 'api_access_token': token },
            body: JSON.stringify({ content, message_type: 'outgoing' }) });
          if (!response.ok) throw new Error('POST answered ' + response.status);
          return [t0, performance.timeOrigin + performance.now()];
        }
        """, new object[] { $"/api/v1/accounts/1/conversations/{measured}/messages", opts.Token, content });
    await frame.WaitForFunctionAsync("c => window.arrivals.some(a => a.last === c)", content, new() { Timeout = 60_000 });
    var at = await frame.EvaluateAsync<double>("c => window.arrivals.find(a => a.last === c).at", content);
    postTimes.Add(times[1] - times[0]);
    return at - times[0];
}

var run = Guid.NewGuid().ToString("N")[..8];
for (var i = 0; i < 5; i++) await LivePathAsync($"warm-up {run} {i}");
postTimes.Clear();
var live = new List<double>();
var lastContent = "";
var sampling = Stopwatch.StartNew();
for (var i = 0; i < opts.Samples && sampling.Elapsed.TotalSeconds < opts.LiveSeconds; i++)
{
    lastContent = $"live path probe {run} {i}";
    live.Add(await LivePathAsync(lastContent));
    await Task.Delay(200); // a message every ~¼ s or so, not a flood
}
var rssAfterLive = memory.CurrentMiB();
Log($"live path: p50 {Pct(live, 50):0.0} ms, p95 {Pct(live, 95):0.0} ms, max {live.Max():0.0} ms (the POST's own answer: p50 {Pct(postTimes, 50):0.0} ms, p95 {Pct(postTimes, 95):0.0} ms); working set {rssAfterLive:0} MiB");

await frame.EvaluateAsync("n => window.fetchInfoRoundTrips(n)", 100); // warm-up
var fetchInfo = (await frame.EvaluateAsync<double[]>("n => window.fetchInfoRoundTrips(n)", opts.FetchInfo)).ToList();
Log($"fetch-info: p50 {Pct(fetchInfo, 50):0.000} ms, p99 {Pct(fetchInfo, 99):0.000} ms");

// The other agents were live all along: every one on the measured conversation shows the last probe message.
var watching = Enumerable.Range(0, opts.Agents).Where(i => conversations[i % conversations.Count] == measured).Select(i => agentPages[i]).ToList();

// How long those agents waited for a message in their own messages pane (they are the ones that run at low priority):
// each page records, on the machine's clock, when the message appears; the POST's time is taken here on the same clock.
var watcherLags = new List<double>();
for (var i = 0; i < 5; i++)
{
    var content = $"watchers probe {run} {i}";
    var appeared = watching.Select(p => p.EvaluateAsync<double>("""
        c => new Promise((resolve, reject) => {
          const pane = document.querySelector('.messages[role=log]');
          const shown = () => pane && pane.textContent.includes(c);
          if (shown()) return resolve(Date.now());
          setTimeout(() => reject(new Error('the message was not shown within 30 s')), 30000);
          const observer = new MutationObserver(() => { if (shown()) { observer.disconnect(); resolve(Date.now()); } });
          observer.observe(pane, { childList: true, subtree: true, characterData: true });
        })
        """, content)).ToList();
    await Task.Delay(100); // every page is listening before the POST
    var posted = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    (await api.PostAsJsonAsync($"/api/v1/accounts/1/conversations/{measured}/messages", new { content, message_type = "outgoing" })).EnsureSuccessStatusCode();
    watcherLags.AddRange((await Task.WhenAll(appeared)).Select(at => at - posted));
    lastContent = content;
    await Task.Delay(200);
}
Log($"the {watching.Count} other agents on #{measured}: a message in their pane after p50 {Pct(watcherLags, 50):0} ms, max {watcherLags.Max():0} ms");
var showing = 0;
foreach (var p in watching)
{
    try
    {
        await p.GetByText(lastContent, new() { Exact = true }).First.WaitForAsync(new() { Timeout = 30_000 });
        showing++;
    }
    catch (TimeoutException) { }
}
var circuits = 0;
foreach (var p in agentPages) circuits += await p.Locator("[data-circuit=ready]").CountAsync();
Log($"{showing} of {watching.Count} agents on #{measured} show the last message; {circuits} agent pages interactive");

var peak = memory.PeakMiB();
string Ms(double v) => v.ToString(v < 10 ? "0.000" : "0.0", inv) + " ms";
var rows = new List<string>
{
    $"| live path: message POST → its appContext in the app frame, {opts.Agents} other agents connected, their Chromium at {agentsPriority} (n={live.Count}) | p50 {Ms(Pct(live, 50))}, p95 {Ms(Pct(live, 95))}, max {Ms(live.Max())} (of which the POST's own answer: p50 {Ms(Pct(postTimes, 50))}, p95 {Ms(Pct(postTimes, 95))}) | p95 < 250 ms | {(Pct(live, 95) < 250 ? "yes" : "no")} |",
    $"| fetch-info round trip in the frame (n={fetchInfo.Count}) | p50 {Ms(Pct(fetchInfo, 50))}, p99 {Ms(Pct(fetchInfo, 99))}, max {Ms(fetchInfo.Max())} | p99 < 5 ms | {(Pct(fetchInfo, 99) < 5 ? "yes" : "no")} |",
    $"| the {watching.Count} other agents on the measured conversation: message POST → shown in their messages pane (n={watcherLags.Count}) | p50 {Ms(Pct(watcherLags, 50))}, max {Ms(watcherLags.Max())} | — | — |",
    string.Create(inv, $"| server working set with {opts.Agents} agents connected | {rssConnected:0} MiB idle, {rssAfterLive:0} MiB after the live run, peak {peak:0} MiB (before the agents: {rssBefore:0} MiB) | < 400 MB | {(rssConnected * 1.048576 < 400 && peak * 1.048576 < 400 ? "yes" : "no")} |"),
};
File.WriteAllLines(opts.Out, rows);
foreach (var r in rows) Console.WriteLine(r);
if (circuits != opts.Agents || showing != watching.Count)
{
    Console.Error.WriteLine($"not every agent stayed live ({circuits}/{opts.Agents} interactive, {showing}/{watching.Count} up to date)");
    return 1;
}
return 0;

static double Pct(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
}

static async Task SignInAsync(IPage page, Options o)
{
    await page.GotoAsync("/app/login");
    await page.Locator("input[type=email]").FillAsync(o.Email);
    await page.Locator("input[type=password]").FillAsync(o.Password);
    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    await page.WaitForURLAsync(url => !url.Contains("/app/login"));
}
