namespace UniLink.Features.Webhooks;

public static class WebhooksEndpoints
{
    /// <summary><c>/api/v1/accounts/{account_id}/webhooks</c>, administrators only, answering as the reference does.</summary>
    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/webhooks").WithTags("Webhooks").RequireAdministrator();

        group.MapGet("/", async (AccountScope scope, WebhookService webhooks, CancellationToken ct) =>
            TypedResults.Json(new WebhookListJson(new((await webhooks.ListAsync(scope.AccountId, ct)).Select(w => w.ToJson()))), WireJson.Options))
            .WithName("list-webhooks").WithSummary("List the account's webhooks").Answers<WebhookListJson>();

        group.MapPost("/", async (AccountScope scope, Body<WebhookInput> body, WebhookService webhooks, CancellationToken ct) =>
                Unreadable(body) ?? body.Error ?? (await webhooks.CreateAsync(scope.AccountId, body.Input, ct)).ToHttp(w => WebhookAnswerJson.Of(w.ToJson(withSecret: true))))
            .WithName("create-a-webhook").WithSummary("Add a webhook (its signing secret is in this answer)").Answers<WebhookAnswerJson>();

        group.MapPatchAndPut("/{webhook_id:int}", async (AccountScope scope, int webhook_id, Body<WebhookInput> body, WebhookService webhooks, CancellationToken ct) =>
                await Find(scope, webhook_id, webhooks, ct) is null ? ApiErrors.NotFound()
                    : Unreadable(body) ?? body.Error ?? (await webhooks.UpdateAsync(scope.AccountId, webhook_id, body.Input, ct)).ToHttp(w => WebhookAnswerJson.Of(w.ToJson())),
            "update-a-webhook", "Change a webhook").Answers<WebhookAnswerJson>();

        group.MapDelete("/{webhook_id:int}", async (AccountScope scope, int webhook_id, WebhookService webhooks, CancellationToken ct) =>
            await webhooks.DeleteAsync(scope.AccountId, webhook_id, ct) ? TypedResults.Ok() : ApiErrors.NotFound())
            .WithName("delete-a-webhook").WithSummary("Remove a webhook").AnswersEmpty();

        // UniLink: the signing secret (X-Chatwoot-Signature), shown to administrators; POST replaces it.
        group.MapGet("/{webhook_id:int}/secret", async (AccountScope scope, int webhook_id, WebhookService webhooks, CancellationToken ct) =>
            await Find(scope, webhook_id, webhooks, ct) is { } w ? TypedResults.Json(new WebhookSecretJson(w.Secret), WireJson.Options) : ApiErrors.NotFound())
            .WithName("show-a-webhook-secret").WithSummary("The webhook's signing secret").Answers<WebhookSecretJson>();
        group.MapPost("/{webhook_id:int}/secret", async (AccountScope scope, int webhook_id, WebhookService webhooks, CancellationToken ct) =>
            await Find(scope, webhook_id, webhooks, ct) is { } w ? TypedResults.Json(new WebhookSecretJson(await webhooks.RotateSecretAsync(w, ct)), WireJson.Options) : ApiErrors.NotFound())
            .WithName("rotate-a-webhook-secret").WithSummary("Replace the webhook's signing secret").Answers<WebhookSecretJson>();

        // UniLink: the delivery log (newest first, 25 a page), a manual retry and a test event.
        group.MapGet("/{webhook_id:int}/deliveries", async (AccountScope scope, int webhook_id, HttpRequest request, WebhookService webhooks, CancellationToken ct) =>
        {
            if (await Find(scope, webhook_id, webhooks, ct) is not { } w) return ApiErrors.NotFound();
            return TypedResults.Json(await DeliveryPageJson.ReadAsync(webhooks, scope.AccountId, DeliveryTargets.Webhook, w.Id, request, ct), WireJson.Options);
        }).WithName("list-webhook-deliveries").WithSummary("The webhook's delivery log").Answers<DeliveryPageJson>();

        group.MapPost("/{webhook_id:int}/deliveries/{delivery_id:long}/retry", async (AccountScope scope, int webhook_id, long delivery_id,
            WebhookService webhooks, CancellationToken ct) =>
        {
            if (await Find(scope, webhook_id, webhooks, ct) is not { } w) return ApiErrors.NotFound();
            return await webhooks.RetryAsync(scope.AccountId, DeliveryTargets.Webhook, w.Id, delivery_id, ct) is { } d
                ? TypedResults.Json(new SinglePayloadJson<DeliveryJson>(d.ToJson(withPayload: false)), WireJson.Options)
                : ApiErrors.NotFound();
        }).WithName("retry-a-webhook-delivery").WithSummary("Send a delivery again now").Answers<SinglePayloadJson<DeliveryJson>>();

        group.MapPost("/{webhook_id:int}/test", async (AccountScope scope, int webhook_id, WebhookService webhooks, CancellationToken ct) =>
            await Find(scope, webhook_id, webhooks, ct) is { } w
                ? TypedResults.Json(new SinglePayloadJson<DeliveryJson>((await webhooks.SendTestAsync(w, ct)).ToJson(withPayload: true)), WireJson.Options)
                : ApiErrors.NotFound())
            .WithName("send-a-webhook-test-event").WithSummary("Queue a webhook_test event to this webhook").Answers<SinglePayloadJson<DeliveryJson>>();

        return account;
    }

    private static Task<Webhook?> Find(AccountScope scope, int id, WebhookService webhooks, CancellationToken ct) =>
        webhooks.FindAsync(scope.AccountId, id, ct);

    /// <summary>
    /// An unreadable body's 400, or the reference's "param is missing" for a body (wrapped in "webhook" or not, form
    /// encoding too) that names none of a webhook's fields.
    /// </summary>
    private static IResult? Unreadable(Body<WebhookInput> body) =>
        body.Unreadable ?? (body.Fields is { } f && !f.Has("url") && !f.Has("subscriptions") && !f.Has("name") ? ApiErrors.MissingParam("webhook") : null);
}
