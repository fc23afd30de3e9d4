using UniLink.Features.DashboardApps.Platform;
using UniLink.Features.DashboardApps.Audit;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.DashboardApps;

/// <summary>An app's title, frames and settings as a write gives them; null keeps what is stored.</summary>
public sealed record DashboardAppInput(string? Title, IReadOnlyList<DashboardAppFrame>? Frames, AppSettingsChange? Settings = null);

/// <summary>App writes and their rules, shared by the API and the settings page.</summary>
public sealed class DashboardAppService(UniLinkDb db, LiveBus live)
{
    public const int MaxTitle = 255;

    /// <summary>
    /// An app has a title and frames that pass <see cref="DashboardAppContent.Problem"/> (never on the dashboard's own
    /// origin, hence <paramref name="dashboardOrigin"/>).
    /// </summary>
    public static WriteProblem? Problem(DashboardAppInput input, string dashboardOrigin, bool creating)
    {
        if ((creating || input.Title is not null) && string.IsNullOrWhiteSpace(input.Title)) return new WriteProblem("Title can't be blank", "title");
        if (input.Title is { Length: > MaxTitle }) return new WriteProblem($"Title is too long (maximum is {MaxTitle} characters)", "title");
        if (!creating && input.Frames is null) return null;
        return DashboardAppContent.Problem(input.Frames ?? [], dashboardOrigin) is { } contentProblem ? new WriteProblem(contentProblem, "content") : null;
    }

    public async Task<List<DashboardApp>> ListAsync(int accountId, CancellationToken ct = default) =>
        await db.DashboardApps.AsNoTracking().Where(a => a.AccountId == accountId).OrderBy(a => a.Id).ToListAsync(ct);

    /// <summary>The apps the caller may see: all of them for administrators, those whose audience holds them for agents.</summary>
    public async Task<List<DashboardApp>> ListForAsync(AccountScope scope, CancellationToken ct = default)
    {
        var apps = await ListAsync(scope.AccountId, ct);
        if (scope.IsAdministrator) return apps;
        var viewer = scope.UserId is { } userId ? await AppViewer.LoadAsync(db, scope.AccountId, userId, ct) : null;
        return viewer is null ? [] : apps.Where(a => AppAudience.Includes(a, viewer)).ToList();
    }

