using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Db;

namespace UniLink.Features.Search;

/// <summary>
/// Search that the database indexes (the FullTextSearch migration): messages by word — PostgreSQL's
/// <c>to_tsvector('simple', …)</c> under a GIN index, SQLite's FTS5 table <c>MessagesSearch</c> — and contacts by any
/// part of their name, email, phone number or identifier — PostgreSQL's <c>pg_trgm</c> GIN index, SQLite's FTS5
/// trigram table <c>ContactsSearch</c>. A message matches when each word of the query begins one of its words.
/// </summary>
public static partial class FullTextSearch
{
    /// <summary>The words of a query (letters and digits), lower case, at most eight.</summary>
    public static IReadOnlyList<string> Words(string q) =>
        WordPattern().Matches(q.ToLowerInvariant()).Select(m => m.Value).Distinct().Take(8).ToList();

    /// <summary>Ids of the account's messages (not activity) holding every word.</summary>
    public static IQueryable<int> Messages(UniLinkDb db, int accountId, IReadOnlyList<string> words) =>
        MessageColumn(db, accountId, words, "Id");

    /// <summary>Ids of the conversations with a message (not activity) holding every word.</summary>
    public static IQueryable<int> Conversations(UniLinkDb db, int accountId, IReadOnlyList<string> words) =>
        MessageColumn(db, accountId, words, "ConversationId");

    /// <param name="column">"Id" or "ConversationId": a constant of this class, never input.</param>
    private static IQueryable<int> MessageColumn(UniLinkDb db, int accountId, IReadOnlyList<string> words, string column)
    {
        if (words.Count == 0) return db.Messages.Where(_ => false).Select(m => m.Id);
        var sql = db.Database.IsNpgsql()
            ? FormattableStringFactory.Create($$"""
                SELECT m."{{column}}" AS "Value" FROM "Messages" m
                WHERE to_tsvector('simple', coalesce(m."Content", '')) @@ to_tsquery('simple', {0})
                  AND m."AccountId" = {1} AND m."MessageType" <> 2
                """, string.Join(" & ", words.Select(w => w + ":*")), accountId)
            : FormattableStringFactory.Create($$"""
                SELECT m."{{column}}" AS "Value" FROM "MessagesSearch" s JOIN "Messages" m ON m."Id" = s.rowid
                WHERE "MessagesSearch" MATCH {0} AND m."AccountId" = {1} AND m."MessageType" <> 2
                """, string.Join(" ", words.Select(w => $"\"{w}\"*")), accountId);
        return db.Database.SqlQuery<int>(sql);
    }

    /// <summary>Ids of the account's contacts whose name, email, phone number or identifier holds <paramref name="q"/>.</summary>
    public static IQueryable<int> Contacts(UniLinkDb db, int accountId, string q)
    {
        var lower = q.ToLowerInvariant();
        if (db.Database.IsNpgsql())
            return db.Database.SqlQuery<int>($"""
                SELECT c."Id" AS "Value" FROM "Contacts" c
                WHERE lower(coalesce(c."Name", '') || ' ' || coalesce(c."Email", '') || ' ' || coalesce(c."PhoneNumber", '') || ' ' || coalesce(c."Identifier", '')) LIKE {"%" + lower.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%"}
                  AND c."AccountId" = {accountId}
                """);
        // FTS5's trigram index serves LIKE only without an ESCAPE clause; a query holding a wildcard is looked for as it is.
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

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
