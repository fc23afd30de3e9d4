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
