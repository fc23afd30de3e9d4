using Microsoft.EntityFrameworkCore;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.DashboardApps;

/// <summary>App writes, shared by the API and the settings page; the caller has validated title and frames.</summary>
public sealed class DashboardAppService(UniLinkDb db, LiveBus live)
{
    public async Task<List<DashboardApp>> ListAsync(int accountId, CancellationToken ct = default) =>
        await db.DashboardApps.AsNoTracking().Where(a => a.AccountId == accountId).OrderBy(a => a.Id).ToListAsync(ct);

    public async Task<DashboardApp> CreateAsync(int accountId, int? userId, string title, IReadOnlyList<DashboardAppFrame> frames, CancellationToken ct = default)
    {
        var now = UnixTime.Now();
        var app = new DashboardApp
        {
            AccountId = accountId, UserId = userId, Title = title, Content = DashboardAppContent.Serialize(frames), CreatedAt = now, UpdatedAt = now,
        };
        db.DashboardApps.Add(app);
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.DashboardAppsChanged));
        return app;
    }

    /// <summary>Partial: a null title or frames keeps what is stored.</summary>
    public async Task<DashboardApp?> UpdateAsync(int accountId, int appId, string? title, IReadOnlyList<DashboardAppFrame>? frames, CancellationToken ct = default)
    {
        var app = await db.DashboardApps.FirstOrDefaultAsync(a => a.AccountId == accountId && a.Id == appId, ct);
        if (app is null) return null;
        if (title is not null) app.Title = title;
        if (frames is not null) app.Content = DashboardAppContent.Serialize(frames);
        app.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.DashboardAppsChanged));
        return app;
    }

    public async Task<bool> DeleteAsync(int accountId, int appId, CancellationToken ct = default)
    {
        var deleted = await db.DashboardApps.Where(a => a.AccountId == accountId && a.Id == appId).ExecuteDeleteAsync(ct);
        if (deleted > 0) live.Publish(new LiveEvent(accountId, LiveEvent.DashboardAppsChanged));
        return deleted > 0;
    }

    public async Task<AppSettings?> SettingsAsync(int accountId, int appId, CancellationToken ct = default) =>
        await db.DashboardApps.AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == accountId && a.Id == appId, ct) is { } app
            ? AppSettings.Of(app)
            : null;

    /// <summary>Every reason the change cannot be saved: bad values, or inboxes that are not this account's.</summary>
    public async Task<List<(string Attribute, string Message)>> SettingsProblemsAsync(int accountId, AppSettingsChange change, CancellationToken ct = default)
    {
        var problems = change.ValueProblems().ToList();
        if (change.InboxIds is { Count: > 0 and <= AppSettings.MaxInboxes } ids)
        {
            var known = await db.Inboxes.AsNoTracking().Where(i => i.AccountId == accountId && ids.Contains(i.Id)).Select(i => i.Id).ToListAsync(ct);
            var unknown = ids.Except(known).ToList();
            if (unknown.Count > 0) problems.Add(("inbox_ids", $"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not an inbox" : "are not inboxes")} of this account"));
        }
        return problems;
    }

    /// <summary>Partial; the caller has checked <see cref="SettingsProblemsAsync"/>. Null when the app does not exist.</summary>
    public async Task<AppSettings?> UpdateSettingsAsync(int accountId, int appId, AppSettingsChange change, CancellationToken ct = default)
    {
        var app = await db.DashboardApps.FirstOrDefaultAsync(a => a.AccountId == accountId && a.Id == appId, ct);
        if (app is null) return null;
        if (change.Placement is not null) app.Placement = change.Placement;
        if (change.KeepAlive is { } keepAlive) app.KeepAlive = keepAlive;
        if (change.InboxIds is not null) app.InboxIds = string.Join(',', change.InboxIds.Distinct().Order());
        if (change.VisibleTo is not null) app.VisibleTo = change.VisibleTo;
        if (change.Permissions is not null) app.Permissions = string.Join(',', change.Permissions.Distinct());
        if (change.ContextScopes is not null) app.WithheldContextScopes = ContextScopes.WithheldFor(change.ContextScopes);
        if (change.ExtraFrameOrigins is not null)
            app.ExtraFrameOrigins = string.Join(' ', change.ExtraFrameOrigins.Select(o => AppSettings.NormalizeOrigin(o)!).Distinct(StringComparer.Ordinal));
        app.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.DashboardAppsChanged));
        return AppSettings.Of(app);
    }
}
