// The hand-written baseline of bench/scale for an uncached GET /api/v1/accounts/{account_id}/conversations/{id}: what
// the request costs with nothing between Kestrel and Npgsql. Two queries, as any correct implementation needs: the
// caller (token → user, role, account not suspended) and the conversation with its contact, inbox, assignee, labels,
// newest message, newest non-activity message (each with its sender) and unread count, written with Utf8JsonWriter
// in UniLink's field order. It covers what the measured conversations hold (a contact or an agent as sender, no team,
// no attachments) and answers 501 for anything else; bench/scale compares its bytes with UniLink's before measuring.
// Usage: NpgsqlShow <listen url> <postgres:// url> (the connection settings are UniLink's own, UniLink.Infrastructure.Config.PostgresUrl).
using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(args[0]);
var app = builder.Build();
app.Use(async (context, next) =>
{
    try { await next(context); }
    catch (Exception e) when (!context.Response.HasStarted)
    {
        Console.Error.WriteLine(e);
        context.Response.StatusCode = 500;
    }
});
if (!UniLink.Infrastructure.Config.PostgresUrl.TryToConnectionString(args[1], out var cs, out var why)) throw new ArgumentException(why);
await using var source = NpgsqlDataSource.Create(cs);
var writerOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

const string CallerSql = """
    SELECT m."Role", a."Status" FROM "Users" u
    JOIN "AccountUsers" m ON m."UserId" = u."Id" AND m."AccountId" = $2
    JOIN "Accounts" a ON a."Id" = $2
    WHERE u."AccessTokenHash" = $1
    """;
const string ConversationSql = """
    SELECT c."DisplayId", c."AccountId", c."Uuid", c."AdditionalAttributes", c."AgentLastSeenAt", c."AssigneeLastSeenAt",
           c."ContactLastSeenAt", c."CustomAttributes", c."InboxId", c."Muted", c."SnoozedUntil", c."Status", c."CreatedAt",
           c."UpdatedAt", c."LastActivityAt", c."FirstReplyCreatedAt", c."Priority", c."WaitingSince", c."TeamId",
           k."Id", k."AdditionalAttributes", k."Email", k."Name", k."PhoneNumber", k."Blocked", k."Identifier", k."Thumbnail",
           k."CustomAttributes", k."LastActivityAt", k."CreatedAt",
           i."ChannelType", coalesce(ci."HmacVerified", false),
           u."Id", u."AvailabilityStatus", u."AutoOffline", u."Confirmed", u."Email", u."DisplayName", u."Name", u."Thumbnail",
           (SELECT r."Role" FROM "AccountUsers" r WHERE r."AccountId" = c."AccountId" AND r."UserId" = c."AssigneeId"),
           ARRAY(SELECT l."Title" FROM "ConversationLabels" l WHERE l."ConversationId" = c."Id" ORDER BY l."Title" COLLATE "C"),
           (SELECT count(*)::int FROM "Messages" n WHERE n."ConversationId" = c."Id" AND n."MessageType" = 0
              AND n."CreatedAt" > coalesce(c."AgentLastSeenAt", '-infinity')),
           (SELECT max(x."Id") FROM "Messages" x WHERE x."ConversationId" = c."Id"),
           (SELECT x."Id" FROM "Messages" x WHERE x."ConversationId" = c."Id" AND x."MessageType" <> 2 ORDER BY x."Id" DESC LIMIT 1)
    FROM "Conversations" c
    JOIN "Contacts" k ON k."Id" = c."ContactId"
    JOIN "Inboxes" i ON i."Id" = c."InboxId"
    LEFT JOIN "ContactInboxes" ci ON ci."Id" = c."ContactInboxId"
    LEFT JOIN "Users" u ON u."Id" = c."AssigneeId"
    WHERE c."AccountId" = $1 AND c."DisplayId" = $2
    """;
const string MessagesSql = """
    SELECT m."Id", m."Content", m."InboxId", m."MessageType", m."ContentType", m."Status", m."ContentAttributes", m."CreatedAt",
           m."Private", m."SourceId", m."SenderType", m."SenderId",
           sc."AdditionalAttributes", sc."CustomAttributes", sc."Email", sc."Identifier", sc."Name", sc."PhoneNumber", sc."Thumbnail", sc."Blocked",
           su."Name", su."DisplayName", su."Thumbnail", su."AvailabilityStatus",
           EXISTS (SELECT 1 FROM "Attachments" at WHERE at."MessageId" = m."Id")
    FROM "Messages" m
    LEFT JOIN "Contacts" sc ON m."SenderType" = 'Contact' AND sc."Id" = m."SenderId"
    LEFT JOIN "Users" su ON m."SenderType" = 'User' AND su."Id" = m."SenderId"
    WHERE m."Id" IN (
      (SELECT max(x."Id") FROM "Messages" x JOIN "Conversations" c ON x."ConversationId" = c."Id" WHERE c."AccountId" = $1 AND c."DisplayId" = $2),
      (SELECT x."Id" FROM "Messages" x JOIN "Conversations" c ON x."ConversationId" = c."Id" WHERE c."AccountId" = $1 AND c."DisplayId" = $2
         AND x."MessageType" <> 2 ORDER BY x."Id" DESC LIMIT 1))
    """;

