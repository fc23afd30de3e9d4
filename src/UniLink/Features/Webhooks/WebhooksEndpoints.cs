using System.Text.Json.Nodes;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Webhooks;

public static class WebhooksEndpoints
{
    /// <summary><c>/api/v1/accounts/{account_id}/webhooks</c>, administrators only, answering as the reference does.</summary>
    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/webhooks").WithTags("Webhooks").RequireAdministrator();

        group.MapGet("/", async (AccountScope scope, WebhookService webhooks, CancellationToken ct) =>
            TypedResults.Json(new { payload = new { webhooks = (await webhooks.ListAsync(scope.AccountId, ct)).Select(w => w.ToJson()) } }, WireJson.Options))
            .WithName("list-webhooks").WithSummary("List the account's webhooks");

        group.MapPost("/", async (AccountScope scope, HttpRequest request, WebhookService webhooks, CancellationToken ct) =>
        {
            var (input, error) = await ReadAsync(request, creating: true);
            if (error is not null) return error;
            if (await webhooks.CheckAsync(scope.AccountId, input!, null, ct) is { } taken) return taken;
            var webhook = await webhooks.CreateAsync(scope.AccountId, input!, ct);
            return TypedResults.Json(new { payload = new { webhook = webhook.ToJson(withSecret: true) } }, WireJson.Options);
        }).WithName("create-a-webhook").WithSummary("Add a webhook (its signing secret is in this answer)");

        group.MapPatch("/{webhook_id:int}", UpdateAsync).WithName("update-a-webhook").WithSummary("Change a webhook");
        group.MapPut("/{webhook_id:int}", UpdateAsync).WithName("replace-a-webhook").WithSummary("Change a webhook");

        group.MapDelete("/{webhook_id:int}", async (AccountScope scope, int webhook_id, WebhookService webhooks, CancellationToken ct) =>
            await webhooks.DeleteAsync(scope.AccountId, webhook_id, ct) ? TypedResults.Ok() : ApiErrors.NotFound())
            .WithName("delete-a-webhook").WithSummary("Remove a webhook");

        // UniLink: the signing secret (X-Chatwoot-Signature), shown to administrators; POST replaces it.
        group.MapGet("/{webhook_id:int}/secret", async (AccountScope scope, int webhook_id, WebhookService webhooks, CancellationToken ct) =>
            await Find(scope, webhook_id, webhooks, ct) is { } w ? TypedResults.Json(new { secret = w.Secret }, WireJson.Options) : ApiErrors.NotFound())
            .WithName("show-a-webhook-secret").WithSummary("The webhook's signing secret");
        group.MapPost("/{webhook_id:int}/secret", async (AccountScope scope, int webhook_id, WebhookService webhooks, CancellationToken ct) =>
            await Find(scope, webhook_id, webhooks, ct) is { } w ? TypedResults.Json(new { secret = await webhooks.RotateSecretAsync(w, ct) }, WireJson.Options) : ApiErrors.NotFound())
            .WithName("rotate-a-webhook-secret").WithSummary("Replace the webhook's signing secret");

        // UniLink: the delivery log (newest first, 25 a page), a manual retry and a test event.
        group.MapGet("/{webhook_id:int}/deliveries", async (AccountScope scope, int webhook_id, HttpRequest request, WebhookService webhooks, CancellationToken ct) =>
        {
            if (await Find(scope, webhook_id, webhooks, ct) is not { } w) return ApiErrors.NotFound();
            var page = int.TryParse(request.Query["page"], out var p) && p is >= 1 and <= 10_000 ? p : 1;
            var list = await webhooks.DeliveriesAsync(scope.AccountId, DeliveryTargets.Webhook, w.Id, page, ct);
            return TypedResults.Json(new { meta = new { current_page = page }, payload = list.Select(d => d.ToJson(withPayload: true)) }, WireJson.Options);
        }).WithName("list-webhook-deliveries").WithSummary("The webhook's delivery log");

