using System.Net;
using Microsoft.Playwright;
using UniLink.BrowserTests.DashboardApps;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.Production;

/// <summary>
/// Two UniLink nodes on one PostgreSQL database and one Redis, as production runs them. The browser tests otherwise
/// run on SQLite, so ./test hands this class a PostgreSQL server of its own: UNILINK_TEST_NODES_POSTGRES.
/// </summary>
public sealed class TwoNodesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static string Required(string name, string why) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: {why}. Run the tests through ./test, which starts both and sets it.");

    [Fact]
    public async Task A_message_posted_to_node_a_reaches_an_agents_dashboard_and_its_app_on_node_b()
    {
        var postgres = Required("UNILINK_TEST_NODES_POSTGRES", "the two-node test needs a PostgreSQL server (postgres://user:password@host:port/db) both nodes share");
        var redis = Required("UNILINK_TEST_REDIS", "the two-node test needs the Redis both nodes publish live events through");
        using var nodeA = UniLinkServer.OnPostgresServer(postgres, new Dictionary<string, string?> { ["UNILINK_REDIS_URL"] = redis });
        using var nodeB = nodeA.AnotherNode();
        await using var apps = await TestAppServer.StartAsync();
        var account = nodeA.AccountId;

        using var adminOnA = nodeA.AdminClient();
        await (await adminOnA.PostAsync($"/api/v1/accounts/{account}/dashboard_apps",
            HttpAssertions.Json(new { title = "CRM", content = new[] { new { type = "frame", url = apps.Url("/app?mode=listen") } } })))
            .ExpectAsync(HttpStatusCode.OK);
        var created = await adminOnA.CreateConversationAsync(account, "Maria Lopez", "Where is order #1042?");
        var conversation = created["id"]!.GetValue<int>();

        var agent = await nodeA.CreateUserAsync(account, Roles.Agent, "Sam Agent");
        await adminOnA.AddInboxMemberAsync(account, created["inbox_id"]!.GetValue<int>(), agent.Id);

        var errors = new List<string>();
        var page = await browser.NewPageAsync(nodeB.BaseAddress, errors);
        await page.SignInAsync(agent.Email, agent.Password);
        await page.OpenConversationAsync(account, conversation);
        await page.GetByRole(AriaRole.Tab, new() { Name = "CRM" }).ClickAsync();
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        await frame.WaitForAsync(r => r.Contexts().Any());
        Assert.StartsWith(nodeB.BaseAddress.GetLeftPart(UriPartial.Authority), page.Url);

        await (await adminOnA.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages",
            HttpAssertions.Json(new { content = "Posted on node A", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);

        var received = await frame.WaitForAsync(r => r.Contexts().Any(c =>
            c["conversation"]!["messages"]!.AsArray().Any(m => m!["content"]?.GetValue<string>() == "Posted on node A")));
        Assert.Equal(conversation, received.Contexts().Last()["conversation"]!["id"]!.GetValue<int>());
        Assert.Equal(agent.Email, received.Contexts().Last()["currentAgent"]!["email"]!.GetValue<string>());
        await page.GetByRole(AriaRole.Tab, new() { Name = "Messages" }).ClickAsync();
        await Expect(page.Locator(".message.incoming").Last).ToContainTextAsync("Posted on node A");
        Assert.Empty(errors);
    }
}
