using Microsoft.Extensions.DependencyInjection;
using UniLink.Infrastructure.Live;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Production;

/// <summary>Two UniLink processes on one database and one Redis (./test starts redis-server).</summary>
public class SeveralNodesTests
{
    private static string Redis => Environment.GetEnvironmentVariable("UNILINK_TEST_REDIS") is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException("UNILINK_TEST_REDIS is not set: run the tests through ./test, which starts redis-server");

    [Fact]
    public async Task An_event_published_on_one_node_reaches_subscribers_on_the_other()
    {
        var settings = new Dictionary<string, string?> { ["UNILINK_REDIS_URL"] = Redis };
        using var nodeA = new UniLinkServer(settings);
        using var nodeB = nodeA.AnotherNode();
        var accountId = nodeA.AccountId;

        var received = new TaskCompletionSource<LiveEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = nodeB.Services.GetRequiredService<LiveBus>()
            .Subscribe(accountId, e => { received.TrySetResult(e); return Task.CompletedTask; });

        var sent = new LiveEvent(accountId, LiveEvent.MessageCreated, 7);
        // Subscriptions in Redis are asynchronous; publish until the first one arrives (bounded).
        for (var i = 0; i < 50 && !received.Task.IsCompleted; i++)
        {
            nodeA.Services.GetRequiredService<LiveBus>().Publish(sent);
            await Task.WhenAny(received.Task, Task.Delay(100));
        }
        Assert.Equal(sent, await received.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_write_on_one_node_ends_what_the_other_node_had_cached()
    {
        // Entries that would otherwise live for an hour: only the news from node A can end them.
        var settings = new Dictionary<string, string?> { ["UNILINK_REDIS_URL"] = Redis, ["UNILINK_READ_CACHE_SECONDS"] = "3600" };
        using var nodeA = new UniLinkServer(settings);
        using var nodeB = nodeA.AnotherNode();
        var path = $"/api/v1/accounts/{nodeA.AccountId}/dashboard_apps";
        var agent = await nodeA.CreateUserAsync(nodeA.AccountId);
        var before = await nodeB.Client(agent.Token).GetStringAsync(path);
        Assert.Equal(before, await nodeB.Client(agent.Token).GetStringAsync(path));

        await (await nodeA.AdminClient().PostAsync(path, HttpAssertions.Json(new { title = "Made on node A", content = new[] { new { type = "frame", url = "https://a.example.com" } } })))
            .ExpectAsync(System.Net.HttpStatusCode.OK);
        await (await nodeA.Client(agent.Token).PostAsync("/api/v1/profile/reset_access_token", null)).ExpectAsync(System.Net.HttpStatusCode.OK);

        // Redis delivers asynchronously: ask node B again until it answers differently (bounded).
        var status = System.Net.HttpStatusCode.OK;
        for (var i = 0; i < 100 && status == System.Net.HttpStatusCode.OK; i++)
        {
            status = (await nodeB.Client(agent.Token).GetAsync(path)).StatusCode;
            if (status == System.Net.HttpStatusCode.OK) await Task.Delay(50);
        }
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, status); // the old token, refused on node B too
        Assert.Contains("Made on node A", await nodeB.AdminClient().GetStringAsync(path));
    }

    [Fact]
    public async Task A_session_signed_in_on_one_node_is_valid_on_the_other()
    {
        var settings = new Dictionary<string, string?> { ["UNILINK_REDIS_URL"] = Redis };
        using var nodeA = new UniLinkServer(settings);
        using var nodeB = nodeA.AnotherNode();
        var cookies = new System.Net.CookieContainer();
        using var clientA = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = nodeA.BaseAddress };
        var login = await clientA.GetStringAsync("/app/login");
        var token = System.Text.RegularExpressions.Regex.Match(login, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = UniLinkServer.AdminEmail,
            ["Input.Password"] = UniLinkServer.AdminPassword,
        });
        var signIn = await clientA.PostAsync("/app/login", form);
        Assert.Contains(cookies.GetCookies(nodeA.BaseAddress).Cast<System.Net.Cookie>(), c => c.Name == "unilink_session");

        // Same cookie, other node (different port: copy the cookie over).
        var containerB = new System.Net.CookieContainer();
        foreach (System.Net.Cookie c in cookies.GetCookies(nodeA.BaseAddress)) containerB.Add(nodeB.BaseAddress, new System.Net.Cookie(c.Name, c.Value));
        using var clientB = new HttpClient(new HttpClientHandler { CookieContainer = containerB, AllowAutoRedirect = false }) { BaseAddress = nodeB.BaseAddress };
        var response = await clientB.GetAsync($"/app/accounts/{nodeA.AccountId}/conversations");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode); // signed out would redirect to /app/login
        Assert.True(signIn.StatusCode is System.Net.HttpStatusCode.Redirect or System.Net.HttpStatusCode.Found or System.Net.HttpStatusCode.SeeOther, $"sign-in answered {(int)signIn.StatusCode}");
    }
}
