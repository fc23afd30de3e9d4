using System.Net;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Production;

public class RateLimitTests
{
    private const string TooMany = "Too many requests; retry after the number of seconds in the Retry-After header";

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

    [Fact]
    public async Task A_token_counts_the_same_whether_sent_as_api_access_token_or_sign_in_header()
    {
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_API_RATE_LIMIT"] = "3" });
        using var anonymous = server.Client();
        var path = $"/api/v1/accounts/{server.AccountId}/labels";
        await (await server.AdminClient().GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        await (await server.AdminClient().GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        using var devise = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "access-token", UniLinkServer.AdminToken } } };
        await (await anonymous.SendAsync(devise)).ExpectAsync(HttpStatusCode.OK);

        var limited = await server.AdminClient().GetAsync(path);
        await limited.ExpectBodyAsync(HttpStatusCode.TooManyRequests, $$"""{"error":"{{TooMany}}"}""");
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);
    }

    [Fact]
    public async Task A_write_refused_with_429_writes_nothing()
    {
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_API_RATE_LIMIT"] = "2" });
        var agent = server.Client((await server.CreateUserAsync(server.AccountId)).Token);
        var admin = server.AdminClient();
        var path = $"/api/v1/accounts/{server.AccountId}/labels";
        await (await admin.PostAsync(path, Json(new { title = "first" }))).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostAsync(path, Json(new { title = "second" }))).ExpectAsync(HttpStatusCode.OK);

        var limited = await admin.PostAsync(path, Json(new { title = "third" }));
        await limited.ExpectBodyAsync(HttpStatusCode.TooManyRequests, $$"""{"error":"{{TooMany}}"}""");
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        var labels = (await (await agent.GetAsync(path)).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray();
        Assert.Equal(new[] { "first", "second" }, labels.Select(l => l!["title"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task Sign_in_over_its_limit_gets_429_with_retry_after_and_no_token_even_for_the_right_password()
    {
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_SIGNIN_RATE_LIMIT"] = "3" });
        using var client = server.Client();
        for (var i = 0; i < 3; i++)
            await (await client.PostAsync("/auth/sign_in", Json(new { email = "nobody@example.com", password = "guess" })))
                .ExpectAsync(HttpStatusCode.Unauthorized);

        var limited = await client.PostAsync("/auth/sign_in", Json(new { email = UniLinkServer.AdminEmail, password = UniLinkServer.AdminPassword }));
        await limited.ExpectBodyAsync(HttpStatusCode.TooManyRequests, $$"""{"error":"{{TooMany}}"}""");
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.False(limited.Headers.Contains("access-token"));
    }
}