app.MapGet("/api/v1/accounts/{account_id:int}/conversations/{id:int}", async (int account_id, int id, HttpContext http) =>
{
    var token = http.Request.Headers["api_access_token"].ToString();
    if (token.Length is 0 or > 128) return Results.StatusCode(401);
    var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    await using var connection = await source.OpenConnectionAsync(http.RequestAborted);
    await using (var caller = new NpgsqlCommand(CallerSql, connection) { Parameters = { new() { Value = hash }, new() { Value = account_id } } })
    await using (var r = await caller.ExecuteReaderAsync(http.RequestAborted))
    {
        if (!await r.ReadAsync() || r.GetString(1) == "suspended") return Results.StatusCode(401);
        if (r.GetString(0) != "administrator") return Results.StatusCode(501); // agents: inbox membership, not covered
    }
    var buffer = new ArrayBufferWriter<byte>(4096);
    await using (var batch = new NpgsqlBatch(connection)
    {
        BatchCommands =
        {
            new NpgsqlBatchCommand(ConversationSql) { Parameters = { new() { Value = account_id }, new() { Value = id } } },
            new NpgsqlBatchCommand(MessagesSql) { Parameters = { new() { Value = account_id }, new() { Value = id } } },
        },
    })
    await using (var r = await batch.ExecuteReaderAsync(http.RequestAborted))
    {
        if (!await r.ReadAsync()) return Results.StatusCode(404);
        if (!r.IsDBNull(18)) return Results.StatusCode(501); // a team: not covered
        var c = new object[r.FieldCount];
        r.GetValues(c);
        await r.NextResultAsync();
        var messages = new Dictionary<int, object[]>();
        while (await r.ReadAsync())
        {
            var m = new object[r.FieldCount];
            r.GetValues(m);
            if ((bool)m[24] || m[10] is not (DBNull or "Contact" or "User")) return Results.StatusCode(501); // attachments, bots
            messages[(int)m[0]] = m;
        }
        using var w = new Utf8JsonWriter(buffer, writerOptions);
        var displayId = (int)c[0];
        w.WriteStartObject();
        w.WriteStartObject("meta");
        w.WriteStartObject("sender");
        Raw(w, "additional_attributes", c[20]);
        w.WriteString("availability_status", "offline");
        Str(w, "email", c[21]);
        w.WriteNumber("id", (int)c[19]);
        Str(w, "name", c[22]);
        Str(w, "phone_number", c[23]);
        w.WriteBoolean("blocked", (bool)c[24]);
        Str(w, "identifier", c[25]);
        Str(w, "thumbnail", c[26]);
        Raw(w, "custom_attributes", c[27]);
        if (c[28] is DateTime contactActive) w.WriteNumber("last_activity_at", Seconds(contactActive));
        w.WriteNumber("created_at", Seconds((DateTime)c[29]));
        w.WriteEndObject();
        Str(w, "channel", c[30]);
        if (c[32] is int assigneeId)
        {
            w.WriteStartObject("assignee");
            w.WriteNumber("id", assigneeId);
            w.WriteNumber("account_id", (int)c[1]);
            Str(w, "availability_status", c[33]);
            w.WriteBoolean("auto_offline", (bool)c[34]);
            w.WriteBoolean("confirmed", (bool)c[35]);
            Str(w, "email", c[36]);
            w.WriteString("provider", "email");
            w.WriteString("available_name", AvailableName(c[37], c[38]));
            Str(w, "name", c[38]);
            w.WriteString("role", c[40] as string ?? "agent");
            Str(w, "thumbnail", c[39]);
            w.WriteEndObject();
            w.WriteString("assignee_type", "User");
        }
        else
        {
            w.WriteNull("assignee");
            w.WriteNull("assignee_type");
        }
        w.WriteBoolean("hmac_verified", (bool)c[31]);
        w.WriteEndObject();
        w.WriteNumber("id", displayId);
        w.WriteStartArray("messages");
        if (c[43] is int latest && messages.TryGetValue(latest, out var newest)) Message(w, null, newest, displayId);
        w.WriteEndArray();
        w.WriteNumber("account_id", (int)c[1]);
        w.WriteString("uuid", ((Guid)c[2]).ToString());
        Raw(w, "additional_attributes", c[3]);
        w.WriteNumber("agent_last_seen_at", SecondsOrZero(c[4]));
        w.WriteNumber("assignee_last_seen_at", SecondsOrZero(c[5]));
        w.WriteBoolean("can_reply", true);
        w.WriteNumber("contact_last_seen_at", SecondsOrZero(c[6]));
        Raw(w, "custom_attributes", c[7]);
        w.WriteNumber("inbox_id", (int)c[8]);
        w.WriteStartArray("labels");
        foreach (var label in (string[])c[41]) w.WriteStringValue(label);
        w.WriteEndArray();
        w.WriteBoolean("muted", (bool)c[9]);
        if (c[10] is DateTime snoozed) w.WriteString("snoozed_until", Iso(snoozed)); else w.WriteNull("snoozed_until");
        w.WriteString("status", (int)c[11] switch { 1 => "resolved", 2 => "pending", 3 => "snoozed", _ => "open" });
        w.WriteNumber("created_at", Seconds((DateTime)c[12]));
        w.WriteNumber("updated_at", Math.Round(new DateTimeOffset(DateTime.SpecifyKind((DateTime)c[13], DateTimeKind.Utc)).ToUnixTimeMilliseconds() / 1000.0, 3));
        w.WriteNumber("timestamp", Seconds((DateTime)c[14]));
        w.WriteNumber("first_reply_created_at", SecondsOrZero(c[15]));
        w.WriteNumber("unread_count", (int)c[42]);
        if (c[44] is int lastNonActivity && messages.TryGetValue(lastNonActivity, out var shown)) Message(w, "last_non_activity_message", shown, displayId);
        else w.WriteNull("last_non_activity_message");
        w.WriteNumber("last_activity_at", Seconds((DateTime)c[14]));
        Str(w, "priority", c[16]);
        w.WriteNumber("waiting_since", SecondsOrZero(c[17]));
        w.WriteNull("sla_policy_id");
        w.WriteEndObject();
    }
    return Results.Bytes(buffer.WrittenMemory, "application/json; charset=utf-8");
});
app.Run();

