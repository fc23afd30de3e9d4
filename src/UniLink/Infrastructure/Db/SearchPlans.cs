using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace UniLink.Infrastructure.Db;

/// <summary>
/// PostgreSQL keeps a plan per prepared statement (plan_cache_mode auto: after five executions, one generic plan if it
/// looks no worse than the plans made for the arguments), which saves every fixed-shape query — a list page, a
/// conversation, the counts, the token — its planning on each request. A search's plan, though, depends on its
/// words and patterns (a common word: walk the list's index and test each row; a rare one: the word's GIN index
/// first), so a statement holding one is given a text of its own on each execution: Npgsql never prepares it (it
/// prepares a text from its second use) and PostgreSQL plans it for its arguments every time, as before.
/// </summary>
public sealed class SearchPlans : DbCommandInterceptor
{
    // What only a statement with a search condition holds: the full-text functions (Features/Search) and patterns.
    private static readonly string[] Markers = ["unilink_words_match", "unilink_content_match", "LIKE", "@@", "to_tsquery"];
    private long _executions;

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Mark(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Mark(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Mark(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Mark(command);
        return ValueTask.FromResult(result);
    }

    private void Mark(DbCommand command)
    {
        var text = command.CommandText;
        foreach (var marker in Markers)
            if (text.Contains(marker, StringComparison.Ordinal))
            {
                command.CommandText = $"/* search {Interlocked.Increment(ref _executions)} */ {text}";
                return;
            }
    }
}
