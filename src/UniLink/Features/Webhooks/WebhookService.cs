using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Config;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Webhooks;

/// <summary>What a webhook request asks for; null fields keep their value on update.</summary>
public sealed record WebhookInput(string? Url, string? Name, IReadOnlyList<string>? Subscriptions, bool NameGiven);

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

    /// <summary>The settings page's check, the same rules as the API's: a sentence naming what is wrong, or null.</summary>
    public static string? Problem(WebhookInput input)
    {
        if (string.IsNullOrEmpty(input.Url)) return "Webhook URL can't be blank";
        if (input.Url.Length > 2048 || !WebhooksEndpoints.IsHttpUrl(input.Url)) return "Webhook URL must be an http or https URL";
        if (input.Name is { Length: > 255 }) return "Name is too long (maximum is 255 characters)";
        if (input.Subscriptions is not { Count: > 0 }) return "Choose at least one event";
        return null;
    }

    public Task<List<Webhook>> ListAsync(int accountId, CancellationToken ct) =>
        db.Webhooks.AsNoTracking().Where(w => w.AccountId == accountId).OrderBy(w => w.Id).ToListAsync(ct);

    public Task<Webhook?> FindAsync(int accountId, int id, CancellationToken ct) =>
        db.Webhooks.FirstOrDefaultAsync(w => w.AccountId == accountId && w.Id == id, ct);

    /// <summary>Checks the input against the account's webhooks; a 422 naming the field, or null.</summary>
    public async Task<IResult?> CheckAsync(int accountId, WebhookInput input, int? exceptId, CancellationToken ct)
    {
        if (input.Url is { } url && await db.Webhooks.AnyAsync(w => w.AccountId == accountId && w.Url == url && w.Id != exceptId, ct))
            return ApiErrors.Invalid("Url has already been taken", "url");
        return null;
    }

    public async Task<Webhook> CreateAsync(int accountId, WebhookInput input, CancellationToken ct)
    {
        var now = UnixTime.Now();
        var webhook = new Webhook
        {
            AccountId = accountId, Url = input.Url!, Name = input.Name, Secret = Tokens.New(24),
            Subscriptions = new JsonArray([.. (input.Subscriptions ?? DefaultSubscriptions).Distinct().Select(s => (JsonNode?)s)]).ToJsonString(),
            CreatedAt = now, UpdatedAt = now,
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(ct);
        return webhook;
    }

    public async Task<Webhook> UpdateAsync(Webhook webhook, WebhookInput input, CancellationToken ct)
    {
        if (input.Url is { } url) webhook.Url = url;
        if (input.NameGiven) webhook.Name = input.Name;
        if (input.Subscriptions is { } subs) webhook.Subscriptions = new JsonArray([.. subs.Distinct().Select(s => (JsonNode?)s)]).ToJsonString();
        webhook.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        return webhook;
    }

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
