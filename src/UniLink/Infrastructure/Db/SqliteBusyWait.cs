using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace UniLink.Infrastructure.Db;

/// <summary>
/// Lets SQLite itself wait (a few milliseconds at a time) when another connection holds the write lock. Without it
/// Microsoft.Data.Sqlite retries a busy statement only after sleeping 150 ms (blocking its thread), so of two writes
/// that met — a message and an agent's seen mark — the second waited 150 ms or more.
/// </summary>
public sealed class SqliteBusyWait : DbConnectionInterceptor
{
    private const int WaitMilliseconds = 30_000;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Set(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Set(connection);
        return Task.CompletedTask;
    }

    private static void Set(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle }) SQLitePCL.raw.sqlite3_busy_timeout(handle, WaitMilliseconds);
    }
}
