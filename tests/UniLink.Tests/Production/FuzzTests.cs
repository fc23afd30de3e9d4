using System.Net;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using UniLink.Features.Accounts;
using UniLink.Infrastructure.Db;
using UniLink.Tests.Infrastructure;
using Xunit.Abstractions;

namespace UniLink.Tests.Production;

/// <summary>
/// Thousands of random and malformed bodies to every write endpoint of the API: never a 5xx, and a refused request
/// leaves every table as it was. The seed is printed; UNILINK_FUZZ_SEED=N replays a run, UNILINK_FUZZ_ROUNDS sets its size.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Random_and_malformed_bodies_never_get_a_5xx_and_a_refused_one_writes_nothing()
    {
        var seed = Environment.GetEnvironmentVariable("UNILINK_FUZZ_SEED") is { Length: > 0 } s ? int.Parse(s) : Random.Shared.Next();
        var rounds = Environment.GetEnvironmentVariable("UNILINK_FUZZ_ROUNDS") is { Length: > 0 } r ? int.Parse(r) : 50;
        output.WriteLine($"fuzz seed {seed}, {rounds} rounds (replay with UNILINK_FUZZ_SEED={seed})");
        var fuzz = new FuzzBodies(new Random(seed));
        await using var world = await ApiWorld.CreateAsync();
        var profileUser = await world.Server.CreateUserAsync(world.AccountA, Roles.Agent);
        var profileToken = profileUser.Token;
        var rows = ApiWorld.Rows.Where(row => row.IsWrite).ToList();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        var refused = 0;
        string? snapshot = null;
        var failures = new List<string>();
        var snapshotTime = TimeSpan.Zero;
        var writesSeen = 0;

        for (var round = 0; round < rounds; round++)
        {
            foreach (var row in rows)
            {
                var path = fuzz.MutatePath(await row.Path(world), row.Pattern);
                if (row.Method == "DELETE" || row.FreshTarget) snapshot = null; // the path made a fresh record to delete
                var t0 = clock.Elapsed;
                var before = snapshot ?? await SnapshotAsync(world.Server);
                snapshotTime += clock.Elapsed - t0;
                var body = fuzz.Next(row.Body?.Invoke(world));
                var token = row.Access switch
                {
                    Access.Anyone => null,
                    Access.User => profileToken,
                    Access.PlatformApp => ApiWorld.PlatformToken,
                    _ => UniLinkServer.AdminToken,
                };
                using var client = world.Server.Client(token);
                using var request = new HttpRequestMessage(new HttpMethod(row.Method), path) { Content = body.Content };
                row.AddHeaders(request, world);
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                sent++;
                var what = $"seed {seed}, round {round}: {row.Method} {path} with {body.Description}";
                var t1 = clock.Elapsed;
                snapshot = await SnapshotAsync(world.Server);
                snapshotTime += clock.Elapsed - t1;
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{what} got {(int)response.StatusCode} {text}");
                    continue;
                }
                if (response.IsSuccessStatusCode)
                {
                    if (before != snapshot) writesSeen++;
                    if (row.Access == Access.User && JsonNode.Parse(text)?["access_token"]?.GetValue<string>() is { } fresh) profileToken = fresh;
                    continue;
                }
                refused++;
                if (before != snapshot) failures.Add($"{what} was refused with {(int)response.StatusCode} {text} but changed the database:\n{Diff(before, snapshot)}");
            }
        }
        output.WriteLine($"{sent} requests to {rows.Count} write endpoints, {refused} refused, in {clock.Elapsed.TotalSeconds:F1} s ({snapshotTime.TotalSeconds:F1} s of it comparing the database)");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n{string.Join("\n", failures.Take(40))}");
        // The comparison can only be trusted if it notices the accepted writes.
        Assert.True(writesSeen > rows.Count, $"the database snapshot changed after only {writesSeen} accepted requests");
        Assert.True(refused > sent / 4, $"only {refused} of {sent} random bodies were refused: the fuzzing is not reaching the checks");
    }

    [Fact]
    public async Task Random_query_strings_on_every_read_endpoint_never_get_a_5xx()
    {
        var seed = Environment.GetEnvironmentVariable("UNILINK_FUZZ_SEED") is { Length: > 0 } s ? int.Parse(s) : Random.Shared.Next();
        output.WriteLine($"fuzz seed {seed} (replay with UNILINK_FUZZ_SEED={seed})");
        var rng = new Random(seed);
        string[] keys = ["q", "page", "status", "assignee_type", "inbox_id", "labels", "labels[]", "before", "attribute_model", "sort_by", "api_access_token", "token", "app_id", "agent_id", "conversation_id", "event"];
        string[] values = ["%00", "a%00b", "", "-1", "0", "99999999999999999999", "%25", "%5C", "_", "open", "all", "1,2,,3", "%E2%80%AE", "%C3%28", new string('x', 5000), "abc", "1.5"];
        await using var world = await ApiWorld.CreateAsync();
        var failures = new List<string>();
        var sent = 0;
        foreach (var row in ApiWorld.Rows.Where(r => r.Method == "GET"))
        {
            for (var i = 0; i < 20; i++)
            {
                var path = await row.Path(world);
                var query = string.Join('&', Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => $"{keys[rng.Next(keys.Length)]}={values[rng.Next(values.Length)]}"));
                var url = path + (path.Contains('?') ? "&" : "?") + query;
                using var client = world.Server.Client(row.Access switch { Access.Anyone => null, Access.PlatformApp => ApiWorld.PlatformToken, _ => UniLinkServer.AdminToken });
                using var get = new HttpRequestMessage(HttpMethod.Get, url);
                row.AddHeaders(get, world);
                using var response = await client.SendAsync(get);
                sent++;
                if ((int)response.StatusCode >= 500)
                    failures.Add($"seed {seed}: GET {url} got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n{string.Join("\n", failures.Take(40))}");
    }

    [Fact]
    public async Task Searching_or_filtering_for_the_character_U0000_is_refused_or_finds_nothing_never_a_5xx()
    {
        await using var world = await ApiWorld.CreateAsync();
        foreach (var query in new[] { "contacts/search?q=%00", "contacts/search?q=a%00b", "conversations?q=%00", "conversations?labels=%00", "conversations?labels[]=x%00" })
        {
            using var response = await world.Admin.GetAsync(world.A(query));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity,
                $"{query}: {(int)response.StatusCode} {body}");
            // A refusal says why.
            if (response.StatusCode != HttpStatusCode.OK) Assert.Contains("U+0000", body);
        }
    }

    /// <summary>
    /// Every row of every table, as text, read in one query. A failed sign-in counts towards the lockout, so those
    /// two columns are left out; so is what the webhook worker writes in the background (deliveries, their attempts, and
    /// when an outbox event was fanned out, with the payload it was fanned out with).
    /// </summary>
    private static async Task<string> SnapshotAsync(UniLinkServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        var quote = db.Database.IsSqlite() ? "quote({0})" : "quote_nullable(CAST({0} AS text))";
        var selects = new List<string>();
        foreach (var type in db.Model.GetEntityTypes().Where(t => !t.IsOwned() && t.GetTableName() is not null
            && t.ClrType.Name is not ("WebhookDelivery" or "WebhookAttempt")).OrderBy(t => t.Name))
        {
            var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            var columns = type.GetProperties()
                .Where(p => p.Name is not ("FailedSignInCount" or "LockedUntil" or "DispatchedAt"))
                .Where(p => !(type.ClrType.Name == "OutboxEvent" && p.Name == "Payload"))
                .Select(p => string.Format(quote, $"t.\"{p.GetColumnName(table)}\""));
            selects.Add($"SELECT '{type.ClrType.Name}' || '|' || {string.Join(" || '|' || ", columns)} AS r FROM \"{table.Name}\" t");
        }
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = string.Join(" UNION ALL ", selects);
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static string Diff(string before, string after)
    {
        var a = before.Split('\n').ToHashSet();
        var b = after.Split('\n').ToHashSet();
        return string.Join('\n', a.Except(b).Take(5).Select(l => "- " + l).Concat(b.Except(a).Take(5).Select(l => "+ " + l)));
    }
}
