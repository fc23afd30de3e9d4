using UniLink.Features.DashboardApps.Platform;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.DashboardApps;

public static class DashboardAppsEndpoints
{
    /// <summary>Administrators share one list per account; an agent's is theirs (the apps whose audience holds them).</summary>
    private sealed record AppListKey(int AccountId, int? AgentId);
    private static readonly Type[] AppListReadsFrom =
        [typeof(DashboardApp), typeof(Teams.TeamMember), typeof(Teams.Team), typeof(Accounts.AccountUser)];

    /// <summary><c>/api/v1/accounts/{account_id}/dashboard_apps</c>, answering exactly as the reference does.</summary>
    public static RouteGroupBuilder MapDashboardApps(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/dashboard_apps").WithTags("Dashboard apps");

        group.MapGet("/", (AccountScope scope, ReadCache cache, HttpContext http, CancellationToken ct) =>
            cache.ResponseAsync(new AppListKey(scope.AccountId, scope.IsAdministrator ? null : scope.UserId ?? 0), AppListReadsFrom, async c =>
                (await http.RequestServices.GetRequiredService<DashboardAppService>().ListForAsync(scope, c))
                    .Select(a => a.ToJson()).ToList(), ct))
            .WithName("list-dashboard-apps").WithSummary("List dashboard apps (an agent: the apps shown to them)").Answers<DashboardAppJson[]>();

        group.MapGet("/{id:int}", async (AccountScope scope, int id, DashboardAppService apps, CancellationToken ct) =>
                (await apps.FindForAsync(scope, id, ct)).OrNotFound(app => app.ToJson()))
            .WithName("show-a-dashboard-app").WithSummary("Show a dashboard app").Answers<DashboardAppJson>();

        group.MapPost("/", async (AccountScope scope, HttpRequest request, DashboardAppService apps, CancellationToken ct) =>
        {
            var (input, error) = await ReadAsync(request, creating: true);
            if (error is not null) return error;
            return (await apps.CreateAsync(scope.AccountId, scope.UserId, input!.ToInput(), PublicOrigin.Of(request), ct)).ToHttp(a => a.ToJson());
        }).RequireAdministrator().WithName("create-a-dashboard-app").WithSummary("Create a dashboard app (title and content: its frames' URLs; optionally its placement)").Answers<DashboardAppJson>();

        group.MapPatchAndPut("/{id:int}", UpdateAsync, "update-a-dashboard-app", "Update a dashboard app").RequireAdministrator().Answers<DashboardAppJson>();

        group.MapDelete("/{id:int}", async (AccountScope scope, int id, DashboardAppService apps, CancellationToken ct) =>
                await apps.DeleteAsync(scope.AccountId, id, scope.UserId, ct) ? TypedResults.NoContent() : ApiErrors.NotFound())
            .RequireAdministrator().WithName("delete-a-dashboard-app").WithSummary("Delete a dashboard app").AnswersEmpty(StatusCodes.Status204NoContent);

        // UniLink: the app's signing secret, shown in this answer only; calling again replaces it.
        group.MapPost("/{id:int}/secret", async (AccountScope scope, int id, UniLinkDb db, Platform.AppSecrets secrets, CancellationToken ct) =>
                await secrets.RotateAsync(db, scope.AccountId, id, scope.UserId, ct) is { } secret
                    ? TypedResults.Json(new AppSecretJson(secret), WireJson.Options)
                    : ApiErrors.NotFound())
            .RequireAdministrator().WithName("create-a-new-signing-secret-for-a-dashboard-app")
            .WithSummary("A new signing secret for the app, shown in this answer only (the previous one stops signing)").Answers<AppSecretJson>();

        // UniLink: which actions the app may ask for (administrators grant them).
        group.MapGet("/{id:int}/permissions", async (AccountScope scope, int id, DashboardAppService apps, CancellationToken ct) =>
                await apps.FindForAsync(scope, id, ct) is { } app
                    ? TypedResults.Json(new AppPermissionsJson(Platform.AppActions.PermissionsOf(app)), WireJson.Options)
                    : ApiErrors.NotFound())
            .WithName("list-permissions-of-a-dashboard-app").WithSummary("The actions the app may ask for").Answers<AppPermissionsJson>();
        group.MapPut("/{id:int}/permissions", async (AccountScope scope, int id, HttpRequest request, DashboardAppService apps, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var appId = id;
            if (await apps.SettingsAsync(scope.AccountId, appId, ct) is null) return ApiErrors.NotFound();
            var permissions = body!.Strings("permissions", maxItems: 10, maxLength: 64);
            if (permissions is null) return body.Error ?? ApiErrors.Invalid("Permissions must be a list of action names", "permissions");
            if (permissions.FirstOrDefault(p => !Platform.AppActions.Grantable.Contains(p)) is { } unknown)
                return ApiErrors.Invalid($"Permission '{unknown}' is not one of {string.Join(", ", Platform.AppActions.Grantable)}", "permissions");
            return (await apps.UpdateSettingsAsync(scope.AccountId, appId, scope.UserId, new Platform.AppSettingsChange(Permissions: permissions), ct))
                .ToHttp(saved => new AppPermissionsJson(saved.Permissions));
        }).RequireAdministrator().WithName("set-the-permissions-of-a-dashboard-app").WithSummary("Set the actions the app may ask for").Answers<AppPermissionsJson>();

        group.MapAppSettings();
        Events.AppEventDeliveriesEndpoints.MapAppEventDeliveries(group);
        Manifests.ManifestEndpoints.MapAppManifests(group);
        return account;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, int id, HttpRequest request, DashboardAppService apps, CancellationToken ct)
    {
        var appId = id;
        var (input, error) = await ReadAsync(request, creating: false);
        if (error is not null) return error;
        return (await apps.UpdateAsync(scope.AccountId, appId, scope.UserId, input!.ToInput(), PublicOrigin.Of(request), ct)).ToHttp(a => a.ToJson());
    }

