using Microsoft.EntityFrameworkCore;
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
}
