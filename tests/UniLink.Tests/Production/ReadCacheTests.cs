using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UniLink.Features.Agents;
using UniLink.Features.Contacts;
using UniLink.Features.DashboardApps;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Caching;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Production;

/// <summary>
/// Tokens, memberships and some GETs are served from memory (UNILINK_READ_CACHE_SECONDS): every answer must still
/// show every write at once. Each read is made twice before the write, so the second is the cached one.
/// </summary>
public class ReadCacheTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private readonly UniLinkServer _server = shared.Instance;

    private async Task<JsonNode> GetTwiceAsync(HttpClient client, string path)
    {
        await (await client.GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        return (await (await client.GetAsync(path)).ExpectAsync(HttpStatusCode.OK))!;
    }

    [Fact]
    public async Task The_dashboard_apps_list_shows_each_write_at_once()
    {
        var admin = _server.AdminClient();
        var accountId = await _server.CreateAccountAsync("Cache apps", administratorId: 1);
        var path = $"/api/v1/accounts/{accountId}/dashboard_apps";
        Assert.Empty((await GetTwiceAsync(admin, path)).AsArray());

        var created = await (await admin.PostAsync(path, Json(new { title = "CRM", content = new[] { new { type = "frame", url = "https://crm.example.com" } } })))
            .ExpectAsync(HttpStatusCode.OK);
        var id = created!["id"]!.GetValue<int>();
        Assert.Equal("CRM", (await GetTwiceAsync(admin, path))[0]!["title"]!.GetValue<string>());

        await (await admin.PatchAsync($"{path}/{id}", Json(new { title = "CRM 2" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("CRM 2", (await GetTwiceAsync(admin, path))[0]!["title"]!.GetValue<string>());

        await (await admin.DeleteAsync($"{path}/{id}")).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Empty((await GetTwiceAsync(admin, path)).AsArray());
    }

    [Fact]
    public async Task A_conversation_shows_writes_to_every_table_it_is_made_of()
    {
        var admin = _server.AdminClient();
        var accountId = _server.AccountId;
        var conversation = await admin.CreateConversationAsync(accountId, "Cached Contact");
        var path = $"/api/v1/accounts/{accountId}/conversations/{conversation["id"]}";
        var contactId = conversation["meta"]!["sender"]!["id"]!.GetValue<int>();
        await GetTwiceAsync(admin, path);

        await (await admin.PostAsync($"{path}/messages", Json(new { content = "A reply from the cache test" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("A reply from the cache test", (await GetTwiceAsync(admin, path))["messages"]![0]!["content"]!.GetValue<string>());

        await GetTwiceAsync(admin, $"{path}/messages");
        await (await admin.PatchAsync($"/api/v1/accounts/{accountId}/contacts/{contactId}", Json(new { name = "Renamed Contact" })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed Contact", (await GetTwiceAsync(admin, path))["meta"]!["sender"]!["name"]!.GetValue<string>());
        // Message senders are cached apart from the conversation.
        Assert.Equal("Renamed Contact", (await GetTwiceAsync(admin, $"{path}/messages"))["payload"]![0]!["sender"]!["name"]!.GetValue<string>());

        await (await admin.PostAsync($"{path}/labels", Json(new { labels = new[] { "cached" } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("cached", (await GetTwiceAsync(admin, path))["labels"]![0]!.GetValue<string>());

        var agent = await _server.CreateUserAsync(accountId, name: "Cache Agent");
        await (await admin.PostAsync($"{path}/assignments", Json(new { assignee_id = agent.Id }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Cache Agent", (await GetTwiceAsync(admin, path))["meta"]!["assignee"]!["name"]!.GetValue<string>());
        Assert.Equal("agent", (await GetTwiceAsync(admin, $"{path}/messages"))["meta"]!["assignee"]!["role"]!.GetValue<string>());
        await (await admin.PatchAsync($"/api/v1/accounts/{accountId}/agents/{agent.Id}", Json(new { role = "administrator" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("administrator", (await GetTwiceAsync(admin, path))["meta"]!["assignee"]!["role"]!.GetValue<string>());
        Assert.Equal("administrator", (await GetTwiceAsync(admin, $"{path}/messages"))["meta"]!["assignee"]!["role"]!.GetValue<string>());

        await (await admin.DeleteAsync($"/api/v1/accounts/{accountId}/agents/{agent.Id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Null((await GetTwiceAsync(admin, path))["meta"]!["assignee"]);

        // Deleting the contact deletes its conversations inside the database (ON DELETE CASCADE).
        await (await admin.DeleteAsync($"/api/v1/accounts/{accountId}/contacts/{contactId}")).ExpectAsync(HttpStatusCode.OK);
        await (await admin.GetAsync(path)).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public void A_write_counts_for_the_tables_the_database_changes_with_it()
    {
        var writes = _server.Services.GetRequiredService<TableWrites>();
        var before = writes.Now;
        writes.Record(["Contacts"]);
        Assert.False(writes.UnchangedSince(before, writes.Of([typeof(Message)])), "contact → conversations → messages cascade");
        Assert.False(writes.UnchangedSince(before, writes.Of([typeof(ContactInbox)])));
        Assert.True(writes.UnchangedSince(before, writes.Of([typeof(DashboardApp)])));
        Assert.True(writes.UnchangedSince(before, writes.Of([typeof(User)])));
    }

    private static readonly Type[] ReadsApps = [typeof(DashboardApp)];

    [Fact]
    public async Task Requests_that_miss_together_share_one_read_unless_a_write_came_after_it_began()
    {
        var cache = _server.Services.GetRequiredService<ReadCache>();
        var writes = _server.Services.GetRequiredService<TableWrites>();
        var key = ("shared read", Guid.NewGuid());
        var reads = 0;
        var release = new TaskCompletionSource();
        async Task<string> ReadAsync(CancellationToken _)
        {
            var n = Interlocked.Increment(ref reads);
            await release.Task;
            return $"read {n}";
        }

        var together = Enumerable.Range(0, 16).Select(_ => cache.GetOrReadAsync(key, ReadsApps, ReadAsync, default).AsTask()).ToList();
        writes.Record(["DashboardApps"]);
        var afterTheWrite = cache.GetOrReadAsync(key, ReadsApps, ReadAsync, default).AsTask();
        release.SetResult();

        Assert.All(await Task.WhenAll(together), value => Assert.Equal("read 1", value));
        Assert.Equal("read 2", await afterTheWrite);
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task A_reset_access_token_stops_working_at_once()
    {
        var agent = await _server.CreateUserAsync(_server.AccountId);
        var client = _server.Client(agent.Token);
        await GetTwiceAsync(client, "/api/v1/profile");

        var reset = await (await client.PostAsync("/api/v1/profile/reset_access_token", null)).ExpectAsync(HttpStatusCode.OK);
        var body = await (await client.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Invalid Access Token", body!["error"]!.GetValue<string>());
        await (await _server.Client(reset!["access_token"]!.GetValue<string>()).GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_agent_removed_from_an_account_loses_it_at_once()
    {
        var accountId = _server.AccountId;
        var agent = await _server.CreateUserAsync(accountId);
        var client = _server.Client(agent.Token);
        await GetTwiceAsync(client, $"/api/v1/accounts/{accountId}/dashboard_apps");

        await (await _server.AdminClient().DeleteAsync($"/api/v1/accounts/{accountId}/agents/{agent.Id}")).ExpectAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/api/v1/accounts/{accountId}/dashboard_apps")).ExpectAsync(HttpStatusCode.Unauthorized);
    }
}
