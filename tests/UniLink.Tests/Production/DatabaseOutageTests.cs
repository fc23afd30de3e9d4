using System.Diagnostics;
using System.Net;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Production;

/// <summary>PostgreSQL restarted under a running UniLink (a throw-away cluster that ./test creates).</summary>
public class DatabaseOutageTests
{
    private static string Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
        ? v
        : throw new InvalidOperationException($"{name} is not set: run the tests through ./test");

    [Fact]
    public async Task Requests_fail_cleanly_while_postgres_is_down_and_succeed_after_it_is_back()
    {
        var cluster = Env("UNILINK_TEST_OUTAGE_CLUSTER");
        var database = UniLinkServer.NewDatabase(Env("UNILINK_TEST_OUTAGE_POSTGRES"));
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_DATABASE_URL"] = database });
        var client = server.AdminClient();
        var path = $"/api/v1/accounts/{server.AccountId}/dashboard_apps";
        Assert.Equal(HttpStatusCode.OK, (await server.Client().GetAsync("/health")).StatusCode);

        PgCtl(cluster, "stop");
        try
        {
            var down = await client.GetAsync(path);
            var body = await down.ExpectAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("The database is unavailable; try again shortly", body!["error"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client().GetAsync("/health")).StatusCode);
        }
        finally
        {
            PgCtl(cluster, "start");
        }

        // The pool may hold dead connections for a request or two; no restart of UniLink is needed.
        HttpStatusCode status = 0;
        for (var attempt = 0; attempt < 20 && status != HttpStatusCode.OK; attempt++)
        {
            status = (await client.GetAsync(path)).StatusCode;
            if (status != HttpStatusCode.OK) await Task.Delay(250);
        }
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static void PgCtl(string cluster, string verb)
    {
        var parts = cluster.Split(' ');
        using var process = Process.Start(new ProcessStartInfo("pg_ctlcluster", [parts[0], parts[1], verb, "-m", "fast"]))!;
        process.WaitForExit(30_000);
        Assert.Equal(0, process.ExitCode);
    }
}
