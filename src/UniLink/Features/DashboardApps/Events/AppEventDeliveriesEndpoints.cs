using UniLink.Features.Webhooks;

namespace UniLink.Features.DashboardApps.Events;

public static class AppEventDeliveriesEndpoints
{
    /// <summary>
    /// <c>…/dashboard_apps/{id}/event_deliveries</c>: the delivery log of the events sent to the app's server (newest
    /// first, 25 a page, with each attempt) — the webhooks' log, for an app. Administrators only.
    /// </summary>
    public static RouteGroupBuilder MapAppEventDeliveries(this RouteGroupBuilder apps)
    {
        apps.MapGet("/{id:int}/event_deliveries", async (AccountScope scope, int id, HttpRequest request, DashboardAppService apps, WebhookService webhooks,
            CancellationToken ct) =>
        {
            if (await apps.SettingsAsync(scope.AccountId, id, ct) is null) return ApiErrors.NotFound();
            return TypedResults.Json(await DeliveryPageJson.ReadAsync(webhooks, scope.AccountId, DeliveryTargets.DashboardApp, id, request, ct), WireJson.Options);
        }).RequireAdministrator().WithName("list-dashboard-app-event-deliveries").WithSummary("The log of events sent to the app's server")
            .Answers<DeliveryPageJson>();

        return apps;
    }
}
