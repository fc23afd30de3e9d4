using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using UniLink.Tests.Infrastructure;
using Xunit.Abstractions;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Production;

/// <summary>The real server process killed with SIGKILL in the middle of a stream of writes loses none it acknowledged.</summary>
public class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Writers = 4;
    private const int MaxWritesPerWriter = 400;

    [Fact]
    public async Task Every_acknowledged_message_survives_a_SIGKILL_and_the_server_restarts_cleanly()
    {
        var dataDir = UniLinkServer.NewDataDir();
        var databaseUrl = UniLinkServer.NewDatabase(Environment.GetEnvironmentVariable("UNILINK_TEST_POSTGRES"));
        var settings = new Dictionary<string, string?>
        {
            ["UNILINK_DATA_DIR"] = dataDir,
            ["UNILINK_DATABASE_URL"] = databaseUrl,
            ["UNILINK_ADMIN_EMAIL"] = UniLinkServer.AdminEmail,
            ["UNILINK_ADMIN_PASSWORD"] = UniLinkServer.AdminPassword,
            ["UNILINK_ADMIN_TOKEN"] = UniLinkServer.AdminToken,
            ["UNILINK_DEMO"] = "0",
            ["UNILINK_API_RATE_LIMIT"] = "0",
        };
        var seed = Environment.TickCount;
        var killAfter = new Random(seed).Next(40, 160);
        output.WriteLine($"seed {seed}: SIGKILL after {killAfter} acknowledged writes, on {(databaseUrl is null ? "SQLite" : "PostgreSQL")}");

        int account, conversation;
        var acknowledged = new ConcurrentDictionary<int, string>();
        using (var first = await UniLinkProcess.StartAsync(settings))
        {
            if (databaseUrl is null) Assert.Equal("wal", JournalMode(dataDir));
            using var admin = first.Client(UniLinkServer.AdminToken);
            account = (await (await admin.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK))!["account_id"]!.GetValue<int>();
            conversation = (await admin.CreateConversationAsync(account))["id"]!.GetValue<int>();
            var path = $"/api/v1/accounts/{account}/conversations/{conversation}/messages";

            var killed = new TaskCompletionSource();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                using var client = first.Client(UniLinkServer.AdminToken);
                for (var i = 0; i < MaxWritesPerWriter && !killed.Task.IsCompleted; i++)
                {
                    var content = $"writer {w} message {i} {Guid.NewGuid():N}";
                    try
                    {
                        var response = await client.PostAsync(path, Json(new { content, message_type = i % 2 == 0 ? "outgoing" : "incoming" }));
                        if (!response.IsSuccessStatusCode) continue;
                        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                        Assert.Equal(content, body["content"]!.GetValue<string>());
                        acknowledged[body["id"]!.GetValue<int>()] = content;
                        if (acknowledged.Count >= killAfter && killed.TrySetResult()) first.Kill();
                    }
                    catch (HttpRequestException) when (killed.Task.IsCompleted) { return; }
                    catch (TaskCanceledException) when (killed.Task.IsCompleted) { return; }
                }
            })).ToArray();
            await Task.WhenAll(writers);
            Assert.True(killed.Task.IsCompleted, $"only {acknowledged.Count} writes were acknowledged before the writers stopped");
            Assert.True(first.HasExited);
        }

        using var second = await UniLinkProcess.StartAsync(settings);
        if (databaseUrl is null) Assert.Equal("wal", JournalMode(dataDir));
        using var reader = second.Client(UniLinkServer.AdminToken);
        var stored = await AllMessagesAsync(reader, account, conversation);
        output.WriteLine($"{acknowledged.Count} acknowledged, {stored.Count} stored after restart");
        foreach (var (id, content) in acknowledged)
        {
            Assert.True(stored.TryGetValue(id, out var found), $"acknowledged message {id} is missing after the restart (seed {seed})");
            Assert.Equal(content, found);
        }
        // The restarted server goes on taking writes on the same data.
        await (await reader.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages",
            Json(new { content = "after the restart" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.False(second.HasExited);
        Assert.DoesNotContain("crit:", second.Output);
        Assert.DoesNotContain("fail:", second.Output);
    }

    private static string JournalMode(string dataDir)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "unilink.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>Every message of the conversation through the API, paging back with <c>before</c>.</summary>
    private static async Task<Dictionary<int, string>> AllMessagesAsync(HttpClient client, int account, int conversation)
    {
        var all = new Dictionary<int, string>();
        int? before = null;
        for (var page = 0; page < 1000; page++)
        {
            var body = await (await client.GetAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages{(before is { } b ? $"?before={b}" : "")}"))
                .ExpectAsync(HttpStatusCode.OK);
            var messages = body!["payload"]!.AsArray();
            if (messages.Count == 0) break;
            foreach (var m in messages) all[m!["id"]!.GetValue<int>()] = m["content"]?.GetValue<string>() ?? "";
            before = messages.Min(m => m!["id"]!.GetValue<int>());
        }
        return all;
    }
}
