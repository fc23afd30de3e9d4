using System.Text.Json.Nodes;
using UniLink.Infrastructure.Config;

namespace UniLink.Features.Webhooks;

/// <summary>What a webhook write asks for; null fields keep their value on update (<see cref="NameGiven"/>: a name sent as null clears it).</summary>
public sealed record WebhookInput(string? Url, string? Name, IReadOnlyList<string>? Subscriptions, bool NameGiven) : IBodyInput<WebhookInput>
{
    public static string? Wrapper => "webhook";

    /// <summary>Reads the fields from a body already unwrapped from "webhook"; a field of the wrong type is the body's problem.</summary>
    public static WebhookInput From(RequestBody body, bool creating)
    {
        var url = body.String("url", WebhookService.MaxUrl, required: creating);
        var name = body.String("name", WebhookService.MaxName);
        IReadOnlyList<string>? subscriptions = !body.Has("subscriptions") ? null
            : body.Json["subscriptions"] is JsonArray ? body.Strings("subscriptions", maxItems: 50, maxLength: 64) ?? [] : [];
        return new WebhookInput(url ?? (body.Has("url") ? "" : null), name, subscriptions, body.Has("name"));
    }
}

/// <summary>Account webhooks: their rules, secrets, the delivery log, retries and test events.</summary>
public sealed class WebhookService(UniLinkDb db, UniLinkOptions options, WebhookWorker worker)
{
    /// <summary>What a new webhook gets when the request names no subscriptions (the reference's column default).</summary>
    public static readonly string[] DefaultSubscriptions =
    [
        WebhookEvents.ConversationStatusChanged, WebhookEvents.ConversationUpdated, WebhookEvents.ConversationCreated,
        WebhookEvents.ContactCreated, WebhookEvents.ContactUpdated, WebhookEvents.MessageCreated, WebhookEvents.MessageUpdated,
        WebhookEvents.WebwidgetTriggered,
    ];

    public const int MaxUrl = 2048;
    public const int MaxName = 255;

    public Task<List<Webhook>> ListAsync(int accountId, CancellationToken ct) =>
        db.Webhooks.AsNoTracking().Where(w => w.AccountId == accountId).OrderBy(w => w.Id).ToListAsync(ct);

    public Task<Webhook?> FindAsync(int accountId, int id, CancellationToken ct) =>
        db.Webhooks.FirstOrDefaultAsync(w => w.AccountId == accountId && w.Id == id, ct);

    public async Task<WriteResult<Webhook>> CreateAsync(int accountId, WebhookInput input, CancellationToken ct)
    {
        if (await ProblemAsync(accountId, null, input, ct) is { } problem) return problem;
        var now = UnixTime.Now();
        var webhook = new Webhook
        {
            AccountId = accountId, Url = input.Url!, Name = input.Name, Secret = Tokens.New(24),
            Subscriptions = SubscriptionsJson(input.Subscriptions ?? DefaultSubscriptions), CreatedAt = now, UpdatedAt = now,
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(ct);
        return webhook;
    }

    public async Task<WriteResult<Webhook>> UpdateAsync(int accountId, int id, WebhookInput input, CancellationToken ct)
    {
        if (await FindAsync(accountId, id, ct) is not { } webhook) return new WriteResult<Webhook>.Missing();
        if (await ProblemAsync(accountId, webhook, input, ct) is { } problem) return problem;
        if (input.Url is { } url) webhook.Url = url;
        if (input.NameGiven) webhook.Name = input.Name;
        if (input.Subscriptions is { } subscriptions) webhook.Subscriptions = SubscriptionsJson(subscriptions);
        webhook.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        return webhook;
    }

    /// <summary>A webhook needs an http(s) URL no other webhook of the account has, and at least one known event.</summary>
    private async Task<WriteProblem?> ProblemAsync(int accountId, Webhook? existing, WebhookInput input, CancellationToken ct)
    {
        if (input.Subscriptions is { } subscriptions && subscriptions.FirstOrDefault(s => !WebhookEvents.All.Contains(s)) is { } unknown)
            return new WriteProblem($"Subscriptions Invalid events: '{unknown}' is not one of {string.Join(", ", WebhookEvents.All)}", "subscriptions");
        if (input.Subscriptions is { Count: 0 }) return new WriteProblem("Choose at least one event", "subscriptions");
        if ((existing is null || input.Url is not null) && string.IsNullOrEmpty(input.Url)) return new WriteProblem("Webhook URL can't be blank", "url");
        if (input.Url is { } url && (url.Length > MaxUrl || !HttpUrl.IsValid(url))) return new WriteProblem("Webhook URL must be an http or https URL", "url");
        if (input.Name is { Length: > MaxName }) return new WriteProblem($"Name is too long (maximum is {MaxName} characters)", "name");
        if (input.Url is { } taken && await db.Webhooks.AnyAsync(w => w.AccountId == accountId && w.Url == taken && w.Id != (existing == null ? 0 : existing.Id), ct))
            return new WriteProblem("Url has already been taken", "url");
        return null;
    }

    private static string SubscriptionsJson(IEnumerable<string> subscriptions) =>
        new JsonArray([.. subscriptions.Distinct().Select(s => (JsonNode?)s)]).ToJsonString();

    public async Task<bool> DeleteAsync(int accountId, int id, CancellationToken ct)
    {
        var deleted = await db.Webhooks.Where(w => w.AccountId == accountId && w.Id == id).ExecuteDeleteAsync(ct);
        if (deleted == 0) return false;
        // Its queue goes with it; the log of what was sent stays until it ages out.
        await db.WebhookDeliveries.Where(d => d.AccountId == accountId && d.TargetKind == DeliveryTargets.Webhook && d.TargetId == id && d.State == DeliveryStates.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DeliveryStates.Failed).SetProperty(d => d.LastError, "the webhook was deleted")
                .SetProperty(d => d.CompletedAt, UnixTime.Now()), ct);
        return true;
    }

