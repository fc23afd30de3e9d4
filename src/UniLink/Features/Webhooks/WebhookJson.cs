using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace UniLink.Features.Webhooks;

/// <summary>A webhook as the reference's <c>_webhook.json.jbuilder</c> shows it; <c>secret</c> only in the answer that creates it.</summary>
public sealed record WebhookJson(
    int Id,
    string? Name,
    string Url,
    int AccountId,
    IReadOnlyList<string> Subscriptions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);

/// <summary>A delivery in the log: one event to one endpoint, with each attempt.</summary>
public sealed record DeliveryJson(
    long Id,
    string Event,
    string DeliveryId,
    string State,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    string CreatedAt,
    string? CompletedAt,
    string? NextAttemptAt,
    JsonNode? Payload,
    IReadOnlyList<AttemptJson> AttemptLog);

/// <summary>A page of a delivery log: <c>{"meta": {"current_page"}, "payload": […]}</c>.</summary>
public sealed record DeliveryPageJson(PageJson Meta, IEnumerable<DeliveryJson> Payload)
{
    /// <summary>The page <c>?page=</c> asks for (1 to 10,000; else the first) of one target's log, newest first.</summary>
    public static async Task<DeliveryPageJson> ReadAsync(WebhookService webhooks, int accountId, string target, int targetId, HttpRequest request, CancellationToken ct)
    {
        var page = int.TryParse(request.Query["page"], out var p) && p is >= 1 and <= 10_000 ? p : 1;
        var list = await webhooks.DeliveriesAsync(accountId, target, targetId, page, ct);
        return new(new PageJson(page), list.Select(d => d.ToJson(withPayload: true)));
    }
}

public sealed record PageJson(int CurrentPage);

/// <summary><c>{"payload": {"webhooks": […]}}</c>, the reference's list.</summary>
public sealed record WebhookListJson(WebhookListJson.List Payload)
{
    public sealed record List(IEnumerable<WebhookJson> Webhooks);
}

/// <summary><c>{"payload": {"webhook": …}}</c>, the reference's answer to a write.</summary>
public sealed record WebhookAnswerJson(WebhookAnswerJson.One Payload)
{
    public sealed record One(WebhookJson Webhook);

    public static WebhookAnswerJson Of(WebhookJson webhook) => new(new One(webhook));
}

public sealed record WebhookSecretJson(string Secret);

public sealed record AttemptJson(string At, int? StatusCode, int DurationMs, string? Response, string? Error);

public static class WebhookMapping
{
    public static WebhookJson ToJson(this Webhook w, bool withSecret = false) => new(
        w.Id, w.Name, w.Url, w.AccountId,
        JsonText.Array(w.Subscriptions).Select(n => n?.ToString() ?? "").ToList(), withSecret ? w.Secret : null);

    public static DeliveryJson ToJson(this WebhookDelivery d, bool withPayload) => new(
        d.Id, d.Event, d.DeliveryKey, d.State, d.Attempts, d.LastStatusCode, d.LastError, UnixTime.IsoMillis(d.CreatedAt),
        d.CompletedAt is { } c ? UnixTime.IsoMillis(c) : null,
        d.State == DeliveryStates.Pending ? UnixTime.IsoMillis(DateTimeOffset.FromUnixTimeMilliseconds(d.NextAttemptAt).UtcDateTime) : null,
        withPayload && d.Payload is { } payload ? JsonNode.Parse(payload) : null,
        d.AttemptLog.OrderBy(a => a.Id).Select(a => new AttemptJson(UnixTime.IsoMillis(a.At), a.StatusCode, a.DurationMs, a.Response, a.Error)).ToList());
}