static void Message(Utf8JsonWriter w, string? name, object[] m, int displayId)
{
    if (name is null) w.WriteStartObject(); else w.WriteStartObject(name);
    w.WriteNumber("id", (int)m[0]);
    Str(w, "content", m[1]);
    w.WriteNumber("inbox_id", (int)m[2]);
    w.WriteNumber("conversation_id", displayId);
    w.WriteNumber("message_type", (int)m[3]);
    Str(w, "content_type", m[4]);
    Str(w, "status", m[5]);
    Raw(w, "content_attributes", m[6]);
    w.WriteNumber("created_at", Seconds((DateTime)m[7]));
    w.WriteBoolean("private", (bool)m[8]);
    Str(w, "source_id", m[9]);
    switch (m[10])
    {
        case "Contact" when m[12] is not DBNull:
            w.WriteStartObject("sender");
            Raw(w, "additional_attributes", m[12]);
            Raw(w, "custom_attributes", m[13]);
            Str(w, "email", m[14]);
            w.WriteNumber("id", (int)m[11]);
            Str(w, "identifier", m[15]);
            Str(w, "name", m[16]);
            Str(w, "phone_number", m[17]);
            Str(w, "thumbnail", m[18]);
            w.WriteBoolean("blocked", (bool)m[19]);
            w.WriteString("type", "contact");
            w.WriteEndObject();
            break;
        case "User" when m[20] is not DBNull:
            w.WriteStartObject("sender");
            w.WriteNumber("id", (int)m[11]);
            Str(w, "name", m[20]);
            w.WriteString("available_name", AvailableName(m[21], m[20]));
            Str(w, "avatar_url", m[22]);
            Str(w, "availability_status", m[23]);
            Str(w, "thumbnail", m[22]);
            w.WriteString("type", "user");
            w.WriteEndObject();
            break;
        default:
            w.WriteNull("sender");
            break;
    }
    w.WriteEndObject();
}

static void Str(Utf8JsonWriter w, string name, object value)
{
    if (value is string s) w.WriteString(name, s); else w.WriteNull(name);
}

// Stored JSON objects, written back as UniLink writes a JsonObject (parsed, so spacing and escapes are its own).
static void Raw(Utf8JsonWriter w, string name, object value)
{
    w.WritePropertyName(name);
    if (value is string text && JsonNode.Parse(text) is JsonObject o) o.WriteTo(w); else { w.WriteStartObject(); w.WriteEndObject(); }
}

static string AvailableName(object displayName, object name) =>
    displayName is string d && !string.IsNullOrWhiteSpace(d) ? d : name as string ?? "";

static long Seconds(DateTime t) => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeSeconds();
static long SecondsOrZero(object t) => t is DateTime v ? Seconds(v) : 0;
static string Iso(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
