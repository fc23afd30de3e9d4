using System.Text.Json;
using System.Text.Json.Nodes;

namespace UniLink.Features.DashboardApps.Platform;

public static class AppSettingsEndpoints
{
    /// <summary>
    /// <c>…/dashboard_apps/{id}/settings</c>: every member reads, administrators change (partially; omitted keys keep
    /// their value). Bad values and foreign inboxes are one 422 naming each problem, and nothing is saved.
    /// </summary>
    public static RouteGroupBuilder MapAppSettings(this RouteGroupBuilder apps)
    {
        apps.MapGet("/{id:int}/settings", async (AccountScope scope, int id, DashboardAppService service, CancellationToken ct) =>
            await service.FindForAsync(scope, id, ct) is not null
                && await service.SettingsAsync(scope.AccountId, id, ct) is { } settings
                ? TypedResults.Json(settings, WireJson.Options)
                : ApiErrors.NotFound())
            .WithName("list-settings-of-a-dashboard-app").WithSummary("Where the app shows, to whom, its grants, hooks and context scopes")
            .Answers<AppSettings>();
        apps.MapPatchAndPut("/{id:int}/settings", UpdateAsync, "update-settings-of-a-dashboard-app",
            "Change where the app shows, to whom, its grants, hooks and context scopes").RequireAdministrator().Answers<AppSettings>();
        return apps;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, int id, HttpRequest request, DashboardAppService service, CancellationToken ct)
    {
        if (await service.SettingsAsync(scope.AccountId, id, ct) is null) return ApiErrors.NotFound();
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        var body = raw!.Unwrap("settings");
        var change = Read(body);
        if (body.Error is { } typeError) return typeError;
        foreach (var (attribute, message) in await service.SettingsProblemsAsync(scope.AccountId, change, ct, id)) body.Problem(attribute, message);
        if (body.Error is { } valueError) return valueError;
        return (await service.UpdateSettingsAsync(scope.AccountId, id, scope.UserId, change, ct)).ToHttp(saved => saved);
    }

    /// <summary>The keys present, with their JSON types checked; wrong types are problems on <paramref name="body"/>.</summary>
    private static AppSettingsChange Read(RequestBody body)
    {
        bool Present(string key)
        {
            if (!body.Has(key)) return false;
            if (body.Json[key] is not null) return true;
            body.Problem(key, "can't be null");
            return false;
        }
        string? Text(string key)
        {
            if (!Present(key)) return null;
            if (body.Json[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>().Trim();
            body.Problem(key, "must be a string");
            return null;
        }
        return new AppSettingsChange(
            Placement: Text("placement"),
            KeepAlive: Present("keep_alive") ? body.Bool("keep_alive") : null,
            InboxIds: Present("inbox_ids") ? Ids(body, "inbox_ids", "inbox ids") : null,
            VisibleTo: Text("visible_to"),
            Permissions: Present("permissions") ? body.Strings("permissions", maxItems: AppActions.Grantable.Length * 2, maxLength: 64) : null,
            ExtraFrameOrigins: Present("extra_frame_origins") ? body.Strings("extra_frame_origins", maxItems: AppSettings.MaxExtraFrameOrigins, maxLength: 255) : null,
            ContextScopes: Present("context_scopes") ? body.Strings("context_scopes", maxItems: ContextScopes.All.Length * 2, maxLength: 64) : null,
            VisibleToTeamIds: Present("visible_to_team_ids") ? Ids(body, "visible_to_team_ids", "team ids") : null,
            VisibleToAgentIds: Present("visible_to_agent_ids") ? Ids(body, "visible_to_agent_ids", "agent ids") : null,
            HookTimeoutMs: Present("hook_timeout_ms") ? body.Int("hook_timeout_ms") : null,
            HookTimeoutOutcome: Text("hook_timeout_outcome"),
            // null or "" removes the endpoint.
            EventEndpoint: body.Has("event_endpoint") && body.Json["event_endpoint"] is null ? "" : Text("event_endpoint"),
            Events: Present("events") ? body.Strings("events", maxItems: Events.AppEventTypes.Server.Length * 2, maxLength: 64) : null);
    }

    /// <summary>A list of ids (inboxes, teams, agents): numbers, or digit strings as form encoding sends them.</summary>
    private static List<int>? Ids(RequestBody body, string key, string what)
    {
        if (body.Json[key] is not JsonArray list)
        {
            body.Problem(key, $"must be a list of {what}");
            return null;
        }
        var ids = new List<int>();
        foreach (var item in list)
        {
            if (item is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) && n > 0) ids.Add(n);
            else if (item is JsonValue s && s.GetValueKind() == JsonValueKind.String && int.TryParse(s.GetValue<string>(), out var p) && p > 0) ids.Add(p);
            else
            {
                body.Problem(key, $"must be a list of {what} (positive whole numbers)");
                return null;
            }
        }
        return ids;
    }
}
