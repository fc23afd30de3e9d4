using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace UniLink.Infrastructure.Db;

/// <summary>
/// Weeks of activity, as the kept week counts (<see cref="Features.Conversations.ConversationWeekCount"/>,
/// <see cref="Features.Contacts.ContactWeekCount"/>) number them: whole weeks of 604,800 seconds since 1970-01-01 UTC
/// (the triggers compute the same number from the stored time). A deep page of a list ordered newest first finds the
/// week it starts in from those counts and is then read from that week's end, skipping only what lies inside it,
/// instead of walking every row before it.
/// </summary>
public static class ActivityWeeks
{
    public const int Seconds = 604_800;

    /// <summary>
    /// A page that skips at least this many rows seeks its week; a shallower one walks them (a walk of a few thousand
    /// index entries costs less than adding up the weeks). Settable for tests (0: every later page seeks).
    /// </summary>
    internal static int SeekFrom { get; set; } = 2_500;

    /// <summary>The first instant after <paramref name="week"/>.</summary>
    public static DateTime End(int week) => DateTime.UnixEpoch.AddSeconds((long)(week + 1) * Seconds);

    /// <summary>
    /// Where the list's row number <paramref name="offset"/> (from 0, newest first) lies, from the rows counted per week
    /// (<paramref name="newestFirst"/>, each week once, newest first): the end of its week (null: the newest week, no
    /// bound) and how many rows of that week and older to skip. Null when the list has no such row.
    /// </summary>
    public static (DateTime? Before, int Skip)? Seek(IEnumerable<(int Week, long Count)> newestFirst, int offset)
    {
        long before = 0;
        foreach (var (week, count) in newestFirst)
        {
            if (before + count > offset) return (before == 0 ? null : End(week), (int)(offset - before));
            before += count;
        }
        return null;
    }

    /// <summary>
    /// PostgreSQL: <see cref="Seek"/> and the page's ids in one statement, whose one snapshot sees the week counts and the
    /// rows alike (no transaction of its own: the snapshot's BEGIN and COMMIT were two round trips of a deep page's eight).
    /// The weeks' counts are added up newest week first by a window; the first week whose running total passes the
    /// offset is the page's, its end the ids' bound and the offset less the weeks before it their offset. No such week
    /// (past the list's end): no ids. The newest week is bounded too: no row of the list is active after its end.
    /// </summary>
    /// <param name="weeks">A select of <c>"Week"</c> and <c>"Count"</c>, each week once, of the list's kept week counts.</param>
    /// <param name="rows">The list's rows as <c>FROM … AS r WHERE …</c>.</param>
    /// <param name="at">The column of <c>r</c> the list is ordered by, newest first (then <c>"Id"</c>, newest first).</param>
    /// <param name="skip">The offset's placeholder (<c>{n}</c> of SqlQueryRaw).</param>
    public static string PostgresPageIdsSql(string weeks, string rows, string at, string skip, int size) => $"""
        WITH weeks AS ({weeks}),
        running AS (SELECT "Week", "Count", sum("Count") OVER (ORDER BY "Week" DESC) AS "Through" FROM weeks),
        page AS (SELECT "Week", {skip} - ("Through" - "Count") AS "Inside" FROM running WHERE "Through" > {skip} ORDER BY "Week" DESC LIMIT 1)
        SELECT r."Id" AS "Value" {rows}
          AND r."{at}" < (SELECT to_timestamp(("Week" + 1) * {Seconds}.0) FROM page)
        ORDER BY r."{at}" DESC, r."Id" DESC
        OFFSET (SELECT "Inside" FROM page) LIMIT {size}
        """;

    /// <summary>
    /// A read-only transaction in which the week counts and the rows they locate are read from one snapshot, so that a
    /// write committed between the two reads cannot shift the page: PostgreSQL's repeatable read, SQLite's deferred
    /// transaction (in WAL mode a reader's snapshot, taking no lock writers wait for).
    /// </summary>
    public static async Task<IAsyncDisposable> BeginSnapshotAsync(UniLinkDb db, CancellationToken ct)
    {
        if (db.Database.IsNpgsql()) return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await db.Database.OpenConnectionAsync(ct);
        var tx = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(tx, ct);
        return new SqliteSnapshot(db, tx);
    }

    /// <summary>Ends the deferred transaction and gives the context its connection back as it was.</summary>
    private sealed class SqliteSnapshot(UniLinkDb db, DbTransaction tx) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.Database.UseTransactionAsync(null);
            await tx.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }
}
