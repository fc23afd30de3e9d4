using System.Collections.Concurrent;
using System.Diagnostics;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Config;

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
/// The fan-out claims the new deliveries whose lane (target and conversation) has nothing pending and sends them at
/// once, without waiting for a claim round; outcomes are written in batches (<see cref="DeliveryRecorder"/>).
/// </summary>
public sealed class WebhookWorker(IServiceScopeFactory scopes, WebhookSender sender, UniLinkOptions options, TableWrites writes,
    ILogger<WebhookWorker> log) : BackgroundService
{
    private const int MaxInFlight = 128;
    private const int FanOutBatch = 200;
    private static readonly TimeSpan RoundGap = TimeSpan.FromMilliseconds(10);
    private const int IdleLookMs = 500;
    // A claim lasts UNILINK_WEBHOOK_LEASE_SECONDS (15) and is renewed every third of it while the node sends, so a delivery
    // being sent is no other node's however slow the receiver or the database; a killed node's claim is void after it.
    private long LeaseMs => (long)(options.WebhookLeaseSeconds * 1000);
    private long _claims;
    private const long AdvisoryLockKey = 0x756e696c696e6b; // "unilink"
    private readonly string _node = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _wake = new(0, 1);
    // What the next round must do. A commit that adds events asks for a fan-out; a claim round is needed only when
    // something is left that the fan-out could not take (a lane busy, no room), a retry falls due, or by hand (Wake):
    // at a thousand deliveries a second, a claim round per finished send cost more than the sends.
    private volatile bool _fanOutDue = true;
    private volatile bool _claimDue = true;
    private volatile bool _full;
    private long _nextRetryMs = long.MaxValue;
    // Lanes (target and order key) with a delivery that waits behind one this node sends: its end calls a claim round.
    private readonly ConcurrentDictionary<(string Kind, int Id, string OrderKey), byte> _waiting = new();
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private readonly ConcurrentDictionary<long, string> _inFlightTokens = new();
    private DateTime _nextCleanup = DateTime.MinValue;
    private readonly DeliveryRecorder _recorder = new(scopes, options, log);

    /// <summary>Makes the loop look for new events and claimable deliveries now (a delivery retried by hand, a test event).</summary>
    public void Wake()
    {
        _fanOutDue = true;
        _claimDue = true;
        Signal();
    }

    private void Signal()
    {
        if (_wake.CurrentCount == 0) try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    private void OnWrites(IReadOnlyCollection<string> tables)
    {
        foreach (var t in tables)
        {
            if (t is "OutboxEvents") { _fanOutDue = true; Signal(); }
            // Another node's outcome may free a lane whose next delivery this node left waiting.
            else if (t is "WebhookDeliveries" && !_waiting.IsEmpty) { _claimDue = true; Signal(); }
        }
    }

    /// <summary>A send ended (its outcome committed): the next delivery of its lane, if one waits, can be claimed now.</summary>
    private void Finished(WebhookDelivery d)
    {
        if (_waiting.TryRemove((d.TargetKind, d.TargetId, d.OrderKey), out _) | _full)
        {
            _claimDue = true;
            Signal();
        }
    }

    /// <summary>A retry is due at <paramref name="atMs"/> (unix ms): the loop claims then, not only at its next idle look.</summary>
    private void RetryAt(long atMs)
    {
        var seen = Interlocked.Read(ref _nextRetryMs);
        while (atMs < seen && Interlocked.CompareExchange(ref _nextRetryMs, atMs, seen) is var was && was != seen) seen = was;
        Signal();
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        writes.Recorded += OnWrites;
        var recording = Task.Run(_recorder.RunAsync, CancellationToken.None);
        try
        {
            var lastRound = Stopwatch.StartNew();
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    // Every commit wakes the loop; wakes within RoundGap of the last round make one round, so a round's fixed
                    // queries are shared by the events committed meanwhile.
                    if (lastRound.Elapsed < RoundGap) await Task.Delay(RoundGap - lastRound.Elapsed, stopping);
                    lastRound.Restart();
                    var more = false;
                    if (_fanOutDue)
                    {
                        _fanOutDue = false;
                        more = await FanOutAsync(stopping);
                    }
                    if (_claimDue || DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() >= Interlocked.Read(ref _nextRetryMs))
                    {
                        _claimDue = false;
                        Interlocked.Exchange(ref _nextRetryMs, long.MaxValue);
                        await ClaimAndStartAsync(stopping);
                    }
                    if (DateTime.UtcNow >= _nextCleanup) await CleanUpAsync(stopping);
                    if (more)
                    {
                        _fanOutDue = true;
                        continue;
                    }
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested) { break; }
                catch (Exception e)
                {
                    // The database may be away for a while (an outage); the events wait in the outbox meanwhile.
                    log.LogWarning(e, "Webhook worker: a round failed; trying again shortly");
                    _fanOutDue = _claimDue = true;
                    await Task.Delay(1000, stopping).ContinueWith(_ => { });
                }
                // Idle: a look at least every IdleLook (other nodes' events without a bus, leases run out, retries on
                // other nodes), sooner when a retry of this node falls due.
                var untilRetry = Interlocked.Read(ref _nextRetryMs) - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var wait = (int)Math.Clamp(untilRetry, 0, IdleLookMs);
                if (!await _wake.WaitAsync(wait, stopping).ContinueWith(t => t.IsCompletedSuccessfully && t.Result))
                {
                    if (wait == IdleLookMs) _fanOutDue = true;
                    _claimDue = true;
                }
            }
        }
        finally
        {
            writes.Recorded -= OnWrites;
            await Task.WhenAll(_inFlight.Values).ContinueWith(_ => { });
            _recorder.Complete();
            await recording;
            await ReleaseLeasesAsync();
        }
    }

    private async Task ReleaseLeasesAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
            var mine = _node + ":";
            await db.WebhookDeliveries.Where(d => d.LeaseOwner != null && d.LeaseOwner.StartsWith(mine) && d.State == DeliveryStates.Pending)
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
        var cache = scope.ServiceProvider.GetRequiredService<ReadCache>();
        var webhooks = await FanOutLookups.HooksAsync(db, cache, accountIds, ct);
        var inboxes = await FanOutLookups.InboxTargetsAsync(db, cache, accountIds, ct);
        var payloads = scope.ServiceProvider.GetRequiredService<WebhookPayloads>();
        var now = UnixTime.Now();
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var retryUntil = nowMs + (long)(options.WebhookRetryHours * 3_600_000);

        // Which events may go anywhere, then all their payloads at once (a fixed number of queries per batch).
        var wanted = new List<(OutboxEvent Event, List<int> AccountHooks)>();
        var created = new List<WebhookDelivery>();
        foreach (var e in events)
        {
            e.DispatchedAt = now;
            var accountHooks = webhooks.Where(w => w.AccountId == e.AccountId && w.Subscriptions.Contains(e.Event)).Select(w => w.Id).ToList();
            var conversationEvent = e.Event is not (WebhookEvents.ContactCreated or WebhookEvents.ContactUpdated);
            var mayHaveInboxTargets = conversationEvent && inboxes.Any(i => i.AccountId == e.AccountId);
            if (accountHooks.Count > 0 || mayHaveInboxTargets) wanted.Add((e, accountHooks));
        }
        var builtEvents = await payloads.BuildManyAsync(wanted.Select(w => w.Event).ToList(), ct);
        foreach (var (e, accountHooks) in wanted)
        {
            if (!builtEvents.TryGetValue(e.Id, out var built)) continue;
            var targets = accountHooks.Select(id => (DeliveryTargets.Webhook, id)).ToList();
            if (built.InboxId is { } inboxId && inboxes.FirstOrDefault(i => i.Id == inboxId) is { } inbox)
            {
                if (inbox.ChannelType == ChannelTypes.Api && !string.IsNullOrEmpty(inbox.WebhookUrl)) targets.Add((DeliveryTargets.ApiInbox, inbox.Id));
                if (inbox.AgentBotId is { } botId && WantedByBot(e.Event, built.Conversation)) targets.Add((DeliveryTargets.AgentBot, botId));
            }
            if (targets.Count == 0) continue;
            // Stored once, on the event; its deliveries refer to it.
            e.Payload = built.Payload.ToJsonString(WireJson.Options);
            foreach (var (kind, id) in targets)
                created.Add(new WebhookDelivery
                {
                    AccountId = e.AccountId, EventId = e.Id, Event = e.Event, TargetKind = kind, TargetId = id, OrderKey = built.OrderKey,
                    DeliveryKey = Guid.NewGuid().ToString(), NextAttemptAt = nowMs, RetryUntil = retryUntil, CreatedAt = now,
                });
        }
        // Dashboard Apps' servers: the same events as typed app events, each cut to what the app may see.
        created.AddRange(await scope.ServiceProvider.GetRequiredService<DashboardApps.Events.AppServerEvents>().DeliveriesAsync(events, now, nowMs, retryUntil, ct));
        var token = $"{_node}:{Interlocked.Increment(ref _claims)}";
        var claimed = await ClaimFreshLanesAsync(db, created, token, nowMs, ct);
        await db.SaveChangesAsync(ct); // the events: dispatched, with their payloads
        await DeliveryRows.InsertAsync(db, options.UsesPostgres, created, now, ct);
        // Deliveries left for a claim round wait behind a send or for room: their lanes are marked before the commit, so
        // a send that ends from now on calls the round; one round follows the commit for a send that ended before it.
        if (claimed.Count < created.Count)
        {
            var taken = claimed.ToHashSet(ReferenceEqualityComparer.Instance);
            foreach (var d in created)
                if (!taken.Contains(d)) _waiting.TryAdd((d.TargetKind, d.TargetId, d.OrderKey), 0);
        }
        await tx.CommitAsync(ct);
        if (claimed.Count < created.Count) _claimDue = true;
        if (claimed.Count > 0)
        {
            var stored = events.Where(e => e.Payload is not null).ToDictionary(e => e.Id, e => e.Payload);
            foreach (var d in claimed) d.Payload ??= stored.GetValueOrDefault(d.EventId);
            var targetsOf = await WebhookTargets.ResolveManyAsync(db, cache, claimed.Select(d => (d.AccountId, d.TargetKind, d.TargetId)), ct);
            await StartAsync(claimed.Select(d => (d, targetsOf.GetValueOrDefault((d.AccountId, d.TargetKind, d.TargetId)))).ToList(), token, ct);
        }
        return events.Count == FanOutBatch;
    }

    /// <summary>
    /// Claims, before they are stored, the first new delivery of each lane (target and order key) with nothing pending, as
    /// far as this node has room: they can go at once, and no other node can have them since they are not yet committed.
    /// </summary>
    private async Task<List<WebhookDelivery>> ClaimFreshLanesAsync(UniLinkDb db, List<WebhookDelivery> created, string token, long nowMs, CancellationToken ct)
    {
        var free = MaxInFlight - _inFlight.Count;
        if (created.Count == 0) return [];
        if (free <= 0)
        {
            _full = true;
            return [];
        }
        var orderKeys = created.Select(d => d.OrderKey).Distinct().ToArray();
        var targetIds = created.Select(d => d.TargetId).Distinct().ToArray();
        var busy = (await db.WebhookDeliveries.Where(d => d.State == DeliveryStates.Pending && orderKeys.Contains(d.OrderKey) && targetIds.Contains(d.TargetId))
                .Select(d => new { d.TargetKind, d.TargetId, d.OrderKey }).Distinct().ToListAsync(ct))
            .Select(l => (l.TargetKind, l.TargetId, l.OrderKey)).ToHashSet();
        var claimed = new List<WebhookDelivery>();
        foreach (var d in created)
        {
            if (claimed.Count == free)
            {
                _full = true;
                break;
            }
            if (!busy.Add((d.TargetKind, d.TargetId, d.OrderKey))) continue;
            d.LeaseOwner = token;
            d.LeaseUntil = nowMs + LeaseMs;
            claimed.Add(d);
        }
        return claimed;
    }

    /// <summary>An agent bot hears of its inbox's pending conversations (new ones, their messages), of every status change (a hand-over) and of visitors opening the widget.</summary>
    private static bool WantedByBot(string evt, Conversation? c) => evt switch
    {
        WebhookEvents.ConversationStatusChanged => true,
        // As the reference's AgentBotListener: a visitor opening the widget is the bot's cue to greet, whatever the conversation.
        WebhookEvents.WebwidgetTriggered => true,
        WebhookEvents.MessageCreated or WebhookEvents.ConversationCreated => c?.Status == ConversationStatus.Pending,
        _ => false,
    };

    /// <summary>
    /// Claims due deliveries with a token of this claim alone (node and claim number): a delivery is recorded only by the
    /// claim that still holds it, and a claim whose lease ran out (the row was claimed again) can neither send nor record.
    /// The claimed rows and their endpoints are read in one go, then each is sent on its own task.
    /// </summary>
    private async Task ClaimAndStartAsync(CancellationToken ct)
    {
        var free = MaxInFlight - _inFlight.Count;
        _full = free <= 0;
        if (free <= 0) return;
        var token = $"{_node}:{Interlocked.Increment(ref _claims)}";
        List<(WebhookDelivery Delivery, WebhookTarget? Target)> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
            var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var until = nowMs + LeaseMs;
            var ids = options.UsesPostgres
                ? await db.Database.SqlQuery<long>($"""
                    UPDATE "WebhookDeliveries" SET "LeaseOwner" = {token}, "LeaseUntil" = {until}
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
                    UPDATE "WebhookDeliveries" SET "LeaseOwner" = {token}, "LeaseUntil" = {until}
                    WHERE "Id" IN (
                      SELECT d."Id" FROM "WebhookDeliveries" d
                      WHERE d."State" = 'pending' AND d."NextAttemptAt" <= {nowMs} AND d."LeaseUntil" < {nowMs}
                        AND NOT EXISTS (SELECT 1 FROM "WebhookDeliveries" p WHERE p."TargetKind" = d."TargetKind" AND p."TargetId" = d."TargetId"
                          AND p."OrderKey" = d."OrderKey" AND p."State" = 'pending' AND p."EventId" < d."EventId")
                      ORDER BY d."EventId", d."Id" LIMIT {free})
                    RETURNING "Id" AS "Value"
                    """).ToListAsync(ct);
            if (ids.Count == 0)
            {
                // Nothing claimable and nothing of this node's in flight: no lane waits behind one of its sends.
                if (_inFlight.IsEmpty) _waiting.Clear();
                return;
            }
            _full = ids.Count == free;
            var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => ids.Contains(d.Id) && d.LeaseOwner == token).ToListAsync(ct);
            await DeliveryPayloads.FillAsync(db, deliveries, ct);
            var targets = await WebhookTargets.ResolveManyAsync(db, scope.ServiceProvider.GetRequiredService<ReadCache>(), deliveries.Select(d => (d.AccountId, d.TargetKind, d.TargetId)), ct);
            claimed = deliveries.Select(d => (d, targets.GetValueOrDefault((d.AccountId, d.TargetKind, d.TargetId)))).ToList();
        }
        // A lane whose head was claimed here may have more behind it: its end calls the next round.
        foreach (var (d, _) in claimed) _waiting.TryAdd((d.TargetKind, d.TargetId, d.OrderKey), 0);
        await StartAsync(claimed, token, ct);
    }

    /// <summary>Sends each claimed delivery on a task of its own.</summary>
    private async Task StartAsync(List<(WebhookDelivery Delivery, WebhookTarget? Target)> claimed, string token, CancellationToken ct)
    {
        foreach (var (delivery, target) in claimed)
        {
            // Still being sent (or finishing) on this node under an earlier claim whose lease could not be renewed in time (a busy
            // database): the claim goes back to that send, which records the outcome; nothing is sent twice.
            if (_inFlight.ContainsKey(delivery.Id))
            {
                await HandBackAsync(delivery.Id, token, _inFlightTokens.GetValueOrDefault(delivery.Id));
                continue;
            }
            _inFlightTokens[delivery.Id] = token;
            var task = Task.Run(() => DeliverAsync(delivery, target, token, ct), CancellationToken.None);
            _inFlight[delivery.Id] = task;
            _ = task.ContinueWith(_ =>
            {
                _inFlight.TryRemove(delivery.Id, out Task? _);
                _inFlightTokens.TryRemove(delivery.Id, out string? _);
                Finished(delivery);
            }, TaskScheduler.Default);
        }
    }

    private async Task DeliverAsync(WebhookDelivery d, WebhookTarget? target, string token, CancellationToken stopping)
    {
        try
        {
            // Started late (a busy machine): the claim is renewed first, and if it already ran out (claimed again) nothing is sent.
            if (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > d.LeaseUntil - 2 * LeaseMs / 3 && !await RenewAsync(d.Id, token, stillValid: true, stopping)) return;
            // The claim is renewed until the outcome is committed, not only while sending: a batch of outcomes waiting for a busy
            // database must not let the lease run out, or a claim round could take the delivery and send it a second time.
            using var holding = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var renewing = RenewWhileHeldAsync(d.Id, token, holding.Token);
            try
            {
                var result = target is null ? new AttemptResult(null, 0, null, "the endpoint no longer exists")
                    : d.Payload is null ? new AttemptResult(null, 0, null, "the event's payload is gone")
                    : await sender.SendAsync(target.Url, target.Secret, d.DeliveryKey, d.Payload, stopping, target.App);

                // Recorded only if this claim still holds the delivery (one UPDATE conditioned on the token, with the attempt's log row);
                // a busy database is tried again a few times, since the receiver already has the event.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        if (await _recorder.RecordAsync(d, result, target is null || d.Payload is null, token) is var retry and > 0) RetryAt(retry);
                        return;
                    }
                    catch (Exception e) when (attempt < 5 && !stopping.IsCancellationRequested)
                    {
                        log.LogInformation(e, "Webhook delivery {Id}: recording the outcome failed (try {Attempt}); trying again", d.Id, attempt);
                        await Task.Delay(200 * attempt, CancellationToken.None);
                    }
                }
            }
            finally
            {
                await holding.CancelAsync();
                await renewing;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
        catch (Exception e)
        {
            // The lease runs out and the delivery is tried again.
            log.LogWarning(e, "Webhook delivery {Id} could not be recorded", d.Id);
        }
    }

    /// <summary>Gives a claim back to the send still in flight (its token), or frees it when that send has just finished.</summary>
    private async Task HandBackAsync(long id, string token, string? inFlightToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        var until = inFlightToken is null ? 0L : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + LeaseMs;
        await db.WebhookDeliveries.Where(x => x.Id == id && x.LeaseOwner == token)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LeaseUntil, until).SetProperty(x => x.LeaseOwner, inFlightToken));
    }

    /// <summary>Moves the claim's end a lease ahead, if <paramref name="token"/> still holds it (and, with <paramref name="stillValid"/>, it has not run out).</summary>
    private async Task<bool> RenewAsync(long id, string token, bool stillValid, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var until = nowMs + LeaseMs;
        return await db.WebhookDeliveries.Where(x => x.Id == id && x.LeaseOwner == token && (!stillValid || x.LeaseUntil >= nowMs))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LeaseUntil, until), ct) == 1;
    }

    /// <summary>Extends the claim every third of the lease until the attempt's outcome is recorded, so no other claim can send it meanwhile.</summary>
    private async Task RenewWhileHeldAsync(long id, string token, CancellationToken held)
    {
        var every = TimeSpan.FromMilliseconds(Math.Max(LeaseMs / 3, 100));
        try
        {
            while (true)
            {
                await Task.Delay(every, held);
                if (!await RenewAsync(id, token, stillValid: false, held)) return;
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e) { log.LogInformation(e, "Webhook delivery {Id}: the claim could not be renewed", id); }
    }

    /// <summary>Applies an attempt's outcome: delivered, failed for good, or the next try after an exponential, jittered wait.</summary>
    internal static void Record(WebhookDelivery d, AttemptResult result, bool gone, UniLinkOptions options)
    {
        var now = UnixTime.Now();
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
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
        // An event holds its deliveries' payload: it goes once none of them is left.
        await db.OutboxEvents.Where(e => e.DispatchedAt != null && e.DispatchedAt < before && !db.WebhookDeliveries.Any(d => d.EventId == e.Id))
            .ExecuteDeleteAsync(ct);
    }
}