    /// <summary>The app when it exists and the caller is in its audience (administrators: always); otherwise null, a 404.</summary>
    public async Task<DashboardApp?> FindForAsync(AccountScope scope, int appId, CancellationToken ct = default)
    {
        var app = await db.DashboardApps.AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == scope.AccountId && a.Id == appId, ct);
        if (app is null || scope.IsAdministrator) return app;
        var viewer = scope.UserId is { } userId ? await AppViewer.LoadAsync(db, scope.AccountId, userId, ct) : null;
        return viewer is not null && AppAudience.Includes(app, viewer) ? app : null;
    }

    /// <summary>Refused with every problem of its title, frames and settings; otherwise the app and its settings are saved together.</summary>
    public async Task<WriteResult<DashboardApp>> CreateAsync(int accountId, int? userId, DashboardAppInput input, string dashboardOrigin, CancellationToken ct = default)
    {
        if (await ProblemsAsync(accountId, null, input, dashboardOrigin, ct) is [_, ..] problems) return new WriteResult<DashboardApp>.Rejected(problems);
        var (title, frames) = (input.Title!, input.Frames!);
        var now = UnixTime.Now();
        var app = new DashboardApp
        {
            AccountId = accountId, UserId = userId, Title = title, Content = DashboardAppContent.Serialize(frames), CreatedAt = now, UpdatedAt = now,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.DashboardApps.Add(app);
        await db.SaveChangesAsync(ct);
        await AppAudit.AddAsync(db, app, AppAuditEvents.Created, userId, ct, changes: AppAudit.Changes(new { title = (string?)null, content = (object?)null },
            new { title = (string?)app.Title, content = (object?)frames.Select(f => f.Url).ToList() }));
        if (input.Settings is { } settings) await ApplyAsync(app, settings, userId, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.DashboardAppsChanged));
        return app;
    }

    /// <summary>Partial: a null title, frames or settings keeps what is stored. Refused as <see cref="CreateAsync"/>.</summary>
    public async Task<WriteResult<DashboardApp>> UpdateAsync(int accountId, int appId, int? actorId, DashboardAppInput input, string dashboardOrigin,
        CancellationToken ct = default)
    {
        var app = await db.DashboardApps.FirstOrDefaultAsync(a => a.AccountId == accountId && a.Id == appId, ct);
        if (app is null) return new WriteResult<DashboardApp>.Missing();
        if (await ProblemsAsync(accountId, app, input, dashboardOrigin, ct) is [_, ..] problems) return new WriteResult<DashboardApp>.Rejected(problems);
        var before = new { title = app.Title, content = DashboardAppContent.Read(app.Content).Select(f => f.Url).ToList() };
        if (input.Title is { } title) app.Title = title;
        if (input.Frames is { } frames) app.Content = DashboardAppContent.Serialize(frames);
        app.UpdatedAt = UnixTime.Now();
        var changes = AppAudit.Changes(before, new { title = app.Title, content = DashboardAppContent.Read(app.Content).Select(f => f.Url).ToList() });
        if (changes.Count > 0) await AppAudit.AddAsync(db, app, AppAuditEvents.Updated, actorId, ct, changes: changes);
        if (input.Settings is { } settings) await ApplyAsync(app, settings, actorId, ct);
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.DashboardAppsChanged));
        return app;
    }

    private async Task<List<WriteProblem>> ProblemsAsync(int accountId, DashboardApp? stored, DashboardAppInput input, string dashboardOrigin, CancellationToken ct)
    {
        var problems = Problem(input, dashboardOrigin, creating: stored is null) is { } problem ? [problem] : new List<WriteProblem>();
        if (input.Settings is { } settings) problems.AddRange(await SettingsProblemsAsync(accountId, settings, stored, ct));
        return problems;
    }

    public async Task<bool> DeleteAsync(int accountId, int appId, int? actorId, CancellationToken ct = default)
    {
        var app = await db.DashboardApps.AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == accountId && a.Id == appId, ct);
        if (app is null) return false;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.DashboardApps.Where(a => a.AccountId == accountId && a.Id == appId).ExecuteDeleteAsync(ct);
        if (deleted == 0) return false;
        await AppAudit.AddAsync(db, app, AppAuditEvents.Deleted, actorId, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.DashboardAppsChanged));
        return true;
    }

    /// <summary>The app's settings; its audience names only the teams and members the account still has.</summary>
    public async Task<AppSettings?> SettingsAsync(int accountId, int appId, CancellationToken ct = default) =>
        await db.DashboardApps.AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == accountId && a.Id == appId, ct) is { } app
            ? await WithCurrentAudienceAsync(accountId, AppSettings.Of(app), ct)
            : null;

    private async Task<AppSettings> WithCurrentAudienceAsync(int accountId, AppSettings settings, CancellationToken ct)
    {
        if (settings.VisibleToTeamIds.Count == 0 && settings.VisibleToAgentIds.Count == 0) return settings;
        var teams = await KnownTeamsAsync(accountId, settings.VisibleToTeamIds, ct);
        var agents = await KnownMembersAsync(accountId, settings.VisibleToAgentIds, ct);
        return settings with
        {
            VisibleToTeamIds = settings.VisibleToTeamIds.Where(teams.Contains).ToList(),
            VisibleToAgentIds = settings.VisibleToAgentIds.Where(agents.Contains).ToList(),
        };
    }

    private async Task<List<int>> KnownTeamsAsync(int accountId, IReadOnlyList<int> ids, CancellationToken ct) =>
        ids.Count == 0 ? [] : await db.Teams.AsNoTracking().Where(t => t.AccountId == accountId && ids.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct);

    private async Task<List<int>> KnownMembersAsync(int accountId, IReadOnlyList<int> ids, CancellationToken ct) =>
        ids.Count == 0 ? [] : await db.AccountUsers.AsNoTracking().Where(m => m.AccountId == accountId && ids.Contains(m.UserId)).Select(m => m.UserId).ToListAsync(ct);

    /// <summary>
    /// Every reason the change cannot be saved: bad values, inboxes, teams or agents that are not this account's, an
    /// audience of selected teams and agents naming none (with what <paramref name="stored"/> has; null: a new app).
    /// </summary>
    private async Task<List<WriteProblem>> SettingsProblemsAsync(int accountId, AppSettingsChange change, DashboardApp? stored, CancellationToken ct)
    {
        var problems = change.ValueProblems().Select(p => WriteProblem.Of(p.Attribute, p.Message)).ToList();
        if (change.InboxIds is { Count: > 0 and <= AppSettings.MaxInboxes } ids)
        {
            var known = await db.Inboxes.AsNoTracking().Where(i => i.AccountId == accountId && ids.Contains(i.Id)).Select(i => i.Id).ToListAsync(ct);
            var unknown = ids.Except(known).ToList();
            if (unknown.Count > 0) problems.Add(WriteProblem.Of("inbox_ids", $"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not an inbox" : "are not inboxes")} of this account"));
        }
        if (change.VisibleToTeamIds is { Count: > 0 and <= AppSettings.MaxAudienceIds } teamIds
            && teamIds.Except(await KnownTeamsAsync(accountId, teamIds, ct)).ToList() is { Count: > 0 } unknownTeams)
            problems.Add(WriteProblem.Of("visible_to_team_ids", $"{string.Join(", ", unknownTeams)} {(unknownTeams.Count == 1 ? "is not a team" : "are not teams")} of this account"));
        if (change.VisibleToAgentIds is { Count: > 0 and <= AppSettings.MaxAudienceIds } agentIds
            && agentIds.Except(await KnownMembersAsync(accountId, agentIds, ct)).ToList() is { Count: > 0 } unknownAgents)
            problems.Add(WriteProblem.Of("visible_to_agent_ids", $"{string.Join(", ", unknownAgents)} {(unknownAgents.Count == 1 ? "is not an agent" : "are not agents")} of this account"));
        if (problems.Count == 0)
        {
            var current = stored is null ? null : await WithCurrentAudienceAsync(accountId, AppSettings.Of(stored), ct);
            var visibleTo = change.VisibleTo ?? current?.VisibleTo ?? AppSettings.VisibleToAll;
            var teams = change.VisibleToTeamIds ?? current?.VisibleToTeamIds ?? [];
            var agents = change.VisibleToAgentIds ?? current?.VisibleToAgentIds ?? [];
            if (visibleTo == AppSettings.VisibleToSelected && teams.Count == 0 && agents.Count == 0)
                problems.Add(WriteProblem.Of("visible_to", $"{AppSettings.VisibleToSelected} needs at least one team (visible_to_team_ids) or agent (visible_to_agent_ids)"));
            var events = change.Events ?? current?.Events ?? [];
            if (events.Count > 0 && string.IsNullOrEmpty(change.EventEndpoint ?? current?.EventEndpoint))
                problems.Add(WriteProblem.Of("event_endpoint", "is required when the app subscribes to events"));
        }
        return problems;
    }

    /// <summary>Partial. Refused with every problem of the change (each naming its field), and nothing is saved.</summary>
    public async Task<WriteResult<AppSettings>> UpdateSettingsAsync(int accountId, int appId, int? actorId, AppSettingsChange change, CancellationToken ct = default)
    {
        var app = await db.DashboardApps.FirstOrDefaultAsync(a => a.AccountId == accountId && a.Id == appId, ct);
        if (app is null) return new WriteResult<AppSettings>.Missing();
        if (await SettingsProblemsAsync(accountId, change, app, ct) is [_, ..] problems) return new WriteResult<AppSettings>.Rejected(problems);
        await ApplyAsync(app, change, actorId, ct);
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.DashboardAppsChanged));
        return await WithCurrentAudienceAsync(accountId, AppSettings.Of(app), ct);
    }

    /// <summary>Sets what <paramref name="change"/> names on the tracked <paramref name="app"/> and audits it; the caller saves.</summary>
    private async Task ApplyAsync(DashboardApp app, AppSettingsChange change, int? actorId, CancellationToken ct)
    {
        var before = AppSettings.Of(app);
        if (change.Placement is not null) app.Placement = change.Placement;
        if (change.KeepAlive is { } keepAlive) app.KeepAlive = keepAlive;
        if (change.InboxIds is not null) app.InboxIds = string.Join(',', change.InboxIds.Distinct().Order());
        if (change.VisibleTo is not null) app.VisibleTo = change.VisibleTo;
        if (change.VisibleToTeamIds is not null) app.AudienceTeamIds = AppSettings.IdsText(change.VisibleToTeamIds);
        if (change.VisibleToAgentIds is not null) app.AudienceUserIds = AppSettings.IdsText(change.VisibleToAgentIds);
        if (change.Permissions is not null) app.Permissions = string.Join(',', change.Permissions.Distinct());
        if (change.ContextScopes is not null) app.WithheldContextScopes = ContextScopes.WithheldFor(change.ContextScopes);
        if (change.HookTimeoutMs is { } hookTimeout) app.HookTimeoutMs = hookTimeout;
        if (change.HookTimeoutOutcome is { } onTimeout) app.HookTimeoutBlocks = onTimeout == AppHooks.OnTimeoutBlock;
        if (change.EventEndpoint is not null) app.EventEndpoint = change.EventEndpoint.Length == 0 ? null : change.EventEndpoint;
        if (change.Events is not null) app.EventTypes = string.Join(',', Events.AppEventTypes.Server.Where(change.Events.Contains));
        if (change.ExtraFrameOrigins is not null)
            app.ExtraFrameOrigins = string.Join(' ', change.ExtraFrameOrigins.Select(o => AppSettings.NormalizeOrigin(o)!).Distinct(StringComparer.Ordinal));
        app.UpdatedAt = UnixTime.Now();
        var changes = AppAudit.Changes(before, AppSettings.Of(app));
        if (changes.Count > 0)
            await AppAudit.AddAsync(db, app, changes.ContainsKey("permissions") ? AppAuditEvents.PermissionsChanged : AppAuditEvents.SettingsChanged, actorId, ct,
                changes: changes);
    }
}
