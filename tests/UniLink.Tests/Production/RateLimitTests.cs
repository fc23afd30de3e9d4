using System.Net;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Production;

public class RateLimitTests
{
    [Fact]
    public async Task A_token_over_its_limit_gets_429_with_retry_after_and_other_tokens_do_not()
    {
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_API_RATE_LIMIT"] = "5" });
        var agent = await server.CreateUserAsync(server.AccountId);
        var admin = server.AdminClient();
        var path = $"/api/v1/accounts/{server.AccountId}/dashboard_apps";
        for (var i = 0; i < 5; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await admin.GetAsync(path)).StatusCode);

        var limited = await admin.GetAsync(path);
        var body = await limited.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("Retry-After", body!["error"]!.GetValue<string>());
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);

        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await server.Client(agent.Token).GetAsync(path)).StatusCode);
    }
}
