namespace UniLink.Features.DashboardApps.Audit;

/// <summary>Removes audit lines older than <see cref="Days"/> days: at start-up and every hour (any node; deleting twice is harmless).</summary>
public sealed class AppAuditRetention(IServiceScopeFactory scopes, ILogger<AppAuditRetention> log) : BackgroundService
{
    public const int Days = 90;
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    public async Task<int> RemoveExpiredAsync(DateTime now, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        var before = now.AddDays(-Days);
        return await db.AppAuditLog.Where(e => e.CreatedAt < before).ExecuteDeleteAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await Task.Delay(TimeSpan.FromSeconds(30), stoppingToken); }
        catch (OperationCanceledException) { return; }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await RemoveExpiredAsync(UnixTime.Now(), stoppingToken);
                if (removed > 0) log.LogInformation("Removed {Count} app audit lines older than {Days} days", removed, Days);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                log.LogWarning(e, "Could not remove old app audit lines; trying again in an hour");
            }
            try { await Task.Delay(Every, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
