using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;
using UniLink.Infrastructure.Config;

namespace UniLink.Tests.Infrastructure;

/// <summary>
/// The data folders and PostgreSQL databases the tests create, named after the test process and removed when their
/// server stops for good or the process exits; what a killed run left behind (its process gone) is removed by the next
/// run and by ./test at its end. Without this a full run leaves about 5 GB of folders and 400 databases behind, and a
/// few runs fill a CI machine's disk.
/// </summary>
public static partial class TestScratch
{
    private const string DatabasePrefix = "unilink_t";
    private static readonly int ProcessId = Environment.ProcessId;
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "unilink-tests");
    private static readonly Lock Gate = new();
    private static readonly List<(string Server, string Name)> Databases = [];
    private static readonly HashSet<string> SweptServers = [];

    static TestScratch()
    {
        SweepFolders();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveOwn();
    }

    /// <summary>A new, empty folder of this test process.</summary>
    public static string NewFolder()
    {
        var dir = Path.Combine(Root, $"run-{ProcessId}", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A new, empty database on the PostgreSQL server <paramref name="serverUrl"/>; its URL.</summary>
    public static string NewDatabase(string serverUrl)
    {
        var name = $"{DatabasePrefix}{ProcessId}_{Guid.NewGuid().ToString("N")[..12]}";
        SweepDatabases(serverUrl);
        Execute(serverUrl, $"CREATE DATABASE {name}");
        lock (Gate) Databases.Add((serverUrl, name));
        return new UriBuilder(serverUrl) { Path = "/" + name }.Uri.ToString();
    }

    /// <summary>Removes a folder and database of this process now (a server stopped for good).</summary>
    public static void Remove(string folder, string? databaseUrl)
    {
        TryDeleteFolder(folder);
        if (databaseUrl is null) return;
        var url = new Uri(databaseUrl);
        var name = url.AbsolutePath.Trim('/');
        (string Server, string Name) owned;
        lock (Gate)
        {
            owned = Databases.FirstOrDefault(d => d.Name == name);
            if (owned.Name is null) return;
            Databases.Remove(owned);
        }
        TryExecute(owned.Server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private static void RemoveOwn()
    {
        List<(string Server, string Name)> databases;
        lock (Gate) databases = [.. Databases];
        foreach (var (server, name) in databases) TryExecute(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        TryDeleteFolder(Path.Combine(Root, $"run-{ProcessId}"));
    }

    private static void SweepFolders()
    {
        if (!Directory.Exists(Root)) return;
        foreach (var dir in Directory.GetDirectories(Root))
        {
            var owner = RunFolderName().Match(Path.GetFileName(dir));
            if (!owner.Success || !IsAlive(int.Parse(owner.Groups[1].Value))) TryDeleteFolder(dir);
        }
    }

    private static void SweepDatabases(string serverUrl)
    {
        lock (Gate) if (!SweptServers.Add(serverUrl)) return;
        var stale = new List<string>();
        PostgresUrl.TryToConnectionString(serverUrl, out var cs, out _);
        try
        {
            using var conn = new NpgsqlConnection(cs);
            conn.Open();
            using var cmd = new NpgsqlCommand($"SELECT datname FROM pg_database WHERE datname LIKE '{DatabasePrefix}%'", conn);
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                var owner = DatabaseName().Match(name);
                if (!owner.Success || !IsAlive(int.Parse(owner.Groups[1].Value))) stale.Add(name);
            }
        }
        catch (NpgsqlException) { return; }
        foreach (var name in stale) TryExecute(serverUrl, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private static bool IsAlive(int processId)
    {
        if (processId == ProcessId) return true;
        try { using var process = Process.GetProcessById(processId); return !process.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static void Execute(string serverUrl, string sql)
    {
        PostgresUrl.TryToConnectionString(serverUrl, out var cs, out _);
        using var conn = new NpgsqlConnection(cs);
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }

    private static void TryExecute(string serverUrl, string sql)
    {
        try { Execute(serverUrl, sql); }
        catch (NpgsqlException) { } // the server is down (the outage test's cluster) or the database is gone
    }

    private static void TryDeleteFolder(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex(@"^run-(\d+)$")]
    private static partial Regex RunFolderName();

    [GeneratedRegex(@"^unilink_t(\d+)_[0-9a-f]+$")]
    private static partial Regex DatabaseName();
}
