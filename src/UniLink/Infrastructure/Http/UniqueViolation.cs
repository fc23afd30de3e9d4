using System.Text.RegularExpressions;

namespace UniLink.Infrastructure.Http;

/// <summary>
/// A write that lost a race against another one with the same unique value (two requests creating the same label
/// at once): the endpoint's own "has already been taken" check passed for both, the database index refused one.
/// Names the field the way the endpoints' own checks do.
/// </summary>
public static partial class UniqueViolation
{
    private static readonly HashSet<string> ScopeColumns = ["AccountId", "UserId", "InboxId"];

    /// <summary>The snake_case field whose value is taken, "" when the index names none, null when not a unique violation.</summary>
    public static string? Field(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            // EF names indexes IX_{Table}_{Column}_{Column}…
            if (e is Npgsql.PostgresException { SqlState: "23505" } pg)
                return FirstField((pg.ConstraintName ?? "").Split('_').Skip(2));
            // "SQLite Error 19: 'UNIQUE constraint failed: Labels.AccountId, Labels.Title'."
            if (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } lite)
                return FirstField(SqliteColumns().Matches(lite.Message).Select(m => m.Groups[1].Value));
        }
        return null;
    }

    private static string FirstField(IEnumerable<string> columns) =>
        columns.FirstOrDefault(c => c.Length > 0 && !ScopeColumns.Contains(c)) is { } column ? SnakeCase(column) : "";

    private static string SnakeCase(string pascal) => SnakeBoundary().Replace(pascal, "$1_$2").ToLowerInvariant();

    [GeneratedRegex(@"\w+\.(\w+)")]
    private static partial Regex SqliteColumns();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex SnakeBoundary();
}
