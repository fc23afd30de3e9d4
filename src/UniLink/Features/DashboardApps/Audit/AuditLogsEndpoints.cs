using System.Text.Json.Nodes;

namespace UniLink.Features.DashboardApps.Audit;

/// <summary>
/// One line as the reference's <c>audit_logs</c> shows it (<c>id, auditable_id, auditable_type, auditable, associated_id,
/// associated_type, user_id, user_type, username, action, audited_changes, version, comment, request_uuid, created_at,
/// remote_address</c>), then UniLink's own: <c>event, app_id, app_title, conversation_id, request, outcome</c>.
/// </summary>
public sealed record AuditLogJson(long Id, int AuditableId, string AuditableType, JsonNode? Auditable, int AssociatedId, string AssociatedType,
    int? UserId, string? UserType, string? Username, string Action, JsonObject AuditedChanges, int? Version, string Comment, string? RequestUuid,
    long CreatedAt, string? RemoteAddress, string Event, int AppId, string AppTitle, int? ConversationId, JsonNode? Request, string? Outcome)
{
    public static AuditLogJson Of(AppAuditEntry e) => new(
        e.Id, e.AppId, "DashboardApp", null, e.AccountId, "Account", e.UserId, e.UserId is null ? null : "User", e.UserName,
        AppAuditEvents.ReferenceAction(e.Event), Parse(e.Changes) as JsonObject ?? [], null, AppAuditEvents.Describe(e.Event), null,
        UnixTime.Seconds(e.CreatedAt), null, e.Event, e.AppId, e.AppTitle, e.ConversationId, Parse(e.Request), e.Outcome);

    /// <summary>Stored JSON text as JSON; text that is not (clipped) stays a string.</summary>
    private static JsonNode? Parse(string? text)
    {
        if (text is null) return null;
        try { return JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return JsonValue.Create(text); }
    }
}

/// <summary>The reference's page: <c>per_page</c> (25), <c>total_entries</c>, <c>current_page</c>, <c>audit_logs</c>, newest first.</summary>
public sealed record AuditLogPageJson(int PerPage, int TotalEntries, int CurrentPage, IReadOnlyList<AuditLogJson> AuditLogs);

public sealed record AuditLogFilter(int? AppId = null, int? UserId = null, int? ConversationId = null, string? Event = null);

public static class AuditLogQueries
{
    public const int PerPage = 25;

    public static async Task<(List<AppAuditEntry> Entries, int Total)> PageAsync(UniLinkDb db, int accountId, AuditLogFilter filter, int page,
        CancellationToken ct = default)
    {
        var query = db.AppAuditLog.AsNoTracking().Where(e => e.AccountId == accountId);
        if (filter.AppId is { } app) query = query.Where(e => e.AppId == app);
        if (filter.UserId is { } user) query = query.Where(e => e.UserId == user);
        if (filter.ConversationId is { } conversation) query = query.Where(e => e.ConversationId == conversation);
        if (filter.Event is { } kind) query = query.Where(e => e.Event == kind);
        var total = await query.CountAsync(ct);
        var entries = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Skip((page - 1) * PerPage).Take(PerPage).ToListAsync(ct);
        return (entries, total);
    }
}

public static class AuditLogsEndpoints
{
    /// <summary>
    /// <c>GET /api/v1/accounts/{account_id}/audit_logs</c>, administrators only (as the reference): the apps' audit log,
    /// 25 a page, filtered by <c>app_id</c>, <c>agent_id</c> (alias <c>user_id</c>), <c>conversation_id</c> and <c>event</c>.
    /// </summary>
    public static RouteGroupBuilder MapAuditLogs(this RouteGroupBuilder account)
    {
        account.MapGet("/audit_logs", async (AccountScope scope, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
        {
            var problems = new List<(string Message, string Field)>();
            int? Number(string key, string label)
            {
                var text = request.Query[key].ToString();
                if (text.Length == 0) return null;
                if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0) return n;
                problems.Add(($"{label} must be a positive whole number", key));
                return null;
            }
            var page = Number("page", "Page") ?? 1;
            var agent = Number("agent_id", "Agent id") ?? Number("user_id", "User id");
            var filter = new AuditLogFilter(Number("app_id", "App id"), agent, Number("conversation_id", "Conversation id"),
                request.Query["event"].ToString() is { Length: > 0 } kind ? kind : null);
            if (filter.Event is { } e && !AppAuditEvents.All.Contains(e)) problems.Add(($"Event must be one of {string.Join(", ", AppAuditEvents.All)}", "event"));
            if (page > 100_000) problems.Add(("Page must be at most 100000", "page"));
            if (problems.Count > 0) return ApiErrors.Invalid(string.Join(", ", problems.Select(p => p.Message)), problems.Select(p => p.Field).ToArray());
            var (entries, total) = await AuditLogQueries.PageAsync(db, scope.AccountId, filter, page, ct);
            return TypedResults.Json(new AuditLogPageJson(AuditLogQueries.PerPage, total, page, entries.Select(AuditLogJson.Of).ToList()), WireJson.Options);
        }).RequireAdministrator().WithTags("Audit logs").WithName("list-audit-logs")
            .WithSummary("The apps' audit log, newest first, 25 a page (app_id, agent_id, conversation_id, event filters)").Answers<AuditLogPageJson>();
        return account;
    }
}
