using System.Net;
using System.Net.Http.Headers;
using System.Text;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Security;

/// <summary>What a browser is told and what a same-site page or a forged header cannot do (issue 13: items 2, 7, 10, 11).</summary>
public class WebSecurityTests
{
    private static StringContent AppBody(string url) =>
        HttpAssertions.Json(new { dashboard_app = new { title = "CRM", content = new[] { new { type = "frame", url } } } });

    [Fact]
    public async Task Cookie_writes_need_the_dashboards_own_origin_and_a_json_body_while_token_clients_are_unchanged()
    {
        using var server = new UniLinkServer();
        using var forms = new BrowserlessForms(server);
        await forms.SignInAsync(UniLinkServer.AdminEmail, UniLinkServer.AdminPassword);
        var labels = $"/api/v1/accounts/{server.AccountId}/labels";
        var own = server.BaseAddress.GetLeftPart(UriPartial.Authority);

        async Task<HttpResponseMessage> PostAsync(string title, string? origin, string? site, string type = "application/json")
        {
            var request = new HttpRequestMessage(HttpMethod.Post, labels) { Content = new StringContent($$"""{"title":"{{title}}"}""", Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(type);
            if (origin is not null) request.Headers.Add("Origin", origin);
            if (site is not null) request.Headers.Add("Sec-Fetch-Site", site);
            return await forms.Http.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("same-site", "http://127.0.0.1:1", "same-site")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("other-port", "http://127.0.0.1:1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("no-origin", null, null)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync("plain", own, "same-origin", "text/plain")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("from-dashboard", own, "same-origin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("origin-only", own, null)).StatusCode);
        using var token = server.AdminClient();
        await (await token.PostAsync(labels, HttpAssertions.Json(new { title = "by-token" }))).ExpectAsync(HttpStatusCode.OK);

        var stored = await (await token.GetAsync(labels)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("same-site", stored);
        Assert.DoesNotContain("other-port", stored);
        Assert.DoesNotContain("no-origin", stored);
        Assert.DoesNotContain("plain", stored);
    }

    [Fact]
    public async Task An_app_cannot_live_on_the_dashboards_own_origin()
    {
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();

        var body = await (await admin.PostAsync($"/api/v1/accounts/{server.AccountId}/dashboard_apps", AppBody(new Uri(server.BaseAddress, "/app/evil").ToString())))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("own origin", body!.ToJsonString());
        Assert.Equal(0, server.Db(db => db.DashboardApps.Count()));
    }

    [Fact]
    public async Task Every_response_refuses_framing_by_others_and_a_dashboard_page_lists_only_its_accounts_apps_for_members()
    {
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        var other = await server.CreateAccountAsync("Other");
        var outsider = await server.CreateUserAsync(other, Features.Accounts.Roles.Administrator);
        using var outsiderClient = server.Client(outsider.Token);
        await (await admin.PostAsync($"/api/v1/accounts/{server.AccountId}/dashboard_apps", AppBody("https://crm.example.com/app"))).ExpectAsync(HttpStatusCode.OK);
        await (await outsiderClient.PostAsync($"/api/v1/accounts/{other}/dashboard_apps", AppBody("https://secret-vendor.example.net/app"))).ExpectAsync(HttpStatusCode.OK);
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        var docs = await anonymous.GetAsync("/api-docs");
        Assert.Contains("frame-ancestors 'none'", docs.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", docs.Headers.GetValues("X-Content-Type-Options").Single());
        var api = await admin.GetAsync($"/api/v1/accounts/{server.AccountId}/labels");
        Assert.Contains("frame-ancestors 'none'", api.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(api.Headers.Contains("Referrer-Policy"));

        var login = await anonymous.GetAsync("/app/login");
        var loginPolicy = login.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-src 'none'", loginPolicy);
        foreach (var directive in new[] { "default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'self'" })
            Assert.Contains(directive, loginPolicy);
        Assert.DoesNotContain("unsafe-inline'; object", loginPolicy);
        var nonce = System.Text.RegularExpressions.Regex.Match(loginPolicy, "script-src 'self' 'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        var html = await login.Content.ReadAsStringAsync();
        Assert.All(System.Text.RegularExpressions.Regex.Matches(html, "<script(?![^>]*\\bsrc=)[^>]*>").Select(m => m.Value),
            tag => Assert.Contains($"nonce=\"{nonce}\"", tag));

        using var forms = new BrowserlessForms(server);
        await forms.SignInAsync(UniLinkServer.AdminEmail, UniLinkServer.AdminPassword);
        var own = (await forms.Http.GetAsync($"/app/accounts/{server.AccountId}/conversations")).Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-src https://crm.example.com", own);
        Assert.DoesNotContain("secret-vendor", own);
        Assert.DoesNotContain("frame-src 'self'", own);
        var notMine = (await forms.Http.GetAsync($"/app/accounts/{other}/conversations")).Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-src 'none'", notMine);
        Assert.DoesNotContain("secret-vendor", notMine);
    }

    [Fact]
    public async Task With_a_public_url_links_never_follow_the_host_header_and_other_hosts_are_refused()
    {
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_PUBLIC_URL"] = "https://support.example.com" });
        using var admin = server.AdminClient();

        var forged = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/accounts/{server.AccountId}/labels");
        forged.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(forged)).StatusCode);
        var invited = await (await admin.PostAsync($"/api/v1/accounts/{server.AccountId}/agents",
            HttpAssertions.Json(new { name = "New", email = "new-agent@example.com", role = "agent" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.StartsWith("https://support.example.com/app/invitations/", invited!["invitation_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Forwarded_addresses_count_only_from_configured_proxies()
    {
        async Task<int> RefusedAsync(UniLinkServer server)
        {
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            var refused = 0;
            for (var i = 0; i < 6; i++)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/auth/sign_in")
                {
                    Content = HttpAssertions.Json(new { email = UniLinkServer.AdminEmail, password = "wrong-password" }),
                };
                request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
                if ((await client.SendAsync(request)).StatusCode == HttpStatusCode.TooManyRequests) refused++;
            }
            return refused;
        }

        using (var direct = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_SIGNIN_RATE_LIMIT"] = "3" }))
            Assert.Equal(3, await RefusedAsync(direct)); // a client cannot make up addresses to escape the limit
        using var proxied = new UniLinkServer(new Dictionary<string, string?>
        {
            ["UNILINK_SIGNIN_RATE_LIMIT"] = "3", ["UNILINK_TRUSTED_PROXIES"] = "127.0.0.1",
        });
        Assert.Equal(0, await RefusedAsync(proxied)); // behind a trusted proxy, each client has its own limit
    }
}
