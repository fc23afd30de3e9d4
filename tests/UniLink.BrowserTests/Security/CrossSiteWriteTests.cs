using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.Security;

/// <summary>
/// A page on the same site as the dashboard (another port of the same host) cannot act as the signed-in agent:
/// the session cookie reaches UniLink, but a write must come from the dashboard's own origin.
/// </summary>
public class CrossSiteWriteTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_same_site_page_cannot_write_with_the_agents_session_but_the_dashboard_can()
    {
        using var server = new UniLinkServer();
        var agents = $"{server.BaseAddress}api/v1/accounts/{server.AccountId}/agents";
        var labels = $"{server.BaseAddress}api/v1/accounts/{server.AccountId}/labels";
        await using var attacker = await TestAppServer.StartAsync(app =>
        {
            app.MapGet("/form", () => Results.Content($$"""
                <!DOCTYPE html><html><body>
                <form id="f" method="post" action="{{agents}}">
                  <input name="name" value="Mallory"><input name="email" value="mallory@example.com"><input name="role" value="administrator">
                </form>
                <script>document.getElementById('f').submit();</script>
                </body></html>
                """, "text/html"));
            app.MapGet("/fetch", () => Results.Content($$"""
                <!DOCTYPE html><html><body><script>
                  window.done = fetch('{{labels}}', { method: 'POST', mode: 'no-cors', credentials: 'include',
                    headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ title: 'from-elsewhere' }) })
                    .then(() => 'sent', () => 'failed');
                </script></body></html>
                """, "text/html"));
        });
        var page = await browser.NewPageAsync(server.BaseAddress, []);
        await page.SignInAsAdminAsync();

        var formAnswer = await page.RunAndWaitForResponseAsync(() => page.GotoAsync(attacker.Url("/form")), agents);
        await page.GotoAsync(attacker.Url("/fetch"));
        Assert.Equal("sent", await page.EvaluateAsync<string>("window.done"));

        Assert.Equal(403, formAnswer.Status);
        using var admin = server.AdminClient();
        var agentList = await (await admin.GetAsync($"/api/v1/accounts/{server.AccountId}/agents")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("mallory@example.com", agentList);
        var labelList = await (await admin.GetAsync($"/api/v1/accounts/{server.AccountId}/labels")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("from-elsewhere", labelList);

        // The dashboard's own pages still write with the session, as before.
        await page.GotoAsync($"/app/accounts/{server.AccountId}/conversations");
        var status = await page.EvaluateAsync<int>($$"""
            fetch('{{labels}}', { method: 'POST', headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ title: 'from-dashboard' }) }).then(r => r.status)
            """);
        Assert.Equal((int)HttpStatusCode.OK, status);
    }
}
