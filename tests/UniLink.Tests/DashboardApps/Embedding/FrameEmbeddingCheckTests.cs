using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.DashboardApps.Embedding;

/// <summary>The browser's framing rules as the server applies them to an app's headers, and the endpoint the dashboard asks.</summary>
public class FrameEmbeddingCheckTests
{
    private static readonly Uri App = new("https://crm.example.com/app");
    private static readonly Uri Dashboard = new("https://support.example.org");

    [Theory]
    [InlineData("frame-ancestors 'none'", false)]
    [InlineData("frame-ancestors", false)]
    [InlineData("frame-ancestors 'self'", false)]
    [InlineData("frame-ancestors *", true)]
    [InlineData("frame-ancestors https:", true)]
    [InlineData("frame-ancestors https://support.example.org", true)]
    [InlineData("frame-ancestors support.example.org", true)]
    [InlineData("frame-ancestors *.example.org", true)]
    [InlineData("frame-ancestors https://support.example.org:8443", false)]
    [InlineData("frame-ancestors https://other.example.org", false)]
    [InlineData("default-src 'self'; FRAME-ANCESTORS 'self' https://support.example.org", true)]
    [InlineData("default-src 'self'", true)]
    [InlineData("frame-ancestors *, frame-ancestors 'none'", false)] // two policies in one header: both must allow
    public void Content_security_policy_frame_ancestors_decides(string csp, bool allowed) =>
        Assert.Equal(allowed, FrameAncestorsRules.Refusal(App, Dashboard, [csp], []) is null);

    [Theory]
    [InlineData("DENY", false)]
    [InlineData("deny", false)]
    [InlineData("SAMEORIGIN", false)]
    [InlineData("DENY, SAMEORIGIN", false)]
    [InlineData("ALLOW-FROM https://support.example.org", true)] // not supported by browsers: ignored
    [InlineData("ALLOWALL", true)]
    public void X_frame_options_decides_without_frame_ancestors(string xfo, bool allowed) =>
        Assert.Equal(allowed, FrameAncestorsRules.Refusal(App, Dashboard, [], [xfo]) is null);

    [Fact]
    public void Sameorigin_allows_the_dashboard_own_origin_and_frame_ancestors_overrides_x_frame_options()
    {
        Assert.Null(FrameAncestorsRules.Refusal(new Uri("https://support.example.org/apps/crm"), Dashboard, [], ["SAMEORIGIN"]));
        Assert.Null(FrameAncestorsRules.Refusal(App, Dashboard, ["frame-ancestors https://support.example.org"], ["DENY"]));
    }

    [Fact]
    public async Task The_endpoint_checks_only_origins_of_the_callers_apps_and_says_unknown_when_it_cannot_reach_them()
    {
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        var port = FreePort();
        await (await admin.PostAsync($"/api/v1/accounts/{server.AccountId}/dashboard_apps",
            HttpAssertions.Json(new { dashboard_app = new { title = "CRM", content = new[] { new { type = "frame", url = $"http://127.0.0.1:{port}/app" } } } })))
            .ExpectAsync(HttpStatusCode.OK);
        var origin = Uri.EscapeDataString(server.BaseAddress.GetLeftPart(UriPartial.Authority));

        var unknown = await (await admin.GetAsync($"/app/embedding/check?url={Uri.EscapeDataString($"http://127.0.0.1:{port}/app")}&origin={origin}"))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Null(unknown!["embeddable"]?.GetValue<bool?>());

        var foreign = await admin.GetAsync($"/app/embedding/check?url={Uri.EscapeDataString("http://10.0.0.1/admin")}&origin={origin}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var missing = await admin.GetAsync($"/app/embedding/check?origin={origin}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Contains("url", (await missing.Content.ReadAsStringAsync()));
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var signedOut = await anonymous.GetAsync($"/app/embedding/check?url={Uri.EscapeDataString($"http://127.0.0.1:{port}/app")}&origin={origin}");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Contains("/app/login", signedOut.Headers.Location!.ToString());
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
