using System.Collections.Concurrent;

namespace UniLink.Features.DashboardApps.Audit;

/// <summary>
/// Which app received the context of which conversation for which agent, once per app, conversation, agent and clock
/// hour (not every push): this node remembers what it wrote this hour, and a unique key makes it one line across nodes.
/// </summary>
public sealed class ContextReceipts(IServiceScopeFactory scopes, ILogger<ContextReceipts> log)
{
    private readonly ConcurrentDictionary<string, byte> _written = new();
    private string _hour = "";

    public static string KeyOf(int appId, int conversationId, int userId, DateTime at) => $"{appId}:{conversationId}:{userId}:{at:yyyyMMddHH}";

    /// <summary>Records that each app in <paramref name="apps"/> got the conversation's context for the agent, unless this hour's line exists.</summary>
    public async Task RecordAsync(IReadOnlyList<DashboardApp> apps, int conversationId, int userId, DateTime now)
    {
        var hour = now.ToString("yyyyMMddHH");
        if (hour != _hour)
        {
            _written.Clear();
            _hour = hour;
        }
        var missing = apps.Where(a => !_written.ContainsKey(KeyOf(a.Id, conversationId, userId, now))).ToList();
        if (missing.Count == 0) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
            foreach (var app in missing)
            {
                var key = KeyOf(app.Id, conversationId, userId, now);
                if (!await db.AppAuditLog.AnyAsync(e => e.SampleKey == key))
                {
                    var entry = await AppAudit.AddAsync(db, app, AppAuditEvents.ContextReceived, userId, conversationId: conversationId);
                    entry.SampleKey = key;
                    try { await db.SaveChangesAsync(); }
                    catch (DbUpdateException)
                    {
                        // Another node wrote this hour's line first.
                        db.Entry(entry).State = EntityState.Detached;
                    }
                }
                _written.TryAdd(key, 0);
            }
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The context was sent; a missing receipt line is retried on the next push.
            log.LogWarning(e, "Could not record an app's context receipt");
        }
    }
}
