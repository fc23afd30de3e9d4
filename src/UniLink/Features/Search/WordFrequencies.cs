using Microsoft.EntityFrameworkCore.Storage;

namespace UniLink.Features.Search;

/// <summary>
/// PostgreSQL: how many conversations a search's words may find, from the statistics ANALYZE keeps of
/// <c>"Conversations"."SearchWords"</c> (<c>pg_stats.most_common_elems</c>: the most common words and the share of
/// conversations holding each). Read at most once every <see cref="KeptFor"/> per database and kept in memory, so that
/// asking costs no statement: the answer only chooses how a search counts (<see cref="Conversations.ConversationFilter"/>),
/// never what it answers.
/// </summary>
public static class WordFrequencies
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(5);

    private sealed record Kept(string Database, DateTime ReadAt, string[] Words, float[] Shares, double Conversations);

    private static volatile Kept? _kept;

    /// <summary>
    /// Whether the statistics call <paramref name="words"/> rare: in at most <paramref name="conversations"/>
    /// conversations (<see cref="ConversationsAsync"/>). Never when <paramref name="conversations"/> is 0 or less.
    /// </summary>
    public static async Task<bool> RareAsync(UniLinkDb db, IReadOnlyList<string> words, int conversations, CancellationToken ct) =>
        conversations > 0 && await ConversationsAsync(db, words, ct) <= conversations;

    /// <summary>
    /// The number of conversations (of every account) that the statistics say hold every word of <paramref name="words"/>
    /// at the beginning of one of their words: for each word the shares of the common words it begins, added up; the
    /// least of those. 0 when a word begins none of the common words (it is in fewer conversations than the least
    /// common of them, or the table was never analysed).
    /// </summary>
    private static async Task<double> ConversationsAsync(UniLinkDb db, IReadOnlyList<string> words, CancellationToken ct)
    {
        var kept = await KeptAsync(db, ct);
        var least = double.MaxValue;
        foreach (var word in words)
        {
            var share = 0.0;
            for (var i = 0; i < kept.Words.Length; i++)
                if (kept.Words[i].StartsWith(word, StringComparison.Ordinal)) share += kept.Shares[i];
            least = Math.Min(least, share);
        }
        return words.Count == 0 ? 0 : least * kept.Conversations;
    }

    private static async Task<Kept> KeptAsync(UniLinkDb db, CancellationToken ct)
    {
        var database = db.Database.GetConnectionString() ?? "";
        if (_kept is { } kept && kept.Database == database && DateTime.UtcNow - kept.ReadAt < KeptFor) return kept;
        var words = Array.Empty<string>();
        var shares = Array.Empty<float>();
        var conversations = 0.0;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            // most_common_elem_freqs holds three more numbers than there are words (least, most, empty share): cut off.
            command.CommandText = """
                SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples::float8
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = 'SearchWords'
                WHERE c.oid = to_regclass('"Conversations"')
                """;
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                if (!reader.IsDBNull(0) && !reader.IsDBNull(1))
                {
                    words = reader.GetFieldValue<string[]>(0);
                    shares = reader.GetFieldValue<float[]>(1)[..words.Length];
                }
                conversations = Math.Max(0, reader.GetDouble(2));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        var read = new Kept(database, DateTime.UtcNow, words, shares, conversations);
        _kept = read;
        return read;
    }
}
