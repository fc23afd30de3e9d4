using System.Text.Json;
using System.Text.Json.Nodes;

namespace UniLink.Features.DashboardApps.Audit;

/// <summary>
/// Writes the apps' audit log. <see cref="AddAsync"/> only adds the line to the context: the caller's next
/// <c>SaveChanges</c> writes it, so it commits (or rolls back) with the change it records.
/// </summary>
public static class AppAudit
{
    public const int MaxTextLength = 4000;

    public static async Task<AppAuditEntry> AddAsync(UniLinkDb db, DashboardApp app, string @event, int? userId, CancellationToken ct = default,
        int? conversationId = null, string? request = null, string? outcome = null, JsonObject? changes = null)
    {
        var name = userId is { } id ? await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.Name).FirstOrDefaultAsync(ct) : null;
        var entry = new AppAuditEntry
        {
            AccountId = app.AccountId, AppId = app.Id, AppTitle = app.Title, Event = @event, UserId = userId, UserName = name,
            ConversationId = conversationId, Request = Clip(request), Outcome = Clip(outcome),
            Changes = changes is { Count: > 0 } ? Clip(changes.ToJsonString()) : null, CreatedAt = UnixTime.Now(),
        };
        db.AppAuditLog.Add(entry);
        return entry;
    }

    public static string? Clip(string? text) => text is { Length: > MaxTextLength } ? text[..MaxTextLength] + "…" : text;

    /// <summary>
    /// <c>{"name": [before, after]}</c> for each top-level member that differs between two JSON shapes of the same thing
    /// (an app's settings before and after a change).
    /// </summary>
    public static JsonObject Changes<T>(T before, T after)
    {
        var a = JsonSerializer.SerializeToNode(before, WireJson.Options)!.AsObject();
        var b = JsonSerializer.SerializeToNode(after, WireJson.Options)!.AsObject();
        var changes = new JsonObject();
        foreach (var (key, value) in b)
        {
            var old = a[key];
            if (!JsonNode.DeepEquals(old, value)) changes[key] = new JsonArray(old?.DeepClone(), value?.DeepClone());
        }
        return changes;
    }
}
