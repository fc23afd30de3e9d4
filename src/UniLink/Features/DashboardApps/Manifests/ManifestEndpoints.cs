using System.Text.Json;
using System.Text.Json.Nodes;

namespace UniLink.Features.DashboardApps.Manifests;

/// <summary>
/// Installing apps from a manifest (administrators): preview what it asks for, install with consent, post or re-fetch
/// an update (pending while it asks for more), consent to a pending update, and fill in the settings form.
/// Every problem is one 422 naming each field (<c>manifest.frames[0].url</c>, <c>settings.api_key</c>), and nothing is written.
/// </summary>
public static class ManifestEndpoints
{
    /// <summary>What a manifest asks for, as read.</summary>
    public sealed record ManifestPreviewJson(JsonObject Manifest);

    /// <summary>An update's outcome (applied, or pending while it asks for more) and the app.</summary>
    public sealed record ManifestUpdateJson(string? Status, InstalledAppJson App);

    public static RouteGroupBuilder MapAppManifests(this RouteGroupBuilder apps)
    {
        apps.MapPost("/manifest_preview", async (HttpRequest request, AppInstaller installer, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var (manifest, _, problems) = await ReadManifestAsync(body!, null, request, installer, ct);
            return manifest is null ? Invalid(problems) : TypedResults.Json(new ManifestPreviewJson(manifest.ToJson()), WireJson.Options);
        }).RequireAdministrator().WithName("preview-a-dashboard-app-manifest").WithSummary("Reads a manifest (posted or fetched) and answers what it asks for, without installing it").Answers<ManifestPreviewJson>();

        apps.MapPost("/install", async (AccountScope scope, HttpRequest request, AppInstaller installer, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (body!.Json["consent"] is not JsonValue c || c.GetValueKind() != JsonValueKind.True)
                return ApiErrors.Invalid("Consent must be true: the administrator agrees to what the manifest asks for (see …/manifest_preview)", "consent");
            var values = Values(body, out var valueProblem);
            var (manifest, url, problems) = await ReadManifestAsync(body, null, request, installer, ct);
            if (valueProblem is not null) problems.Add(valueProblem.Value);
            if (manifest is null || problems.Count > 0) return Invalid(problems);
            var outcome = await installer.InstallAsync(scope.AccountId, scope.UserId, manifest, url, values, ct);
            return outcome.App is null ? Invalid(outcome.Problems) : TypedResults.Json(installer.View(outcome.App), WireJson.Options);
        }).RequireAdministrator().WithName("install-a-dashboard-app").WithSummary("Installs an app from a manifest, granting what it asks for (consent: true)").Answers<InstalledAppJson>();

        apps.MapGet("/{id:int}/manifest", async (AccountScope scope, int id, AppInstaller installer, CancellationToken ct) =>
            await installer.FindInstalledAsync(scope.AccountId, id, ct) is { } app
                ? TypedResults.Json(installer.View(app), WireJson.Options)
                : ApiErrors.NotFound())
            .RequireAdministrator().WithName("show-a-dashboard-app-manifest").WithSummary("The app's manifest, grants, pending update and settings (secret values never shown)").Answers<InstalledAppJson>();

        apps.MapPost("/{id:int}/manifest", async (AccountScope scope, int id, HttpRequest request, AppInstaller installer, CancellationToken ct) =>
        {
            if (await installer.FindInstalledAsync(scope.AccountId, id, ct) is not { } app) return ApiErrors.NotFound();
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var (manifest, url, problems) = await ReadManifestAsync(body!, app.ManifestUrl, request, installer, ct);
            if (manifest is null) return Invalid(problems);
            var outcome = await installer.UpdateAsync(app, manifest, url, scope.UserId, ct);
            return TypedResults.Json(new ManifestUpdateJson(outcome.Status, installer.View(outcome.App!)), WireJson.Options);
        }).RequireAdministrator().WithName("update-a-dashboard-app-manifest")
            .WithSummary("A new version of the manifest (posted, from manifest_url, or re-fetched): applied, or pending when it asks for more").Answers<ManifestUpdateJson>();

        apps.MapPost("/{id:int}/manifest/consent", async (AccountScope scope, int id, AppInstaller installer, CancellationToken ct) =>
        {
            if (await installer.FindInstalledAsync(scope.AccountId, id, ct) is not { } app) return ApiErrors.NotFound();
            var outcome = await installer.ConsentAsync(app, scope.UserId, ct);
            return outcome.App is null ? Invalid(outcome.Problems) : TypedResults.Json(installer.View(outcome.App), WireJson.Options);
        }).RequireAdministrator().WithName("consent-to-a-dashboard-app-manifest").WithSummary("Consents to the pending manifest update: what it asks for is granted").Answers<InstalledAppJson>();

        apps.MapPut("/{id:int}/setting_values", async (AccountScope scope, int id, HttpRequest request, AppInstaller installer, CancellationToken ct) =>
        {
            if (await installer.FindInstalledAsync(scope.AccountId, id, ct) is not { } app) return ApiErrors.NotFound();
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (!body!.Has("settings")) return ApiErrors.Invalid("Settings is required: an object of setting names and values", "settings");
            var values = Values(body, out var valueProblem);
            if (valueProblem is { } p) return Invalid([p]);
            var outcome = await installer.SetValuesAsync(app, values, scope.UserId, ct);
            return outcome.App is null ? Invalid(outcome.Problems) : TypedResults.Json(installer.View(outcome.App), WireJson.Options);
        }).RequireAdministrator().WithName("set-dashboard-app-setting-values").WithSummary("Fills in the app's settings form (null clears a value; secret values are stored encrypted)").Answers<InstalledAppJson>();

        return apps;
    }