    public sealed record AppSecretJson(string Secret);

    public sealed record AppPermissionsJson(IReadOnlyList<string> Permissions);

    private sealed record Input(string? Title, IReadOnlyList<DashboardAppFrame>? Frames, string? Placement)
    {
        public DashboardAppInput ToInput() => new(Title, Frames, Placement is null ? null : new AppSettingsChange(Placement: Placement));
    }

    /// <summary>
    /// The three body forms the reference accepts (wrapped, unwrapped, form-encoded); title and content are read, and
    /// UniLink's optional <c>placement</c> (one of <see cref="AppSettings.Placements"/>; the settings hold it). A body
    /// naming none of them is the reference's "param is missing".
    /// </summary>
    private static async Task<(Input?, IResult?)> ReadAsync(HttpRequest request, bool creating)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return (null, bad);
        var body = raw!.Unwrap("dashboard_app");
        if (!body.Has("title") && !body.Has("content") && (creating || !body.Has("placement"))) return (null, ApiErrors.MissingParam("dashboard_app"));

        var problems = new List<(string Message, string Attribute)>();
        string? title = null;
        if (creating || body.Has("title"))
        {
            title = body.String("title", 255);
            if (body.Error is not null) problems.Add(("Title is invalid", "title"));
            else if (string.IsNullOrEmpty(title)) problems.Add(("Title can't be blank", "title"));
        }
        IReadOnlyList<DashboardAppFrame>? frames = null;
        if (creating || body.Has("content"))
        {
            frames = DashboardAppContent.Parse(body.Json["content"], PublicOrigin.Of(request), out var contentProblem);
            if (frames is null) problems.Add((contentProblem!, "content"));
        }
        string? placement = null;
        if (body.Has("placement"))
        {
            placement = body.Json["placement"] is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? v.GetValue<string>().Trim() : null;
            if (placement is null || !AppSettings.Placements.Contains(placement))
                problems.Add(($"Placement must be one of {string.Join(", ", AppSettings.Placements)}", "placement"));
        }
        if (problems.Count > 0)
            return (null, ApiErrors.Invalid(string.Join(", ", problems.Select(p => p.Message)), problems.Select(p => p.Attribute).ToArray()));
        return (new Input(title, frames, placement), null);
    }
}
