using System.Text.Json;
using System.Text.Json.Nodes;
using AppEventTypes = UniLink.Features.DashboardApps.Events.AppEventTypes;

namespace UniLink.Features.DashboardApps.Platform;

/// <summary>
/// Where and to whom an app shows, and what it may do: <c>GET/PUT/PATCH …/dashboard_apps/{id}/settings</c>. UniLink
/// only, so kept off the compatible <c>/dashboard_apps</c> object, which stays exactly the reference's four fields.
/// </summary>
public sealed record AppSettings(string Placement, bool KeepAlive, IReadOnlyList<int> InboxIds, string VisibleTo, IReadOnlyList<string> Permissions,
    IReadOnlyList<string> ExtraFrameOrigins, IReadOnlyList<string> ContextScopes, IReadOnlyList<int> VisibleToTeamIds, IReadOnlyList<int> VisibleToAgentIds,
    int HookTimeoutMs = AppHooks.DefaultTimeoutMs, string HookTimeoutOutcome = AppHooks.OnTimeoutSend,
    string? EventEndpoint = null, IReadOnlyList<string>? Events = null)
{
    public const string Tab = "conversation_tab";
    public const string Sidebar = "conversation_sidebar";
    /// <summary>A button in the reply box that opens the app in a popover beside it.</summary>
    public const string Composer = "composer";
    /// <summary>A section of the contact panel, beside a conversation and on the contact's own page.</summary>
    public const string ContactPanel = "contact_panel";
    /// <summary>A full page of its own, with an entry in the dashboard's navigation.</summary>
    public const string Page = "page";
    /// <summary>No visible frame: loaded once per signed-in dashboard; hears the open conversation's events, may act and notify.</summary>
    public const string Background = "background";
    public static readonly string[] Placements = [Tab, Sidebar, Composer, ContactPanel, Page, Background];
    public const string VisibleToAll = "all";
    public const string VisibleToAdministrators = "administrators";
    /// <summary>Administrators, the members of <see cref="VisibleToTeamIds"/> and the agents of <see cref="VisibleToAgentIds"/>.</summary>
    public const string VisibleToSelected = "selected";
    public static readonly string[] Audiences = [VisibleToAll, VisibleToAdministrators, VisibleToSelected];
    public const int MaxInboxes = 100;
    public const int MaxAudienceIds = 100;
    public const int MaxExtraFrameOrigins = 10;

    /// <summary>The stored settings; the audience's ids as stored (<see cref="DashboardAppService.SettingsAsync"/> keeps only
    /// the teams and members that still exist).</summary>
    public static AppSettings Of(DashboardApp app) =>
        new(app.Placement, app.KeepAlive, InboxIdsOf(app), app.VisibleTo, AppActions.PermissionsOf(app), ExtraFrameOriginsOf(app.ExtraFrameOrigins),
            Platform.ContextScopes.GrantedOf(app), IdsOf(app.AudienceTeamIds), IdsOf(app.AudienceUserIds),
            AppHooks.TimeoutMsOf(app), app.HookTimeoutBlocks ? AppHooks.OnTimeoutBlock : AppHooks.OnTimeoutSend,
            string.IsNullOrEmpty(app.EventEndpoint) ? null : app.EventEndpoint, EventTypesOf(app));

    /// <summary>The server events the app subscribes to.</summary>
    public static IReadOnlyList<string> EventTypesOf(DashboardApp app) => app.EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// null when <paramref name="url"/> may be an app's event endpoint: an absolute http(s) URL without credentials or
    /// whitespace (private addresses are refused when sending, as for webhooks, unless UNILINK_OUTBOUND_ALLOW_PRIVATE).
    /// </summary>
    public static string? EventEndpointProblem(string url) =>
        url.Length > DashboardAppContent.MaxUrlLength || url.Any(char.IsWhiteSpace) || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0 || uri.UserInfo.Length > 0
            ? "must be an http:// or https:// URL"
            : null;

    /// <summary>Comma-separated ids as stored, as a list.</summary>
    public static IReadOnlyList<int> IdsOf(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.TryParse(s, out var id) ? id : 0).Where(id => id > 0).ToList();

    public static string IdsText(IEnumerable<int> ids) => string.Join(',', ids.Distinct().Order());

    /// <summary>The stored extra frame origins (space-separated) as a list.</summary>
    public static IReadOnlyList<string> ExtraFrameOriginsOf(string stored) => stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// <paramref name="value"/> as an origin (<c>https://login.example.com</c>: scheme, host and port, lower case), or
    /// null when it is anything else: a path, a query, credentials, a wildcard, another scheme.
    /// </summary>
    public static string? NormalizeOrigin(string value)
    {
        var text = value.Trim();
        if (text.EndsWith('/')) text = text[..^1];
        if (text.Contains('*') || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0
            || uri.Host.Length == 0 || text.Any(char.IsWhiteSpace))
            return null;
        return uri.GetLeftPart(UriPartial.Authority);
    }

    public static IReadOnlyList<int> InboxIdsOf(DashboardApp app) => IdsOf(app.InboxIds);

    /// <summary>Is the app shown in a conversation of that inbox to that member (its audience and its inboxes)?</summary>
    public static bool IsShown(DashboardApp app, int inboxId, AppViewer viewer) =>
        AppAudience.Includes(app, viewer) && ShowsInInbox(app, inboxId);

    public static bool ShowsInInbox(DashboardApp app, int inboxId) =>
        InboxIdsOf(app) is var inboxes && (inboxes.Count == 0 || inboxes.Contains(inboxId));
}

