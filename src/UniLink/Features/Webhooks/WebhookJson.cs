using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using UniLink.Infrastructure.Http;

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