    private static async Task<(AppManifest?, string?, List<(string Field, string Message)>)> ReadManifestAsync(
        RequestBody body, string? fallbackUrl, HttpRequest request, AppInstaller installer, CancellationToken ct)
    {
        JsonNode? document = null;
        if (body.Has("manifest"))
        {
            document = body.Json["manifest"];
            // A manifest sent as text (a file's content in a form field) is read as JSON.
            if (document is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                try { document = JsonNode.Parse(v.GetValue<string>()); }
                catch (JsonException) { return (null, null, [("manifest", "is not a JSON document")]); }
            }
            if (document is not JsonObject) return (null, null, [("manifest", "must be a JSON object (the manifest document)")]);
        }
        string? url = null;
        if (body.Has("manifest_url"))
        {
            if (body.Json["manifest_url"] is JsonValue u && u.GetValueKind() == JsonValueKind.String) url = u.GetValue<string>().Trim();
            else return (null, null, [("manifest_url", "must be a string")]);
        }
        return await installer.ReadAsync(document, url, fallbackUrl, PublicOrigin.Of(request), ct);
    }

    /// <summary>The <c>settings</c> object of values: strings, or null to clear.</summary>
    private static Dictionary<string, string?> Values(RequestBody body, out (string, string)? problem)
    {
        problem = null;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (body.Json["settings"] is null) return values;
        if (body.Json["settings"] is not JsonObject o || o.Count > AppManifest.MaxSettings)
        {
            problem = ("settings", $"must be an object of at most {AppManifest.MaxSettings} setting names and their values");
            return values;
        }
        foreach (var (name, node) in o)
        {
            if (node is null) values[name] = null;
            else if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) values[name] = v.GetValue<string>();
            else
            {
                problem = ($"settings.{name}", "must be a string");
                return values;
            }
        }
        return values;
    }

    private static IResult Invalid(List<(string Field, string Message)> problems) =>
        ApiErrors.Invalid(string.Join(", ", problems.Select(p => $"{p.Field} {p.Message}")), problems.Select(p => p.Field).Distinct().ToArray());
}