/// <summary>A partial change of <see cref="AppSettings"/>: null keeps what is stored.</summary>
public sealed record AppSettingsChange(
    string? Placement = null, bool? KeepAlive = null, IReadOnlyList<int>? InboxIds = null, string? VisibleTo = null, IReadOnlyList<string>? Permissions = null,
    IReadOnlyList<string>? ExtraFrameOrigins = null, IReadOnlyList<string>? ContextScopes = null,
    IReadOnlyList<int>? VisibleToTeamIds = null, IReadOnlyList<int>? VisibleToAgentIds = null,
    int? HookTimeoutMs = null, string? HookTimeoutOutcome = null,
    /// <summary>"" removes the endpoint.</summary>
    string? EventEndpoint = null, IReadOnlyList<string>? Events = null) : IBodyInput<AppSettingsChange>
{
    public static string? Wrapper => "settings";

    /// <summary>The keys present, with their JSON types checked; wrong types are problems on <paramref name="body"/>.</summary>
    public static AppSettingsChange From(RequestBody body, bool creating)
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
            InboxIds: Present("inbox_ids") ? body.Ints("inbox_ids", maxItems: int.MaxValue, min: 1, noun: "inbox ids") : null,
            VisibleTo: Text("visible_to"),
            Permissions: Present("permissions") ? body.Strings("permissions", maxItems: AppActions.Grantable.Length * 2, maxLength: 64) : null,
            ExtraFrameOrigins: Present("extra_frame_origins") ? body.Strings("extra_frame_origins", maxItems: AppSettings.MaxExtraFrameOrigins, maxLength: 255) : null,
            ContextScopes: Present("context_scopes") ? body.Strings("context_scopes", maxItems: Platform.ContextScopes.All.Length * 2, maxLength: 64) : null,
            VisibleToTeamIds: Present("visible_to_team_ids") ? body.Ints("visible_to_team_ids", maxItems: int.MaxValue, min: 1, noun: "team ids") : null,
            VisibleToAgentIds: Present("visible_to_agent_ids") ? body.Ints("visible_to_agent_ids", maxItems: int.MaxValue, min: 1, noun: "agent ids") : null,
            HookTimeoutMs: Present("hook_timeout_ms") ? body.Int("hook_timeout_ms") : null,
            HookTimeoutOutcome: Text("hook_timeout_outcome"),
            // null or "" removes the endpoint.
            EventEndpoint: body.Has("event_endpoint") && body.Json["event_endpoint"] is null ? "" : Text("event_endpoint"),
            Events: Present("events") ? body.Strings("events", maxItems: AppEventTypes.Server.Length * 2, maxLength: 64) : null);
    }

    /// <summary>What is wrong with the values themselves, as (attribute, message); what needs a read (inboxes, teams, agents, the audience) <see cref="DashboardAppService"/> checks.</summary>
    public IEnumerable<(string Attribute, string Message)> ValueProblems()
    {
        if (Placement is not null && !AppSettings.Placements.Contains(Placement))
            yield return ("placement", $"must be one of {string.Join(", ", AppSettings.Placements)}");
        if (VisibleTo is not null && !AppSettings.Audiences.Contains(VisibleTo))
            yield return ("visible_to", $"must be one of {string.Join(", ", AppSettings.Audiences)}");
        if (InboxIds is { Count: > AppSettings.MaxInboxes })
            yield return ("inbox_ids", $"may list at most {AppSettings.MaxInboxes} inboxes");
        if (VisibleToTeamIds is { Count: > AppSettings.MaxAudienceIds })
            yield return ("visible_to_team_ids", $"may list at most {AppSettings.MaxAudienceIds} teams");
        if (VisibleToAgentIds is { Count: > AppSettings.MaxAudienceIds })
            yield return ("visible_to_agent_ids", $"may list at most {AppSettings.MaxAudienceIds} agents");
        if (Permissions?.FirstOrDefault(p => !AppActions.Grantable.Contains(p)) is { } unknown)
            yield return ("permissions", $"'{unknown}' is not one of {string.Join(", ", AppActions.Grantable)}");
        if (HookTimeoutMs is < AppHooks.MinTimeoutMs or > AppHooks.MaxTimeoutMs)
            yield return ("hook_timeout_ms", $"must be between {AppHooks.MinTimeoutMs} and {AppHooks.MaxTimeoutMs} milliseconds");
        if (HookTimeoutOutcome is not null && !AppHooks.TimeoutOutcomes.Contains(HookTimeoutOutcome))
            yield return ("hook_timeout_outcome", $"must be one of {string.Join(", ", AppHooks.TimeoutOutcomes)}");
        if (ExtraFrameOrigins is { Count: > AppSettings.MaxExtraFrameOrigins })
            yield return ("extra_frame_origins", $"may list at most {AppSettings.MaxExtraFrameOrigins} origins");
        else if (ExtraFrameOrigins?.FirstOrDefault(o => AppSettings.NormalizeOrigin(o) is null) is { } bad)
            yield return ("extra_frame_origins", $"'{bad}' is not an origin: write scheme, host and port only, such as https://login.example.com");
        if (EventEndpoint is { Length: > 0 } endpoint && AppSettings.EventEndpointProblem(endpoint) is { } endpointProblem)
            yield return ("event_endpoint", endpointProblem);
        if (Events?.FirstOrDefault(e => !AppEventTypes.Server.Contains(e)) is { } unknownEvent)
            yield return ("events", $"'{unknownEvent}' is not one of {string.Join(", ", AppEventTypes.Server)}");
        if (ContextScopes?.FirstOrDefault(s => !Platform.ContextScopes.All.Contains(s)) is { } unknownScope)
            yield return ("context_scopes", $"'{unknownScope}' is not one of {string.Join(", ", Platform.ContextScopes.All)}");
    }
}
