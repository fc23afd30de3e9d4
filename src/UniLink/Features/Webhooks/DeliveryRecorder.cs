using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Config;
using UniLink.Infrastructure.Db;

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

    private sealed record Outcome(WebhookDelivery Snapshot, AttemptResult Result, bool Gone, string Token, TaskCompletionSource Recorded);

    /// <summary>Completes once the outcome is committed; fails when its batch could not be written (the caller tries again).</summary>
    public Task RecordAsync(WebhookDelivery snapshot, AttemptResult result, bool gone, string token)
    {
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
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
                await WriteAsync(batch);
                foreach (var o in batch) o.Recorded.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var o in batch) o.Recorded.TrySetException(e);
            }
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<Outcome> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        await using var tx = await db.Database.BeginTransactionAsync();
        foreach (var o in batch)
        {
            var s = o.Snapshot;
            var d = new WebhookDelivery
            {
                Id = s.Id, Event = s.Event, TargetKind = s.TargetKind, OrderKey = s.OrderKey, DeliveryKey = s.DeliveryKey,
                Payload = s.Payload, Attempts = s.Attempts, RetryUntil = s.RetryUntil, NextAttemptAt = s.NextAttemptAt,
            };
            WebhookWorker.Record(db, d, o.Result, o.Gone, options);
            // One plain UPDATE per outcome: the same statement as an ExecuteUpdate, without building and looking up a LINQ
            // expression for each of a thousand outcomes a second.
            var recorded = await db.Database.ExecuteSqlAsync($$"""
                UPDATE "WebhookDeliveries" SET "State" = {{d.State}}, "Attempts" = {{d.Attempts}}, "LastStatusCode" = {{Typed(db, d.LastStatusCode, DbType.Int32)}},
                  "LastError" = {{Typed(db, d.LastError, DbType.String)}}, "NextAttemptAt" = {{d.NextAttemptAt}}, "CompletedAt" = {{Typed(db, d.CompletedAt, DbType.DateTime)}}, "LeaseOwner" = NULL, "LeaseUntil" = 0
                WHERE "Id" = {{d.Id}} AND "LeaseOwner" = {{o.Token}} AND "State" = 'pending'
                """);
            if (recorded == 0) log.LogWarning("Webhook delivery {Id}: the claim was lost while sending; the attempt is logged, the delivery left to its owner", d.Id);
        }
        await db.SaveChangesAsync(); // the attempts' log rows, committed with their outcomes
        await tx.CommitAsync();
    }

    /// <summary>A parameter whose type is known even when its value is null (PostgreSQL cannot guess it from a null).</summary>
    private static DbParameter Typed(UniLinkDb db, object? value, DbType type)
    {
        var p = DbProviderFactories.GetFactory(db.Database.GetDbConnection())!.CreateParameter()!;
        p.DbType = type;
        p.Value = value ?? DBNull.Value;
        return p;
    }
}
