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
            var (body, bad) = await ReadAsync(request);
            if (bad is not null) return bad;
            var input = WebhookInput.From(body!, creating: true);
            return body!.Error ?? (await webhooks.CreateAsync(scope.AccountId, input, ct)).ToHttp(w => new { payload = new { webhook = w.ToJson(withSecret: true) } });
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
        var (body, bad) = await ReadAsync(request);
        if (await Find(scope, webhook_id, webhooks, ct) is null) return ApiErrors.NotFound();
        if (bad is not null) return bad;
        var input = WebhookInput.From(body!, creating: false);
        return body!.Error ?? (await webhooks.UpdateAsync(scope.AccountId, webhook_id, input, ct)).ToHttp(w => new { payload = new { webhook = w.ToJson() } });
    }

    /// <summary>
    /// <c>{"webhook": {"url", "subscriptions", "name"}}</c> or the same unwrapped (form encoding too); a body with none of
    /// the fields is the reference's "param is missing".
    /// </summary>
    private static async Task<(RequestBody?, IResult?)> ReadAsync(HttpRequest request)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return (null, bad);
        var body = raw!.Unwrap("webhook");
        return !body.Has("url") && !body.Has("subscriptions") && !body.Has("name") ? (null, ApiErrors.MissingParam("webhook")) : (body, null);
    }
}