        group.MapPost("/{webhook_id:int}/deliveries/{delivery_id:long}/retry", async (AccountScope scope, int webhook_id, long delivery_id,
            WebhookService webhooks, CancellationToken ct) =>
        {
            if (await Find(scope, webhook_id, webhooks, ct) is not { } w) return ApiErrors.NotFound();
            return await webhooks.RetryAsync(scope.AccountId, DeliveryTargets.Webhook, w.Id, delivery_id, ct) is { } d
                ? TypedResults.Json(new { payload = d.ToJson(withPayload: false) }, WireJson.Options)
                : ApiErrors.NotFound();
        }).WithName("retry-a-webhook-delivery").WithSummary("Send a delivery again now");

        group.MapPost("/{webhook_id:int}/test", async (AccountScope scope, int webhook_id, WebhookService webhooks, CancellationToken ct) =>
            await Find(scope, webhook_id, webhooks, ct) is { } w
                ? TypedResults.Json(new { payload = (await webhooks.SendTestAsync(w, ct)).ToJson(withPayload: true) }, WireJson.Options)
                : ApiErrors.NotFound())
            .WithName("send-a-webhook-test-event").WithSummary("Queue a webhook_test event to this webhook");

        return account;
    }

    private static Task<Webhook?> Find(AccountScope scope, int id, WebhookService webhooks, CancellationToken ct) =>
        webhooks.FindAsync(scope.AccountId, id, ct);

    private static async Task<IResult> UpdateAsync(AccountScope scope, int webhook_id, HttpRequest request, WebhookService webhooks, CancellationToken ct)
    {
        var (input, error) = await ReadAsync(request, creating: false);
        if (await Find(scope, webhook_id, webhooks, ct) is not { } webhook) return ApiErrors.NotFound();
        if (error is not null) return error;
        if (await webhooks.CheckAsync(scope.AccountId, input!, webhook.Id, ct) is { } taken) return taken;
        webhook = await webhooks.UpdateAsync(webhook, input!, ct);
        return TypedResults.Json(new { payload = new { webhook = webhook.ToJson() } }, WireJson.Options);
    }

    /// <summary>
    /// <c>{"webhook": {"url", "subscriptions", "name"}}</c> or the same unwrapped (form encoding too). Every problem is
    /// a 422 naming its field; a body with none of the fields is the reference's "param is missing".
    /// </summary>
    private static async Task<(WebhookInput?, IResult?)> ReadAsync(HttpRequest request, bool creating)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return (null, bad);
        var body = raw!.Unwrap("webhook");
        if (!body.Has("url") && !body.Has("subscriptions") && !body.Has("name")) return (null, ApiErrors.MissingParam("webhook"));
        var url = body.String("url", 2048, required: creating);
        var name = body.String("name", 255);
        List<string>? subscriptions = null;
        if (body.Has("subscriptions"))
        {
            subscriptions = body.Json["subscriptions"] is JsonArray ? body.Strings("subscriptions", maxItems: 50, maxLength: 64) : null;
            if (subscriptions is null || subscriptions.Count == 0 || subscriptions.Any(s => !WebhookEvents.All.Contains(s)))
            {
                var unknown = subscriptions?.FirstOrDefault(s => !WebhookEvents.All.Contains(s));
                body.Problem("subscriptions", unknown is not null
                    ? $"Invalid events: '{unknown}' is not one of {string.Join(", ", WebhookEvents.All)}"
                    : "Invalid events: must be a non-empty list of event names");
            }
        }
        if (url is not null && !IsHttpUrl(url)) body.Problem("url", "is invalid: must be an http or https URL");
        if (body.Error is { } e) return (null, e);
        if (!creating && body.Has("url") && string.IsNullOrEmpty(url)) return (null, ApiErrors.Invalid("Url can't be blank", "url"));
        return (new WebhookInput(url, name, subscriptions, body.Has("name")), null);
    }

    /// <summary>An absolute http(s) URL with a host and no whitespace (the reference's <c>URI.make_regexp(%w[http https])</c>).</summary>
    public static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
        && !url.Any(char.IsWhiteSpace) && (url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal));
}
