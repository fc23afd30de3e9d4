using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using UniLink.Features.DashboardApps.Manifests;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.DashboardApps.Manifests;

/// <summary>
/// The rules of <c>unilink:request</c>, on the server component the dashboard hands a frame's request to (the browser
/// tests prove the frame → host → receiver path): only granted domains, placeholders never in the host, forbidden
/// headers, unset settings, the per-app rate limit, the answer cap, no redirects followed, safe headers only.
/// </summary>
public sealed class AppRequestProxyTests : IAsyncLifetime
{
    private const string ApiKey = "sk_rules_81f2c0";
    private readonly UniLinkServer _server = new(new Dictionary<string, string?> { ["UNILINK_APP_REQUESTS_PER_MINUTE"] = "8" });
    private readonly LoopbackReceiver _receiver = new(async c =>
    {
        switch (c.Request.Path.Value)
        {
            case "/big":
                await c.Response.Body.WriteAsync(new byte[AppRequests.MaxResponseBytes + 10]);
                break;
            case "/moved":
                c.Response.StatusCode = 302;
                c.Response.Headers.Location = "http://127.0.0.1:9/elsewhere";
                break;
            default:
                c.Response.Headers.SetCookie = "sid=1";
                c.Response.Headers.ETag = "\"v1\"";
                c.Response.StatusCode = 201;
                await c.Response.WriteAsync("created");
                break;
        }
    });
    private int _appId;

    public async Task InitializeAsync()
    {
        using var admin = _server.AdminClient();
        _appId = (await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/dashboard_apps/install", RawJson(new JsonObject
        {
            ["manifest"] = new JsonObject
            {
                ["manifest_version"] = 1, ["name"] = "Rules",
                ["frames"] = new JsonArray(new JsonObject { ["url"] = "https://rules.example.com/" }),
                ["settings"] = new JsonArray(
                    new JsonObject { ["name"] = "api_key", ["label"] = "Key", ["secret"] = true },
                    new JsonObject { ["name"] = "unset", ["label"] = "Unset" }),
                ["request_domains"] = new JsonArray("127.0.0.1", "api.example.com"),
            },
            ["consent"] = true, ["settings"] = new JsonObject { ["api_key"] = ApiKey },
        }.ToJsonString()))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _server.Dispose();
    }

    private async Task<AppRequestResult> RequestAsync(object request, int? appId = null, int? accountId = null)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppRequests>()
            .PerformAsync(accountId ?? _server.AccountId, appId ?? _appId, _server.Db(db => db.Users.First(u => u.Email == UniLinkServer.AdminEmail).Id),
                System.Text.Json.JsonSerializer.Serialize(request));
    }

    [Fact]
    public async Task Every_rule_refuses_before_anything_is_sent_and_the_limit_holds_per_app()
    {
        var refusals = new (object Request, string Error)[]
        {
            (new { url = "https://api.other.example/x" }, "api.other.example is not one of the app's request domains (127.0.0.1, api.example.com)"),
            (new { url = "https://{{settings.api_key}}.example.com/x" }, "url: settings can't be used in the host name"),
            (new { url = "http://api.example.com/x" }, "url must be https:// (plain http only to this computer's loopback address)"),
            (new { url = "ftp://api.example.com/x" }, "url must be an absolute http(s) URL"),
            (new { url = "https://user:pw@api.example.com/x" }, "url must be an absolute http(s) URL"),
            (new { method = "TRACE", url = "https://api.example.com/x" }, "method must be one of GET, HEAD, POST, PUT, PATCH, DELETE"),
            (new { url = _receiver.Url("/x"), headers = new Dictionary<string, string> { ["Cookie"] = "a=b" } }, "headers: Cookie may not be set by an app"),
            (new { url = _receiver.Url("/x"), headers = new Dictionary<string, string> { ["Host"] = "internal" } }, "headers: Host may not be set by an app"),
            (new { url = _receiver.Url("/x"), headers = new Dictionary<string, string> { ["X-Forwarded-For"] = "10.0.0.1" } }, "headers: X-Forwarded-For may not be set by an app"),
            (new { url = _receiver.Url("/x?k={{settings.unset}}") }, "settings.unset is not set: an administrator fills it in the app's settings"),
            (new { url = _receiver.Url("/x?k={{settings.password}}") }, "settings.password is not a setting of this app"),
            (new { method = "GET", url = _receiver.Url("/x"), body = "text" }, "a GET request has no body"),
        };
        foreach (var (request, error) in refusals)
        {
            var result = await RequestAsync(request);
            Assert.False(result.Ok);
            Assert.Equal(error, result.Error);
        }
        Assert.Empty(_receiver.Received);
        // Another account's app id is no app at all.
        var otherAccount = await _server.CreateAccountAsync("Other");
        Assert.Equal("The app no longer exists", (await RequestAsync(new { url = _receiver.Url("/x") }, accountId: otherAccount)).Error);

        // Only safe headers come back; a redirect is returned, not followed; an answer over 1 MiB is refused.
        var ok = await RequestAsync(new { method = "PUT", url = _receiver.Url("/x"), body = "key={{settings.api_key}}" });
        Assert.True(ok.Ok, ok.Error);
        Assert.Equal(201, ok.Status);
        Assert.Equal("created", ok.Body);
        Assert.Equal(["etag"], ok.Headers!.Keys);
        Assert.Equal($"key={ApiKey}", Assert.Single(_receiver.Received).Body);
        var moved = await RequestAsync(new { url = _receiver.Url("/moved") });
        Assert.Equal(302, moved.Status);
        Assert.Equal("http://127.0.0.1:9/elsewhere", moved.Headers!["location"]);
        Assert.Equal("The answer is larger than 1 MiB", (await RequestAsync(new { url = _receiver.Url("/big") })).Error);

        // 8 a minute per app: 3 made above, 5 more pass, the next is refused, unsent.
        for (var i = 0; i < 5; i++) Assert.True((await RequestAsync(new { url = _receiver.Url($"/n{i}") })).Ok);
        var sent = _receiver.Received.Count;
        var limited = await RequestAsync(new { url = _receiver.Url("/over") });
        Assert.StartsWith("Too many requests", limited.Error);
        Assert.Equal(sent, _receiver.Received.Count);
    }

    [Fact]
    public async Task An_app_registered_with_a_url_or_without_granted_domains_makes_no_request()
    {
        using var admin = _server.AdminClient();
        var plain = (await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/dashboard_apps",
            Json(new { title = "Plain", content = new[] { new { type = "frame", url = "https://plain.example.com" } } }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var result = await RequestAsync(new { url = _receiver.Url("/x") }, appId: plain);
        Assert.Equal("The app may not make requests: its manifest declares no request_domains, or none was granted", result.Error);
        Assert.Empty(_receiver.Received);
    }
}
