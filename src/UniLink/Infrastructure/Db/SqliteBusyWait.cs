using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace UniLink.Infrastructure.Db;

/// <summary>
/// Sets up each SQLite connection as it opens:
/// <list type="bullet">
/// <item>SQLite itself waits (a few milliseconds at a time) when another connection holds the write lock. Without it
/// Microsoft.Data.Sqlite retries a busy statement only after sleeping 150 ms (blocking its thread), so of two writes
/// that met — a message and an agent's seen mark — the second waited 150 ms or more.</item>
/// <item><c>synchronous=NORMAL</c>, SQLite's recommended setting in WAL mode: a commit is appended to the write-ahead log
/// without waiting for the disk (the log is synced at each checkpoint). A commit survives the process being killed
/// (SIGKILL, a crash) as before; only a power loss or an operating-system crash may lose the last commits before the
/// checkpoint, never corrupt the file. With <c>FULL</c> (SQLite's default) every commit waited for an fsync while holding
/// the one write lock, which capped all writers together at a few hundred commits a second.</item>
/// <item><c>mmap_size</c> <see cref="MappedBytes"/>: the database file is read through a memory map, shared by every
/// connection with the operating system's file cache, instead of each page being copied by a system call into the
/// connection's own 2 MB page cache. On the big data a search's look-ups of contacts and conversations by id, pages
/// the small cache no longer held, cost 4× the CPU that way (1,676 contacts: 7.5 against 1.9 ms). Writes still go
/// through the write-ahead log as before.</item>
/// </list>
/// </summary>
public sealed class SqliteBusyWait : DbConnectionInterceptor
{
    private const int WaitMilliseconds = 30_000;

    /// <summary>The most SQLite maps (its build's limit, just under 2 GiB); a larger file's rest is read as before.</summary>
    public const long MappedBytes = 2_147_418_112;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Set(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Set(connection);
        return Task.CompletedTask;
    }

    private static void Set(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle }) return;
        SQLitePCL.raw.sqlite3_busy_timeout(handle, WaitMilliseconds);
        SQLitePCL.raw.sqlite3_exec(handle, $"PRAGMA synchronous=NORMAL; PRAGMA mmap_size={MappedBytes}");
    }
}
