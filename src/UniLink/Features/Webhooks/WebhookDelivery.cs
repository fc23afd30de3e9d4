namespace UniLink.Features.Webhooks;

/// <summary>
/// One event on its way to one endpoint: the exact bytes it sends (the same on every retry), its state and when to
/// try next. Deliveries with the same target and <see cref="OrderKey"/> go out one at a time, in event order.
/// </summary>
public class WebhookDelivery
{
    public long Id { get; set; }
    public int AccountId { get; set; }
    public long EventId { get; set; }
    public required string Event { get; set; }
    /// <summary>One of <see cref="DeliveryTargets"/>.</summary>
    public required string TargetKind { get; set; }
    public int TargetId { get; set; }
    /// <summary>"conversation:{id}", "contact:{id}" or "event:{id}": what must stay in order.</summary>
    public required string OrderKey { get; set; }
    /// <summary>X-Chatwoot-Delivery: unique per event and endpoint, the same on retries, so receivers can de-duplicate.</summary>
    public required string DeliveryKey { get; set; }
    /// <summary>What this delivery alone sends (a Dashboard App's cut of the event, a test event); null: the event's own
    /// <see cref="OutboxEvent.Payload"/>, shared by its endpoints. Filled from the event when a delivery is read to be sent or shown.</summary>
    public string? Payload { get; set; }
    /// <summary>One of <see cref="DeliveryStates"/>.</summary>
    public string State { get; set; } = DeliveryStates.Pending;
    public int Attempts { get; set; }
    /// <summary>Unix milliseconds: after this a failed attempt marks the delivery failed (24 h after it was queued, or retried by hand).</summary>
    public long RetryUntil { get; set; }
    /// <summary>Unix milliseconds: not before.</summary>
    public long NextAttemptAt { get; set; }
    /// <summary>Unix milliseconds: the node in <see cref="LeaseOwner"/> owns the delivery until then (a crashed node's lease runs out).</summary>
    public long LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public List<WebhookAttempt> AttemptLog { get; set; } = [];
}

/// <summary>One HTTP attempt of a delivery, as the delivery log shows it.</summary>
public class WebhookAttempt
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public DateTime At { get; set; }
    /// <summary>null when no answer came (refused, timeout).</summary>
    public int? StatusCode { get; set; }
    public int DurationMs { get; set; }
    /// <summary>The first KiB of the answer's body.</summary>
    public string? Response { get; set; }
    public string? Error { get; set; }
}

public static class DeliveryStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

public static class DeliveryTargets
{
    public const string Webhook = "webhook";
    public const string ApiInbox = "api_inbox";
    public const string AgentBot = "agent_bot";
    /// <summary>A Dashboard App's own server (its event endpoint): typed events, signed with the app's keys.</summary>
    public const string DashboardApp = "dashboard_app";
}

public static class DeliveryPayloads
{
    /// <summary>Gives each untracked delivery that shares its event's payload that payload (one query for all).</summary>
    public static async Task FillAsync(UniLinkDb db, IReadOnlyCollection<WebhookDelivery> deliveries, CancellationToken ct)
    {
        var eventIds = deliveries.Where(d => d.Payload is null).Select(d => d.EventId).Distinct().ToArray();
        if (eventIds.Length == 0) return;
        var payloads = await db.OutboxEvents.AsNoTracking().Where(e => eventIds.Contains(e.Id) && e.Payload != null)
            .Select(e => new { e.Id, e.Payload }).ToDictionaryAsync(e => e.Id, e => e.Payload!, ct);
        foreach (var d in deliveries)
            if (d.Payload is null && payloads.TryGetValue(d.EventId, out var payload)) d.Payload = payload;
    }
}