    public async Task<string> RotateSecretAsync(Webhook webhook, CancellationToken ct)
    {
        webhook.Secret = Tokens.New(24);
        webhook.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        return webhook.Secret;
    }

    public async Task<List<WebhookDelivery>> DeliveriesAsync(int accountId, string kind, int targetId, int page, CancellationToken ct)
    {
        var list = await db.WebhookDeliveries.AsNoTracking().Include(d => d.AttemptLog)
            .Where(d => d.AccountId == accountId && d.TargetKind == kind && d.TargetId == targetId)
            .OrderByDescending(d => d.Id).Skip((page - 1) * 25).Take(25).AsSplitQuery().ToListAsync(ct);
        await DeliveryPayloads.FillAsync(db, list, ct);
        return list;
    }

    /// <summary>Sends a delivery again now, with a new 24 h of retries; null when there is no such delivery.</summary>
    public async Task<WebhookDelivery?> RetryAsync(int accountId, string kind, int targetId, long deliveryId, CancellationToken ct)
    {
        var d = await db.WebhookDeliveries.Include(x => x.AttemptLog)
            .FirstOrDefaultAsync(x => x.Id == deliveryId && x.AccountId == accountId && x.TargetKind == kind && x.TargetId == targetId, ct);
        if (d is null) return null;
        // A delivered one may be sent again too (a receiver that lost it); same X-Chatwoot-Delivery, so it can de-duplicate.
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        d.State = DeliveryStates.Pending;
        d.CompletedAt = null;
        d.NextAttemptAt = nowMs;
        d.RetryUntil = nowMs + (long)(options.WebhookRetryHours * 3_600_000);
        await db.SaveChangesAsync(ct);
        worker.Wake();
        return d;
    }

    /// <summary>Queues UniLink's <c>webhook_test</c> event to this webhook only.</summary>
    public async Task<WebhookDelivery> SendTestAsync(Webhook webhook, CancellationToken ct)
    {
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == webhook.AccountId).Select(a => new { a.Id, a.Name }).FirstAsync(ct);
        var now = UnixTime.Now();
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var payload = new JsonObject
        {
            ["event"] = WebhookEvents.Test,
            ["account"] = new JsonObject { ["id"] = account.Id, ["name"] = account.Name },
            ["webhook"] = new JsonObject { ["id"] = webhook.Id, ["name"] = webhook.Name, ["url"] = webhook.Url },
            ["sent_at"] = UnixTime.IsoMillis(now),
        };
        var key = Guid.NewGuid().ToString();
        var d = new WebhookDelivery
        {
            AccountId = webhook.AccountId, EventId = 0, Event = WebhookEvents.Test, TargetKind = DeliveryTargets.Webhook, TargetId = webhook.Id,
            OrderKey = "test:" + key, DeliveryKey = key, Payload = payload.ToJsonString(WireJson.Options), NextAttemptAt = nowMs,
            RetryUntil = nowMs + (long)(options.WebhookRetryHours * 3_600_000), CreatedAt = now,
        };
        db.WebhookDeliveries.Add(d);
        await db.SaveChangesAsync(ct);
        worker.Wake();
        return d;
    }
}
