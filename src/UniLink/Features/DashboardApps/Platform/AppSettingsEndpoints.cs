namespace UniLink.Features.DashboardApps.Platform;

public static class AppSettingsEndpoints
{
    /// <summary>
    /// <c>…/dashboard_apps/{id}/settings</c>: every member reads, administrators change (partially; omitted keys keep
    /// their value). Bad values and foreign inboxes are one 422 naming each problem, and nothing is saved.
    /// </summary>
    public static RouteGroupBuilder MapAppSettings(this RouteGroupBuilder apps)
    {
        apps.MapGet("/{id:int}/settings", async (AccountScope scope, int id, DashboardAppService service, CancellationToken ct) =>
            await service.FindForAsync(scope, id, ct) is not null
                && await service.SettingsAsync(scope.AccountId, id, ct) is { } settings
                ? TypedResults.Json(settings, WireJson.Options)
                : ApiErrors.NotFound())
            .WithName("list-settings-of-a-dashboard-app").WithSummary("Where the app shows, to whom, its grants, hooks and context scopes")
            .Answers<AppSettings>();
        apps.MapPatchAndPut("/{id:int}/settings", UpdateAsync, "update-settings-of-a-dashboard-app",
            "Change where the app shows, to whom, its grants, hooks and context scopes").RequireAdministrator().Answers<AppSettings>();
        return apps;
    }

    /// <summary>A missing app is the 404 before the body's problems are (read then only, not on every change).</summary>
    private static async Task<IResult> UpdateAsync(AccountScope scope, int id, Body<AppSettingsChange> body, DashboardAppService service, CancellationToken ct) =>
        body.Error is { } error
            ? await service.SettingsAsync(scope.AccountId, id, ct) is null ? ApiErrors.NotFound() : error
            : (await service.UpdateSettingsAsync(scope.AccountId, id, scope.UserId, body.Input, ct)).ToHttp(saved => saved);
}
