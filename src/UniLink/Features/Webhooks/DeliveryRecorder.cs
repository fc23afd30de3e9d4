using System.Threading.Channels;
using UniLink.Infrastructure.Config;

namespace UniLink.Features.Webhooks;

/// <summary>
/// Writes attempts' outcomes in batches: whatever finished while the previous batch was being written goes in one
/// transaction, so a thousand deliveries a second are a few dozen commits rather than a thousand, and the database stays
/// free for the writes that make events. Each outcome is applied only if its claim still holds the delivery.
/// </summary>
internal sealed class DeliveryRecorder(IServiceScopeFactory scopes, UniLinkOptions options, ILogger log)
{
    private const int MaxBatch = 500;
    private readonly Channel<Outcome> _queue = Channel.CreateUnbounded<Outcome>(new UnboundedChannelOptions { SingleReader = true });

    private sealed record Outcome(WebhookDelivery Snapshot, AttemptResult Result, bool Gone, string Token, TaskCompletionSource<long> Recorded);

    /// <summary>
    /// Completes once the outcome is committed, with when the delivery is to be tried again (unix ms; 0 when it is over or
    /// the claim was lost); fails when its batch could not be written (the caller tries again).
    /// </summary>
    public Task<long> RecordAsync(WebhookDelivery snapshot, AttemptResult result, bool gone, string token)
    {
        var recorded = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Outcome(snapshot, result, gone, token, recorded)))
            recorded.SetException(new InvalidOperationException("The recorder has stopped"));
        return recorded.Task;
    }

    /// <summary>No more outcomes: <see cref="RunAsync"/> ends once those queued are written.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync()
    {
        var batch = new List<Outcome>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var outcome)) batch.Add(outcome);
            try
            {
                var retries = await WriteAsync(batch);
                foreach (var o in batch) o.Recorded.TrySetResult(retries.GetValueOrDefault(o.Snapshot.Id));
            }
            catch (Exception e)
            {
                foreach (var o in batch) o.Recorded.TrySetException(e);
            }
            batch.Clear();
        }
    }

    /// <summary>Writes the batch; the deliveries that stay pending (recorded by their claim), with when they are tried next.</summary>
    private async Task<Dictionary<long, long>> WriteAsync(List<Outcome> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        var rows = new List<DeliveryRows.Outcome>(batch.Count);
        foreach (var o in batch)
        {
            var s = o.Snapshot;
            var d = new WebhookDelivery
            {
                Id = s.Id, Event = s.Event, TargetKind = s.TargetKind, OrderKey = s.OrderKey, DeliveryKey = s.DeliveryKey,
                Attempts = s.Attempts, RetryUntil = s.RetryUntil, NextAttemptAt = s.NextAttemptAt,
            };
            WebhookWorker.Record(d, o.Result, o.Gone, options);
            rows.Add(new DeliveryRows.Outcome(d, o.Result, o.Token));
        }
        // One transaction, two statements for the whole batch: the outcomes (each only where its claim still holds the
        // delivery) and the attempts' log rows.
        await using var tx = await db.Database.BeginTransactionAsync();
        var recorded = await DeliveryRows.RecordAsync(db, options.UsesPostgres, rows, UnixTime.Now(), CancellationToken.None);
        await tx.CommitAsync();
        var retries = new Dictionary<long, long>();
        foreach (var o in batch)
            if (!recorded.Contains(o.Snapshot.Id))
                log.LogWarning("Webhook delivery {Id}: the claim was lost while sending; the attempt is logged, the delivery left to its owner", o.Snapshot.Id);
        foreach (var row in rows)
            if (row.Delivery.State == DeliveryStates.Pending && recorded.Contains(row.Delivery.Id)) retries[row.Delivery.Id] = row.Delivery.NextAttemptAt;
        return retries;
    }
}
