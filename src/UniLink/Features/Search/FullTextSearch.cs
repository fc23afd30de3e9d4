using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace UniLink.Features.Search;

/// <summary>
/// Search that the database indexes (the FullTextSearch migration): messages by word — PostgreSQL's
/// <c>to_tsvector('simple', …)</c> under a GIN index, SQLite's FTS5 table <c>MessagesSearch</c> — and contacts by any
/// part of their name, email, phone number or identifier — PostgreSQL's <c>pg_trgm</c> GIN index, SQLite's FTS5
/// trigram table <c>ContactsSearch</c>. A message matches when each word of the query begins one of its words.
/// On PostgreSQL each conversation also holds the words of its messages (not activity) in one <c>tsvector</c> without
/// positions, <c>"Conversations"."SearchWords"</c> (the ConversationSearchWords migration: kept by triggers on
/// messages, GIN-indexed, outside the EF model), so that the conversation list's search is a condition on the
/// conversation row that PostgreSQL combines with the list's own indexes instead of a map from up to every message to
/// its conversation (<see cref="ConversationWordsMatch"/>).
/// </summary>
public static partial class FullTextSearch
{
    /// <summary>The words of a query (letters and digits), lower case, at most eight.</summary>
    public static IReadOnlyList<string> Words(string q) =>
        WordPattern().Matches(q.ToLowerInvariant()).Select(m => m.Value).Distinct().Take(8).ToList();

    /// <summary>
    /// Ids of the conversations with a message (not activity) holding every word. On SQLite of every account (only
    /// ever asked about an account's conversations): the ConversationMessagesSearch table lists each message's words
    /// under its conversation's id times 2^32 plus its own, so the conversations come from the FTS5 index alone.
    /// </summary>
    public static IQueryable<int> Conversations(UniLinkDb db, int accountId, IReadOnlyList<string> words)
    {
        if (words.Count == 0) return db.Messages.Where(_ => false).Select(m => m.Id);
        if (db.Database.IsNpgsql())
            return db.Database.SqlQuery<int>($"""
                SELECT m."ConversationId" AS "Value" FROM "Messages" m
                WHERE to_tsvector('simple', coalesce(m."Content", '')) @@ to_tsquery('simple', {TsQuery(words)})
                  AND m."AccountId" = {accountId} AND m."MessageType" <> 2
                """);
        return db.Database.SqlQuery<int>($"""
                SELECT s.rowid >> 32 AS "Value" FROM "ConversationMessagesSearch" s
                WHERE "ConversationMessagesSearch" MATCH {string.Join(" ", words.Select(w => $"\"{w}\"*"))}
                """);
    }

    /// <summary>
    /// SQLite: the ids of the conversations with a message (not activity) matching <paramref name="match"/> (a
    /// <see cref="SqliteMatchAsync"/> expression; null: none), each once, read by a plain data reader —
    /// for a common word ≈99,000 rows, which EF's query and materializer took longer to read.
    /// </summary>
    public static Task<List<int>> ConversationIdsAsync(UniLinkDb db, string? match, CancellationToken ct) =>
        match is null ? Task.FromResult(new List<int>()) : ReadIdsAsync(db, """
            SELECT s.rowid >> 32 FROM "ConversationMessagesSearch" s WHERE "ConversationMessagesSearch" MATCH $match
            """, [("$match", match)], ct);

    /// <summary>
    /// SQLite: the newest conversations with a message matching <paramref name="match"/> (a <see cref="SqliteMatchAsync"/>
    /// expression), read from the index's newest end downwards: of the at most <paramref name="rows"/> matching messages
    /// of conversations below <paramref name="belowConversation"/>, their conversations' ids, each once, newest first.
    /// Row ids are the conversation's id times 2^32 plus the message's, so a range of them is a range of conversations.
    /// <c>All</c>: no matching message below the last id was left unread (<paramref name="rows"/> not reached).
    /// </summary>
    public static async Task<(List<int> Ids, bool All)> NewestConversationIdsAsync(UniLinkDb db, string match, int belowConversation, int rows,
        CancellationToken ct)
    {
        var read = 0;
        var ids = await ReadIdsAsync(db, """
            SELECT s.rowid >> 32 FROM "ConversationMessagesSearch" s
            WHERE "ConversationMessagesSearch" MATCH $match AND s.rowid < $below ORDER BY s.rowid DESC LIMIT $rows
            """, [("$match", match), ("$below", (long)belowConversation << 32), ("$rows", rows)], ct, () => read++);
        return (ids, read < rows);
    }

