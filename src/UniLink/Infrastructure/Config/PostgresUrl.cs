using Npgsql;

namespace UniLink.Infrastructure.Config;

/// <summary>
/// Turns <c>postgres://user:pass@host:port/db?sslmode=…</c> into an Npgsql connection string, with UniLink's defaults
/// for what the URL does not say: statements prepared once per connection (after their second use), their plans kept
/// by PostgreSQL as it decides (plan_cache_mode auto) except a search's, which is planned for its words every time
/// (<see cref="Db.SearchPlans"/>); no TLS to a server on this machine's loopback (it protects nothing there and costs both sides CPU);
/// no reset of a connection returned to the pool.
/// </summary>
public static class PostgresUrl
{
    public static bool TryToConnectionString(string url, out string connectionString, out string why)
    {
        connectionString = "";
        why = "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            why = "expected a URL like postgres://user:password@host:5432/database";
            return false;
        }
        var database = uri.AbsolutePath.Trim('/');
        if (database.Length == 0)
        {
            why = "the URL names no database (postgres://user:password@host:5432/database)";
            return false;
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(database),
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length > 1) builder.Password = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
            try { builder[key] = value; }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                why = $"unknown or bad connection option '{key}'";
                return false;
            }
        }
        var given = builder.ConnectionString;
        if (!given.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            if (!given.Contains("Auto Prepare Min Usages", StringComparison.OrdinalIgnoreCase)) builder.AutoPrepareMinUsages = 2;
        }
        if (!given.Contains("SSL Mode", StringComparison.OrdinalIgnoreCase) && IsLoopback(builder.Host)) builder.SslMode = SslMode.Disable;
        // UniLink leaves no session state on a connection (only SET LOCAL, inside transactions), so a connection going
        // back to the pool need not be reset: Npgsql's reset (RESET ALL, CLOSE ALL, UNLISTEN *, … in one more statement)
        // preceded every query a request made, each of which opens and closes the connection.
        if (!given.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        connectionString = builder.ConnectionString;
        return true;
    }

    private static bool IsLoopback(string? host) =>
        host is "localhost" || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));
}
