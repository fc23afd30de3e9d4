using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using UniLink.Features.Conversations;
using UniLink.Features.Inboxes;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Config;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Webhooks;

/// <summary>
/// Sends what the outbox holds. Two steps, both safe with several nodes on one database:
/// <list type="number">
/// <item>fan-out: each new <see cref="OutboxEvent"/> becomes one <see cref="WebhookDelivery"/> per endpoint that wants
/// it, with its payload, in event order (on PostgreSQL one node at a time, under a transaction-scoped advisory lock);</item>
/// <item>delivery: a node claims due deliveries with one atomic UPDATE (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>), taking a
/// lease; only the oldest pending delivery of a target and conversation can be claimed, so each endpoint sees a
/// conversation's events in order. A crashed node's lease runs out and another node (or the same after a restart)
/// sends again: at least once, with the same X-Chatwoot-Delivery.</item>
/// </list>
/// </summary>
public sealed class WebhookWorker(IServiceScopeFactory scopes, WebhookSender sender, UniLinkOptions options, TableWrites writes,
    ILogger<WebhookWorker> log) : BackgroundService
{
    private const int MaxInFlight = 48;
    private const int FanOutBatch = 200;
    // Longer than an attempt (5 s): a delivery a node is sending is no other node's; a killed node's claim is void after it.
    private const long LeaseMs = 15_000;
    private const long AdvisoryLockKey = 0x756e696c696e6b; // "unilink"
    private readonly string _node = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private DateTime _nextCleanup = DateTime.MinValue;

    /// <summary>Makes the loop look again now (a write committed, a delivery finished).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    private void OnWrites(IReadOnlyCollection<string> tables)
    {
        foreach (var t in tables) if (t is "OutboxEvents" or "WebhookDeliveries") { Wake(); return; }
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        writes.Recorded += OnWrites;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    var more = await FanOutAsync(stopping);
                    await ClaimAndStartAsync(stopping);
                    if (DateTime.UtcNow >= _nextCleanup) await CleanUpAsync(stopping);
                    if (more) continue;
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested) { break; }
                catch (Exception e)
                {
                    // The database may be away for a while (an outage); the events wait in the outbox meanwhile.
                    log.LogWarning(e, "Webhook worker: a round failed; trying again shortly");
                    await Task.Delay(1000, stopping).ContinueWith(_ => { });
                }
                await _wake.WaitAsync(500, stopping).ContinueWith(_ => { });
            }
        }
        finally
        {
            writes.Recorded -= OnWrites;
            await Task.WhenAll(_inFlight.Values).ContinueWith(_ => { });
            await ReleaseLeasesAsync();
        }
    }

    private async Task ReleaseLeasesAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
            await db.WebhookDeliveries.Where(d => d.LeaseOwner == _node && d.State == DeliveryStates.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, 0L).SetProperty(d => d.LeaseOwner, (string?)null));
        }
        catch (Exception e) { log.LogInformation(e, "Webhook worker: leases left to run out"); }
    }

    /// <summary>Turns new outbox events into deliveries; true when a full batch was taken (more may wait).</summary>
    private async Task<bool> FanOutAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        if (!await db.OutboxEvents.AnyAsync(e => e.DispatchedAt == null, ct)) return false;
        // One transaction: the events are marked dispatched together with their deliveries, or not at all. On SQLite it
        // holds the write lock (another process on the same file waits); on PostgreSQL one node fans out at a time.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (options.UsesPostgres)
        {
            var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({AdvisoryLockKey}) AS \"Value\"").SingleAsync(ct);
            if (!locked) return false;
        }
        var events = await db.OutboxEvents.Where(e => e.DispatchedAt == null).OrderBy(e => e.Id).Take(FanOutBatch).ToListAsync(ct);
        if (events.Count == 0)
        {
            await tx.CommitAsync(ct);
            return false;
        }

        var accountIds = events.Select(e => e.AccountId).Distinct().ToArray();
        var webhooks = (await db.Webhooks.AsNoTracking().Where(w => accountIds.Contains(w.AccountId)).ToListAsync(ct))
            .Select(w => (w.Id, w.AccountId, Subscriptions: JsonText.Array(w.Subscriptions).Select(n => n?.ToString()).ToHashSet())).ToList();
        var inboxes = await db.Inboxes.AsNoTracking().Where(i => accountIds.Contains(i.AccountId)
                && ((i.ChannelType == ChannelTypes.Api && i.WebhookUrl != null && i.WebhookUrl != "") || i.AgentBotId != null))
            .Select(i => new { i.Id, i.AccountId, i.ChannelType, i.WebhookUrl, i.AgentBotId }).ToListAsync(ct);
        var payloads = scope.ServiceProvider.GetRequiredService<WebhookPayloads>();
        var now = UnixTime.Now();
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var retryUntil = nowMs + (long)(options.WebhookRetryHours * 3_600_000);

        foreach (var e in events)
        {
            e.DispatchedAt = now;
            var accountHooks = webhooks.Where(w => w.AccountId == e.AccountId && w.Subscriptions.Contains(e.Event)).Select(w => w.Id).ToList();
            var conversationEvent = e.Event is not (WebhookEvents.ContactCreated or WebhookEvents.ContactUpdated);
            var mayHaveInboxTargets = conversationEvent && inboxes.Any(i => i.AccountId == e.AccountId);
            if (accountHooks.Count == 0 && !mayHaveInboxTargets) continue;
            var built = await payloads.BuildAsync(e, ct);
            if (built is null) continue;

            var targets = accountHooks.Select(id => (DeliveryTargets.Webhook, id)).ToList();
            if (built.InboxId is { } inboxId && inboxes.FirstOrDefault(i => i.Id == inboxId) is { } inbox)
            {
                if (inbox.ChannelType == ChannelTypes.Api && !string.IsNullOrEmpty(inbox.WebhookUrl)) targets.Add((DeliveryTargets.ApiInbox, inbox.Id));
                if (inbox.AgentBotId is { } botId && WantedByBot(e.Event, built.Conversation)) targets.Add((DeliveryTargets.AgentBot, botId));
            }
            if (targets.Count == 0) continue;
            var json = built.Payload.ToJsonString(WireJson.Options);
            foreach (var (kind, id) in targets)
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    AccountId = e.AccountId, EventId = e.Id, Event = e.Event, TargetKind = kind, TargetId = id, OrderKey = built.OrderKey,
                    DeliveryKey = Guid.NewGuid().ToString(), Payload = json, NextAttemptAt = nowMs, RetryUntil = retryUntil, CreatedAt = now,
                });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return events.Count == FanOutBatch;
    }

    /// <summary>An agent bot hears of its inbox's pending conversations (new ones, their messages) and of every status change (a hand-over).</summary>
    private static bool WantedByBot(string evt, Conversation? c) => evt switch
    {
        WebhookEvents.ConversationStatusChanged => true,
        WebhookEvents.MessageCreated or WebhookEvents.ConversationCreated or WebhookEvents.WebwidgetTriggered => c?.Status == ConversationStatus.Pending,
        _ => false,
    };

    private async Task ClaimAndStartAsync(CancellationToken ct)
    {
        var free = MaxInFlight - _inFlight.Count;
        if (free <= 0) return;
        List<long> ids;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
            var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var until = nowMs + LeaseMs;
            ids = options.UsesPostgres
                ? await db.Database.SqlQuery<long>($"""
                    UPDATE "WebhookDeliveries" SET "LeaseOwner" = {_node}, "LeaseUntil" = {until}
                    WHERE "Id" IN (
                      SELECT d."Id" FROM "WebhookDeliveries" d
                      WHERE d."State" = 'pending' AND d."NextAttemptAt" <= {nowMs} AND d."LeaseUntil" < {nowMs}
                        AND NOT EXISTS (SELECT 1 FROM "WebhookDeliveries" p WHERE p."TargetKind" = d."TargetKind" AND p."TargetId" = d."TargetId"
                          AND p."OrderKey" = d."OrderKey" AND p."State" = 'pending' AND p."EventId" < d."EventId")
                      ORDER BY d."EventId", d."Id" LIMIT {free}
                      FOR UPDATE SKIP LOCKED)
                    RETURNING "Id" AS "Value"
                    """).ToListAsync(ct)
                : await db.Database.SqlQuery<long>($"""
                    UPDATE "WebhookDeliveries" SET "LeaseOwner" = {_node}, "LeaseUntil" = {until}
                    WHERE "Id" IN (
                      SELECT d."Id" FROM "WebhookDeliveries" d
                      WHERE d."State" = 'pending' AND d."NextAttemptAt" <= {nowMs} AND d."LeaseUntil" < {nowMs}
                        AND NOT EXISTS (SELECT 1 FROM "WebhookDeliveries" p WHERE p."TargetKind" = d."TargetKind" AND p."TargetId" = d."TargetId"
                          AND p."OrderKey" = d."OrderKey" AND p."State" = 'pending' AND p."EventId" < d."EventId")
                      ORDER BY d."EventId", d."Id" LIMIT {free})
                    RETURNING "Id" AS "Value"
                    """).ToListAsync(ct);
        }
        foreach (var id in ids)
        {
            var task = Task.Run(() => DeliverAsync(id, ct), CancellationToken.None);
            _inFlight[id] = task;
            _ = task.ContinueWith(_ =>
            {
                _inFlight.TryRemove(id, out Task? _);
                Wake();
            }, TaskScheduler.Default);
        }
    }

    private async Task DeliverAsync(long id, CancellationToken stopping)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
            var d = await db.WebhookDeliveries.FirstOrDefaultAsync(x => x.Id == id, stopping);
            if (d is null || d.LeaseOwner != _node || d.State != DeliveryStates.Pending) return;
            var target = await WebhookTargets.ResolveAsync(db, d.AccountId, d.TargetKind, d.TargetId, stopping);
            var result = target is null
                ? new AttemptResult(null, 0, null, "the endpoint no longer exists")
                : await sender.SendAsync(target.Url, target.Secret, d.DeliveryKey, d.Payload, stopping);
            Record(db, d, result, gone: target is null, options);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
        catch (Exception e)
        {
            // The lease runs out and the delivery is tried again.
            log.LogWarning(e, "Webhook delivery {Id} could not be recorded", id);
        }
    }

    /// <summary>Applies an attempt's outcome: delivered, failed for good, or the next try after an exponential, jittered wait.</summary>
    internal static void Record(UniLinkDb db, WebhookDelivery d, AttemptResult result, bool gone, UniLinkOptions options)
    {
        var now = UnixTime.Now();
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        db.WebhookAttempts.Add(new WebhookAttempt
        {
            DeliveryId = d.Id, At = now, StatusCode = result.StatusCode, DurationMs = result.DurationMs, Response = result.Response,
            Error = result.Error,
        });
        d.Attempts++;
        d.LastStatusCode = result.StatusCode;
        d.LastError = result.Succeeded ? null : result.Error ?? $"HTTP {result.StatusCode}";
        d.LeaseOwner = null;
        d.LeaseUntil = 0;
        if (result.Succeeded)
        {
            d.State = DeliveryStates.Delivered;
            d.CompletedAt = now;
        }
        else if (gone || nowMs >= d.RetryUntil)
        {
            d.State = DeliveryStates.Failed;
            d.CompletedAt = now;
        }
        else
        {
            var delay = Math.Min(options.WebhookRetryBaseSeconds * Math.Pow(2, Math.Min(d.Attempts - 1, 20)), 3600) * 1000;
            var jittered = (long)(delay * (0.5 + Random.Shared.NextDouble() * 0.5));
            d.NextAttemptAt = Math.Min(nowMs + jittered, d.RetryUntil);
        }
    }

    /// <summary>The delivery log is kept <c>UNILINK_WEBHOOK_LOG_DAYS</c> (14) days after a delivery ended.</summary>
    private async Task CleanUpAsync(CancellationToken ct)
    {
        _nextCleanup = DateTime.UtcNow.AddMinutes(10);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        var before = UnixTime.Now().AddDays(-options.WebhookLogDays);
        await db.WebhookDeliveries.Where(d => d.State != DeliveryStates.Pending && d.CompletedAt < before).ExecuteDeleteAsync(ct);
        await db.OutboxEvents.Where(e => e.DispatchedAt != null && e.DispatchedAt < before).ExecuteDeleteAsync(ct);
    }
}