    /// <summary>
    /// SQLite: which of <paramref name="conversationIds"/> hold a message matching <paramref name="match"/>, each looked
    /// up in the index by its range of row ids (≈20 µs a conversation for a word of one term; a prefix query <c>"w"*</c>
    /// would merge the word's lists for each: keep to <see cref="SqliteMatchAsync"/>'s terms).
    /// </summary>
    public static Task<List<int>> ConversationsMatchingAsync(UniLinkDb db, string match, IReadOnlyList<int> conversationIds, CancellationToken ct) =>
        conversationIds.Count == 0 ? Task.FromResult(new List<int>()) : ReadIdsAsync(db, """
            SELECT j.value FROM json_each($ids) j WHERE EXISTS (SELECT 1 FROM "ConversationMessagesSearch" s
              WHERE s."ConversationMessagesSearch" MATCH $match AND s.rowid BETWEEN j.value << 32 AND (j.value << 32) + 4294967295)
            """, [("$match", match), ("$ids", "[" + string.Join(",", conversationIds) + "]")], ct);

    /// <summary>The ids a one-column SQLite statement answers, each once where repeated one after another, read by a
    /// plain data reader — for a common word ≈99,000 rows, which EF's query and materializer took longer to read.</summary>
    private static async Task<List<int>> ReadIdsAsync(UniLinkDb db, string sql, (string Name, object Value)[] parameters, CancellationToken ct,
        Action? eachRow = null)
    {
        var ids = new List<int>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
            await using var reader = await command.ExecuteReaderAsync(ct);
            var last = -1;
            while (await reader.ReadAsync(ct))
            {
                eachRow?.Invoke();
                var id = (int)reader.GetInt64(0);
                if (id != last) ids.Add(last = id); // FTS5 answers in row id order: a conversation's messages together
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return ids;
    }

    /// <summary>At most this many of an FTS5 index's terms stand for a word's beginning (<see cref="SqliteMatchAsync"/>).</summary>
    private const int TermsPerWord = 10;

    /// <summary>
    /// SQLite: the FTS5 <c>MATCH</c> expression for "each word begins one of the message's words", or null when a word
    /// begins none of the index's words (nothing matches). A word's beginning written as FTS5's prefix query
    /// (<c>"refund"*</c>) makes FTS5 merge the lists of every word beginning with it into one before it answers
    /// anything: 7 ms of CPU for "refund" on the big data, however few rows are read (a newest page, a rowid range). So a
    /// word of ASCII letters and digits (which the unicode61 tokenizer keeps as it is) is looked up in the index's own
    /// terms (<paramref name="terms"/>, an <c>fts5vocab</c> "instance" table: one seek per term) and written as the OR of
    /// the at most <see cref="TermsPerWord"/> terms that begin with it — the same rows, read as they are stored. Other
    /// words, and words beginning more terms, stay prefix queries.
    /// </summary>
    public static async Task<string?> SqliteMatchAsync(UniLinkDb db, string terms, IReadOnlyList<string> words, CancellationToken ct)
    {
        if (words.Count == 0) return null;
        var parts = new List<string>();
        foreach (var word in words)
        {
            if (!AsciiWord().IsMatch(word))
            {
                parts.Add($"\"{word}\"*");
                continue;
            }
            // The next term after t is the first one at or after t + char(1): tokens hold no control characters.
            var sql = $"""
                WITH RECURSIVE t("Term", "N") AS (
                  SELECT (SELECT v."term" FROM "{terms}" v WHERE v."term" >= @p0 LIMIT 1), 1
                  UNION ALL
                  SELECT (SELECT v."term" FROM "{terms}" v WHERE v."term" >= t."Term" || char(1) LIMIT 1), t."N" + 1 FROM t
                  WHERE substr(t."Term", 1, length(@p0)) = @p0 AND t."N" <= {TermsPerWord})
                SELECT t."Term" AS "Value" FROM t WHERE substr(t."Term", 1, length(@p0)) = @p0
                """;
            var found = await db.Database.SqlQueryRaw<string>(sql, new Microsoft.Data.Sqlite.SqliteParameter("@p0", word)).ToListAsync(ct);
            if (found.Count == 0) return null;
            parts.Add(found.Count > TermsPerWord ? $"\"{word}\"*" : "(" + string.Join(" OR ", found.Select(t => $"\"{t.Replace("\"", "\"\"")}\"")) + ")");
        }
        return string.Join(" AND ", parts);
    }

    /// <summary>The words as a <c>to_tsquery</c> text: each a word beginning, all of them.</summary>
    public static string TsQuery(IReadOnlyList<string> words) => string.Join(" & ", words.Select(w => w + ":*"));

    /// <summary>
    /// PostgreSQL, in a query: whether the conversation's words (its <c>SearchWords</c>) hold every word of
    /// <paramref name="tsQuery"/> (<see cref="TsQuery"/>) — the same as "one of its messages holds each word" for one
    /// word; for more, the words may be in different messages (add <see cref="Conversations"/> for "in one message").
    /// Translated to <c>unilink_words_match(c."SearchWords", q)</c>, an SQL function PostgreSQL inlines to
    /// <c>c."SearchWords" @@ to_tsquery('simple', q)</c>, which the GIN index serves.
    /// </summary>
    public static bool ConversationWordsMatch(int conversationId, string tsQuery) =>
        throw new InvalidOperationException("ConversationWordsMatch runs only in a PostgreSQL query");

    /// <summary>PostgreSQL, in a query: whether a message's content holds every word of <paramref name="tsQuery"/>, as
    /// the expression index over messages' words (<c>IX_Messages_Content_Words</c>) says it.</summary>
    public static bool MessageContentMatches(string? content, string tsQuery) =>
        throw new InvalidOperationException("MessageContentMatches runs only in a PostgreSQL query");

    /// <summary>The translations of <see cref="ConversationWordsMatch"/> and <see cref="MessageContentMatches"/>.</summary>
    public static void MapPostgresFunctions(ModelBuilder b)
    {
        var boolean = new BoolTypeMapping("boolean");
        var tsvector = new StringTypeMapping("tsvector", System.Data.DbType.Object);
        b.HasDbFunction(typeof(FullTextSearch).GetMethod(nameof(ConversationWordsMatch))!).HasTranslation(args =>
        {
            // The column lives outside the model: the same table as the conversation's id.
            var id = args[0] as ColumnExpression ?? throw new InvalidOperationException("ConversationWordsMatch takes a conversation's Id column");
            var words = new ColumnExpression("SearchWords", id.TableAlias, typeof(string), tsvector, nullable: true);
            return new SqlFunctionExpression("unilink_words_match", [words, args[1]], nullable: true, [false, false], typeof(bool), boolean);
        });
        b.HasDbFunction(typeof(FullTextSearch).GetMethod(nameof(MessageContentMatches))!).HasTranslation(args =>
            new SqlFunctionExpression("unilink_content_match", [args[0], args[1]], nullable: true, [false, false], typeof(bool), boolean));
    }

    /// <summary>
    /// Runs <paramref name="query"/> on PostgreSQL with only bitmap scans allowed (<c>SET LOCAL</c>, in its own
    /// transaction): for searches whose planner's choice is to walk rows in order and compute or read each one's words,
    /// which for many rows costs far more than it estimates. Elsewhere (SQLite, or inside a transaction) as it is.
    /// </summary>
    public static async Task<T> FromIndexBitmapsAsync<T>(UniLinkDb db, Func<Task<T>> query, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql() || db.Database.CurrentTransaction is not null) return await query();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off", ct);
        var result = await query();
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>Ids of the account's contacts whose name, email, phone number or identifier holds <paramref name="q"/>.</summary>
    public static IQueryable<int> Contacts(UniLinkDb db, int accountId, string q)
    {
        var lower = q.ToLowerInvariant();
        if (db.Database.IsNpgsql())
            return db.Database.SqlQuery<int>($"""
                SELECT c."Id" AS "Value" FROM "Contacts" c
                WHERE lower(coalesce(c."Name", '') || ' ' || coalesce(c."Email", '') || ' ' || coalesce(c."PhoneNumber", '') || ' ' || coalesce(c."Identifier", '')) LIKE {ContainsPattern(lower)}
                  AND c."AccountId" = {accountId}
                """);
        // Three characters or more: the text as an FTS5 phrase, which the trigram tokenizer makes "these trigrams one
        // after another" — the same as holding the text, answered from the index alone (0.6 ms for "smith" on the big
        // data). As LIKE, FTS5 also read and compared each candidate's stored text: 5-7 ms. The phrase folds case as
        // Unicode does (LIKE only ASCII's), as PostgreSQL's lower() does. Shorter texts hold no trigram: LIKE, which
        // FTS5's trigram index serves only without an ESCAPE clause; a query holding a wildcard is looked for as it is.
        if (lower.EnumerateRunes().Count() >= 3)
        {
            var phrase = "\"" + lower.Replace("\"", "\"\"") + "\"";
            return db.Database.SqlQuery<int>($"""
                SELECT c."Id" AS "Value" FROM "ContactsSearch" s JOIN "Contacts" c ON c."Id" = s.rowid
                WHERE s."Text" MATCH {phrase} AND c."AccountId" = {accountId}
                """);
        }
        return lower.IndexOfAny(['%', '_']) < 0
            ? db.Database.SqlQuery<int>($"""
                SELECT c."Id" AS "Value" FROM "ContactsSearch" s JOIN "Contacts" c ON c."Id" = s.rowid
                WHERE s."Text" LIKE {"%" + lower + "%"} AND c."AccountId" = {accountId}
                """)
            : db.Database.SqlQuery<int>($"""
                SELECT c."Id" AS "Value" FROM "ContactsSearch" s JOIN "Contacts" c ON c."Id" = s.rowid
                WHERE instr(s."Text", {lower}) > 0 AND c."AccountId" = {accountId}
                """);
    }

    /// <summary>
    /// PostgreSQL: the account's contacts <see cref="Contacts"/> finds, as rows with the trigram condition on the row
    /// itself, to count and order as they are: as <c>"Id" IN (…)</c> PostgreSQL joined every contact of the account
    /// to the found ids (a walk of 100,000 contacts to count the 1,676 of "smith", a look-up per contact walked for a page).
    /// </summary>
    public static IQueryable<Features.Contacts.Contact> ContactRows(UniLinkDb db, int accountId, string q) =>
        db.Contacts.FromSql($"""
            SELECT * FROM "Contacts" c
            WHERE lower(coalesce(c."Name", '') || ' ' || coalesce(c."Email", '') || ' ' || coalesce(c."PhoneNumber", '') || ' ' || coalesce(c."Identifier", '')) LIKE {ContainsPattern(q.ToLowerInvariant())}
              AND c."AccountId" = {accountId}
            """);

    /// <summary>A LIKE pattern holding <paramref name="text"/> anywhere, its wildcards escaped (PostgreSQL's default escape).</summary>
    private static string ContainsPattern(string text) =>
        "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex("^[a-z0-9]+$")]
    private static partial Regex AsciiWord();
}
