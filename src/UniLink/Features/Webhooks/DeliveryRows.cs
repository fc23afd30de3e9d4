using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace UniLink.Features.Webhooks;

/// <summary>
/// The worker's two bulk writes as one statement each, whatever the batch's size: a fan-out's new deliveries, and a batch of
/// attempts' outcomes with their log rows. The rows travel as one JSON parameter, read by <c>json_each</c> (SQLite) or
/// <c>json_to_recordset</c> (PostgreSQL): a thousand deliveries a second through EF's change tracker and its per-row
/// parameters cost more CPU than sending them.
/// </summary>
internal static class DeliveryRows
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private sealed class Inserted
    {
        public long Id { get; set; }
        public string DeliveryKey { get; set; } = "";
    }

    /// <summary>Inserts <paramref name="rows"/> (pending, no attempt yet, created at <paramref name="createdAt"/>) and sets their ids.</summary>
    public static async Task InsertAsync(UniLinkDb db, bool postgres, IReadOnlyList<WebhookDelivery> rows, DateTime createdAt, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var json = Json(rows, (w, d) =>
        {
            w.WriteNumber("a", d.AccountId);
            w.WriteNumber("e", d.EventId);
            w.WriteString("v", d.Event);
            w.WriteString("k", d.TargetKind);
            w.WriteNumber("t", d.TargetId);
            w.WriteString("o", d.OrderKey);
            w.WriteString("d", d.DeliveryKey);
            if (d.Payload is null) w.WriteNull("p"); else w.WriteString("p", d.Payload);
            w.WriteNumber("r", d.RetryUntil);
            w.WriteNumber("n", d.NextAttemptAt);
            w.WriteNumber("lu", d.LeaseUntil);
            if (d.LeaseOwner is null) w.WriteNull("lo"); else w.WriteString("lo", d.LeaseOwner);
        });
        var inserted = postgres
            ? await db.Database.SqlQuery<Inserted>($"""
                INSERT INTO "WebhookDeliveries" ("AccountId", "EventId", "Event", "TargetKind", "TargetId", "OrderKey", "DeliveryKey", "Payload",
                  "State", "Attempts", "RetryUntil", "NextAttemptAt", "LeaseUntil", "LeaseOwner", "CreatedAt")
                SELECT r.a, r.e, r.v, r.k, r.t, r.o, r.d, r.p, 'pending', 0, r.r, r.n, r.lu, r.lo, {createdAt}
                FROM json_to_recordset({json}::json) AS r(a integer, e bigint, v text, k text, t integer, o text, d text, p text, r bigint, n bigint, lu bigint, lo text)
                RETURNING "Id", "DeliveryKey"
                """).ToListAsync(ct)
            : await db.Database.SqlQuery<Inserted>($"""
                INSERT INTO "WebhookDeliveries" ("AccountId", "EventId", "Event", "TargetKind", "TargetId", "OrderKey", "DeliveryKey", "Payload",
                  "State", "Attempts", "RetryUntil", "NextAttemptAt", "LeaseUntil", "LeaseOwner", "CreatedAt")
                SELECT json_extract(j.value, '$.a'), json_extract(j.value, '$.e'), json_extract(j.value, '$.v'), json_extract(j.value, '$.k'),
                  json_extract(j.value, '$.t'), json_extract(j.value, '$.o'), json_extract(j.value, '$.d'), json_extract(j.value, '$.p'), 'pending', 0,
                  json_extract(j.value, '$.r'), json_extract(j.value, '$.n'), json_extract(j.value, '$.lu'), json_extract(j.value, '$.lo'), {createdAt}
                FROM json_each({json}) AS j ORDER BY j.key
                RETURNING "Id", "DeliveryKey"
                """).ToListAsync(ct);
        var ids = inserted.ToDictionary(i => i.DeliveryKey, i => i.Id);
        foreach (var d in rows) d.Id = ids[d.DeliveryKey];
    }

    /// <summary>One attempt's outcome, applied to <see cref="Delivery"/> (<see cref="WebhookWorker.Record"/>) and held by <see cref="Token"/>.</summary>
    public sealed record Outcome(WebhookDelivery Delivery, AttemptResult Result, string Token);

    /// <summary>
    /// Writes the outcomes (only where their claim still holds the delivery) and every attempt's log row; the ids whose
    /// outcome was written. The caller's transaction makes them one commit.
    /// </summary>
    /// <remarks>
    /// On SQLite the unary <c>+</c> keeps the planner off the index on <c>State</c>: with it, SQLite scanned every pending
    /// delivery once per outcome (a backlog made each batch slower, and the backlog grew); without it, it looks each outcome's
    /// row up by its id.
    /// </remarks>
    public static async Task<HashSet<long>> RecordAsync(UniLinkDb db, bool postgres, IReadOnlyList<Outcome> outcomes, DateTime now, CancellationToken ct)
    {
        if (outcomes.Count == 0) return [];
        var json = Json(outcomes, (w, o) =>
        {
            var d = o.Delivery;
            var r = o.Result;
            w.WriteNumber("id", d.Id);
            w.WriteString("tok", o.Token);
            w.WriteString("s", d.State);
            w.WriteNumber("at", d.Attempts);
            if (r.StatusCode is { } status) w.WriteNumber("sc", status); else w.WriteNull("sc");
            if (d.LastError is null) w.WriteNull("le"); else w.WriteString("le", Clean(d.LastError));
            w.WriteNumber("n", d.NextAttemptAt);
            w.WriteNumber("ms", r.DurationMs);
            if (r.Response is null) w.WriteNull("re"); else w.WriteString("re", Clean(r.Response));
            if (r.Error is null) w.WriteNull("er"); else w.WriteString("er", Clean(r.Error));
        });
        List<long> recorded;
        if (postgres)
        {
            recorded = await db.Database.SqlQuery<long>($"""
                UPDATE "WebhookDeliveries" AS d SET "State" = r.s, "Attempts" = r.at, "LastStatusCode" = r.sc, "LastError" = r.le, "NextAttemptAt" = r.n,
                  "CompletedAt" = CASE WHEN r.s = 'pending' THEN NULL ELSE {now} END, "LeaseOwner" = NULL, "LeaseUntil" = 0
                FROM json_to_recordset({json}::json) AS r(id bigint, tok text, s text, at integer, sc integer, le text, n bigint)
                WHERE d."Id" = r.id AND d."LeaseOwner" = r.tok AND d."State" = 'pending'
                RETURNING d."Id" AS "Value"
                """).ToListAsync(ct);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "WebhookAttempts" ("DeliveryId", "At", "StatusCode", "DurationMs", "Response", "Error")
                SELECT r.id, {now}, r.sc, r.ms, r.re, r.er FROM json_to_recordset({json}::json) AS r(id bigint, sc integer, ms integer, re text, er text)
                """, ct);
        }
        else
        {
            recorded = await db.Database.SqlQuery<long>($"""
                UPDATE "WebhookDeliveries" SET "State" = json_extract(j.value, '$.s'), "Attempts" = json_extract(j.value, '$.at'),
                  "LastStatusCode" = json_extract(j.value, '$.sc'), "LastError" = json_extract(j.value, '$.le'), "NextAttemptAt" = json_extract(j.value, '$.n'),
                  "CompletedAt" = CASE WHEN json_extract(j.value, '$.s') = 'pending' THEN NULL ELSE {now} END, "LeaseOwner" = NULL, "LeaseUntil" = 0
                FROM json_each({json}) AS j
                WHERE "WebhookDeliveries"."Id" = json_extract(j.value, '$.id') AND "WebhookDeliveries"."LeaseOwner" = json_extract(j.value, '$.tok')
                  AND +"WebhookDeliveries"."State" = 'pending'
                RETURNING "Id" AS "Value"
                """).ToListAsync(ct);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "WebhookAttempts" ("DeliveryId", "At", "StatusCode", "DurationMs", "Response", "Error")
                SELECT json_extract(j.value, '$.id'), {now}, json_extract(j.value, '$.sc'), json_extract(j.value, '$.ms'), json_extract(j.value, '$.re'),
                  json_extract(j.value, '$.er')
                FROM json_each({json}) AS j ORDER BY j.key
                """, ct);
        }
        return [.. recorded];
    }

    /// <summary>PostgreSQL cannot hold U+0000 in text (nor read it from JSON as text).</summary>
    private static string Clean(string s) => s.Contains('\0') ? s.Replace('\0', ' ') : s;

    private static string Json<T>(IEnumerable<T> rows, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, Relaxed))
        {
            w.WriteStartArray();
            foreach (var row in rows)
            {
                w.WriteStartObject();
                write(w, row);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
