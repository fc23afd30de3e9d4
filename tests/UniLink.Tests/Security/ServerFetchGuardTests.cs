using System.Net;
using UniLink.Infrastructure.Outbound;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Security;

/// <summary>
/// The server fetches an app's page for the dashboard (is it embeddable?): only the app's own origin, never a private
/// address unless the operator allows it, never a header value repeated back, and not as often as a caller likes.
/// </summary>
public class ServerFetchGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")] [InlineData("10.1.2.3")] [InlineData("172.16.0.1")] [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")] [InlineData("169.254.169.254")] [InlineData("100.64.0.1")] [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")] [InlineData("255.255.255.255")] [InlineData("::1")] [InlineData("::")] [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")] [InlineData("::ffff:127.0.0.1")] [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a00:1")] [InlineData("2002:c0a8:101::1")] [InlineData("2001:db8::1")]
    public void Loopback_private_link_local_and_reserved_addresses_are_not_public(string address) =>
        Assert.False(OutboundAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")] [InlineData("8.8.8.8")] [InlineData("172.32.0.1")] [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_public(string address) =>
        Assert.True(OutboundAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task Without_the_operators_permission_a_private_app_is_never_contacted()
    {
        await using var app = new LoopbackReceiver();
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_OUTBOUND_ALLOW_PRIVATE"] = "0" });
        using var admin = server.AdminClient();
        await RegisterAsync(server, admin, app.Url("/app"));

        var verdict = await CheckAsync(server, admin, app.Url("/app"));

        Assert.Null(verdict!["embeddable"]?.GetValue<bool?>());
        Assert.Empty(app.Received);
    }

    [Fact]
    public async Task Redirects_are_followed_on_the_apps_own_origin_only()
    {
        await using var elsewhere = new LoopbackReceiver();
        await using var app = new LoopbackReceiver(async context =>
        {
            switch (context.Request.Path.Value)
            {
                case "/away": context.Response.Redirect(elsewhere.Url("/internal")); break;
                case "/file": context.Response.Redirect("file:///etc/passwd"); break;
                case "/moved": context.Response.Redirect("/final"); break;
                case "/final": context.Response.Headers.XFrameOptions = "DENY"; break;
            }
            await Task.CompletedTask;
        });
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        await RegisterAsync(server, admin, app.Url("/app"));

        var away = await CheckAsync(server, admin, app.Url("/away"));
        var file = await CheckAsync(server, admin, app.Url("/file"));
        var moved = await CheckAsync(server, admin, app.Url("/moved"));

        Assert.Null(away!["embeddable"]?.GetValue<bool?>());
        Assert.Empty(elsewhere.Received);
        Assert.Null(file!["embeddable"]?.GetValue<bool?>());
        Assert.False(moved!["embeddable"]!.GetValue<bool>());
        Assert.Contains("/final", app.Received.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task The_answer_never_repeats_the_apps_header_values()
    {
        await using var app = new LoopbackReceiver(context =>
        {
            context.Response.Headers.ContentSecurityPolicy = "frame-ancestors https://secret-partner.example";
            return Task.CompletedTask;
        });
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        await RegisterAsync(server, admin, app.Url("/app"));

        var verdict = await CheckAsync(server, admin, app.Url("/app"));

        Assert.False(verdict!["embeddable"]!.GetValue<bool>());
        Assert.DoesNotContain("secret-partner", verdict.ToJsonString());
    }

    [Fact]
    public async Task Many_checks_of_one_page_make_one_request_and_a_caller_is_limited()
    {
        await using var app = new LoopbackReceiver();
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        await RegisterAsync(server, admin, app.Url("/app"));
        var url = Path(server, app.Url("/app"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => admin.GetAsync(url)));

        Assert.Single(app.Received);
        Assert.Equal(30, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(10, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
    }

    private static async Task RegisterAsync(UniLinkServer server, HttpClient admin, string url) =>
        await (await admin.PostAsync($"/api/v1/accounts/{server.AccountId}/dashboard_apps",
            HttpAssertions.Json(new { dashboard_app = new { title = "CRM", content = new[] { new { type = "frame", url } } } })))
            .ExpectAsync(HttpStatusCode.OK);

    private static string Path(UniLinkServer server, string url) =>
        $"/app/embedding/check?url={Uri.EscapeDataString(url)}&origin={Uri.EscapeDataString(server.BaseAddress.GetLeftPart(UriPartial.Authority))}";

    private static async Task<System.Text.Json.Nodes.JsonNode?> CheckAsync(UniLinkServer server, HttpClient admin, string url) =>
        await (await admin.GetAsync(Path(server, url))).ExpectAsync(HttpStatusCode.OK);
}
