using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Infrastructure.Live;
using UniLink.Infrastructure.Outbound;

namespace UniLink.Features.DashboardApps.Manifests;

/// <summary>What an app was installed with, as administrators see it: never a secret setting's value.</summary>
public sealed record InstalledAppJson(int Id, string Title, string? ManifestUrl, JsonObject Manifest, AppGrantsJson Granted, PendingManifestJson? Pending,
    IReadOnlyList<SettingValueJson> Settings);

public sealed record AppGrantsJson(string Placement, IReadOnlyList<string> ContextScopes, IReadOnlyList<string> Actions, IReadOnlyList<string> RequestDomains);

/// <summary>An update that waits for consent: the document, and each thing it asks for beyond what was consented.</summary>
public sealed record PendingManifestJson(JsonObject Manifest, IReadOnlyList<string> Asks);

/// <summary>A settings-form parameter and its value; a secret one says only whether it is set.</summary>
public sealed record SettingValueJson(string Name, string Label, string? Description, bool Required, bool Secret, string? Value, bool IsSet);

/// <summary>The outcome of an install or update: the app, or problems as (field, message) for a 422.</summary>
public sealed record InstallOutcome(DashboardApp? App, List<(string Field, string Message)> Problems, string? Status = null)
{
    public static InstallOutcome Failed(string field, string message) => new(null, [(field, message)]);
}

/// <summary>
/// Apps as installable things: fetches or reads a manifest, installs it with what the administrator consented to,
/// keeps an update that asks for more pending until consented, and holds the settings form's values (secret ones
/// encrypted, readable only on the server).
/// </summary>
public sealed class AppInstaller(UniLinkDb db, LiveBus live, IHttpClientFactory clients, IDataProtectionProvider protection)
{
    public const string Applied = "applied";
    public const string PendingStatus = "pending";
    private readonly IDataProtector _protector = protection.CreateProtector("UniLink.DashboardApps.SecretSettings");

    /// <summary>The manifest document at <paramref name="url"/>, fetched through the guarded outbound client, or why not.</summary>
    public async Task<(JsonNode? Document, string? Problem)> FetchAsync(string url, CancellationToken ct = default)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || url.Length > 2048)
            return (null, "must be an http:// or https:// URL");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await clients.CreateClient(OutboundHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if ((int)response.StatusCode != 200) return (null, $"could not be fetched: the server answered {(int)response.StatusCode}");
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int n;
            while ((n = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > AppManifest.MaxBytes) return (null, $"is larger than {AppManifest.MaxBytes / 1024} KiB");
            }
            try { return (JsonNode.Parse(buffer.ToArray()), null); }
            catch (JsonException) { return (null, "is not a JSON document"); }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return (null, "could not be fetched: no answer within 5 s"); }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            return (null, e is OutboundAddressRefusedException ? $"could not be fetched: {e.Message}" : "could not be fetched: the server could not be reached");
        }
    }

    /// <summary>
    /// A manifest from a request: the posted document (<c>manifest</c>, an object) or the one at <c>manifest_url</c>,
    /// or <paramref name="fallbackUrl"/> when neither is given. Problems name the field.
    /// </summary>
    public async Task<(AppManifest? Manifest, string? Url, List<(string Field, string Message)> Problems)> ReadAsync(
        JsonNode? document, string? url, string? fallbackUrl, string dashboardOrigin, CancellationToken ct = default)
    {
        if (document is not null && url is not null) return (null, null, [("manifest", "give either manifest or manifest_url, not both")]);
        url ??= document is null ? fallbackUrl : null;
        if (document is null && url is null) return (null, null, [("manifest", "is required (the manifest document, or manifest_url)")]);
        if (document is null)
        {
            (document, var problem) = await FetchAsync(url!, ct);
            if (problem is not null) return (null, null, [("manifest_url", problem)]);
        }
        else if (Encoding.UTF8.GetByteCount(document.ToJsonString()) > AppManifest.MaxBytes)
            return (null, null, [("manifest", $"is larger than {AppManifest.MaxBytes / 1024} KiB")]);
        var manifest = AppManifest.Parse(document, dashboardOrigin, out var problems);
        return (manifest, url, problems.Select(p => (p.Field == "manifest" ? p.Field : $"manifest.{p.Field}", p.Message)).ToList());
    }

    /// <summary>Problems with the values of the settings form: unknown names, required ones missing, too long.</summary>
    public static List<(string Field, string Message)> ValueProblems(AppManifest manifest, IReadOnlyDictionary<string, string?> values, bool requireAll)
    {
        var problems = new List<(string, string)>();
        foreach (var name in values.Keys.Where(k => manifest.Settings.All(s => s.Name != k)))
            problems.Add(($"settings.{name}", "is not a setting of this app"));
        foreach (var (name, value) in values)
            if (value is { Length: > AppManifest.MaxSettingValueLength }) problems.Add(($"settings.{name}", $"is too long (at most {AppManifest.MaxSettingValueLength} characters)"));
            else if (value is not null && value.Contains('\0')) problems.Add(($"settings.{name}", "must not contain the character U+0000"));
        if (requireAll)
            foreach (var s in manifest.Settings.Where(s => s.Required && string.IsNullOrEmpty(values.GetValueOrDefault(s.Name))))
                problems.Add(($"settings.{s.Name}", "is required"));
        return problems;
    }

    /// <summary>Creates the app; the administrator consented to everything <paramref name="manifest"/> asks, and that is what it is granted.</summary>
    public async Task<InstallOutcome> InstallAsync(int accountId, int? userId, AppManifest manifest, string? manifestUrl,
        IReadOnlyDictionary<string, string?> values, CancellationToken ct = default)
    {
        var problems = ValueProblems(manifest, values, requireAll: true);
        if (problems.Count > 0) return new InstallOutcome(null, problems);
        var now = UnixTime.Now();
        var app = new DashboardApp
        {
            AccountId = accountId, UserId = userId, Title = manifest.Name, Content = DashboardAppContent.Serialize(manifest.Frames),
            CreatedAt = now, UpdatedAt = now, ManifestUrl = manifestUrl, Manifest = manifest.ToJson().ToJsonString(),
        };
        Grant(app, manifest, manifest);
        StoreValues(app, manifest, values, keepOthers: false);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.DashboardApps.Add(app);
        await db.SaveChangesAsync(ct);
        await Audit.AppAudit.AddAsync(db, app, Audit.AppAuditEvents.Installed, userId, ct, request: manifestUrl is null ? null : JsonSerializer.Serialize(new { manifest_url = manifestUrl }),
            changes: Audit.AppAudit.Changes(GrantsOf(null), GrantsOf(app)));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.DashboardAppsChanged));
        return new InstallOutcome(app, [], Applied);
    }

    /// <summary>
    /// A new version of an installed app's manifest. When it asks for nothing more than was consented it is applied at
    /// once (grants it no longer asks for are dropped); otherwise it is stored as pending and the app keeps its manifest
    /// and grants until an administrator consents (<see cref="ConsentAsync"/>). A later update replaces a pending one.
    /// </summary>
    public async Task<InstallOutcome> UpdateAsync(DashboardApp app, AppManifest next, string? manifestUrl, int? actorId, CancellationToken ct = default)
    {
        var consented = AppManifest.FromStored(app.Manifest)!;
        if (manifestUrl is not null) app.ManifestUrl = manifestUrl;
        if (AppManifest.Widening(consented, next).Count > 0)
        {
            app.PendingManifest = next.ToJson().ToJsonString();
            app.UpdatedAt = UnixTime.Now();
            await Audit.AppAudit.AddAsync(db, app, Audit.AppAuditEvents.ManifestPending, actorId, ct,
                request: JsonSerializer.Serialize(new { version = next.Version, asks = AppManifest.Widening(consented, next) }), outcome: PendingStatus);
            await db.SaveChangesAsync(ct);
            return new InstallOutcome(app, [], PendingStatus);
        }
        var before = GrantsOf(app);
        Apply(app, consented, next);
        app.PendingManifest = null;
        await Audit.AppAudit.AddAsync(db, app, Audit.AppAuditEvents.ManifestUpdated, actorId, ct,
            request: JsonSerializer.Serialize(new { version = next.Version }), outcome: Applied, changes: Audit.AppAudit.Changes(before, GrantsOf(app)));
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(app.AccountId, LiveEvent.DashboardAppsChanged));
        return new InstallOutcome(app, [], Applied);
    }

    /// <summary>An administrator consented to the pending manifest: it is in force, with what it asks for granted.</summary>
    public async Task<InstallOutcome> ConsentAsync(DashboardApp app, int? actorId, CancellationToken ct = default)
    {
        if (AppManifest.FromStored(app.PendingManifest) is not { } next) return InstallOutcome.Failed("manifest", "has no update waiting for consent");
        var before = GrantsOf(app);
        Apply(app, AppManifest.FromStored(app.Manifest)!, next);
        app.PendingManifest = null;
        await Audit.AppAudit.AddAsync(db, app, Audit.AppAuditEvents.ConsentGiven, actorId, ct,
            request: JsonSerializer.Serialize(new { version = next.Version }), outcome: Applied, changes: Audit.AppAudit.Changes(before, GrantsOf(app)));
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(app.AccountId, LiveEvent.DashboardAppsChanged));
        return new InstallOutcome(app, [], Applied);
    }

    /// <summary>Changes values of the settings form (a null value clears it); the others are kept.</summary>
    public async Task<InstallOutcome> SetValuesAsync(DashboardApp app, IReadOnlyDictionary<string, string?> values, int? actorId, CancellationToken ct = default)
    {
        var manifest = AppManifest.FromStored(app.Manifest)!;
        var problems = ValueProblems(manifest, values, requireAll: false);
        foreach (var s in manifest.Settings.Where(s => s.Required && values.TryGetValue(s.Name, out var v) && string.IsNullOrEmpty(v)))
            problems.Add(($"settings.{s.Name}", "is required"));
        if (problems.Count > 0) return new InstallOutcome(null, problems);
        StoreValues(app, manifest, values, keepOthers: true);
        app.UpdatedAt = UnixTime.Now();
        // Which values changed, never what a secret one is: a secret setting shows as set or cleared.
        var changed = new System.Text.Json.Nodes.JsonObject();
        foreach (var (name, value) in values)
        {
            var secret = manifest.Settings.FirstOrDefault(s => s.Name == name)?.Secret == true;
            changed[name] = secret ? (string.IsNullOrEmpty(value) ? "[cleared]" : "[set]") : value;
        }
        await Audit.AppAudit.AddAsync(db, app, Audit.AppAuditEvents.SettingValuesChanged, actorId, ct, request: changed.ToJsonString());
        await db.SaveChangesAsync(ct);
        return new InstallOutcome(app, [], Applied);
    }

    private void Apply(DashboardApp app, AppManifest consented, AppManifest next)
    {
        app.Title = next.Name;
        app.Content = DashboardAppContent.Serialize(next.Frames);
        app.Manifest = next.ToJson().ToJsonString();
        Grant(app, consented, next);
        // Values of settings the new form no longer has are dropped.
        StoreValues(app, next, new Dictionary<string, string?>(), keepOthers: true);
        app.UpdatedAt = UnixTime.Now();
    }

    /// <summary>
    /// The grants under <paramref name="next"/>: what the administrator held back from <paramref name="consented"/>'s
    /// asks stays held back, what <paramref name="next"/> no longer asks is dropped, and what it newly asks (consented
    /// now) is granted.
    /// </summary>
    private static void Grant(DashboardApp app, AppManifest consented, AppManifest next)
    {
        IEnumerable<string> Keep(IEnumerable<string> held, IReadOnlyList<string> wasAsked, IReadOnlyList<string> nowAsked) =>
            held.Where(nowAsked.Contains).Union(nowAsked.Except(wasAsked));
        var fresh = ReferenceEquals(consented, next);
        var heldScopes = fresh ? [] : ContextScopes.GrantedOf(app);
        var heldActions = fresh ? [] : AppActions.PermissionsOf(app);
        var heldDomains = fresh ? [] : DomainsOf(app);
        var wasScopes = fresh ? [] : consented.ContextScopes;
        var wasActions = fresh ? [] : consented.Actions;
        var wasDomains = fresh ? [] : consented.RequestDomains;
        app.WithheldContextScopes = ContextScopes.WithheldFor(Keep(heldScopes, wasScopes, next.ContextScopes).ToList());
        app.Permissions = string.Join(',', Keep(heldActions, wasActions, next.Actions));
        app.RequestDomains = string.Join(' ', Keep(heldDomains, wasDomains, next.RequestDomains));
        app.Placement = next.Placement;
        app.EventEndpoint = next.EventEndpoint;
        app.EventTypes = string.Join(',', next.Events);
    }

    /// <summary>What the app is granted, for the audit log's before and after.</summary>
    private static AppGrantsJson GrantsOf(DashboardApp? app) => app is null
        ? new AppGrantsJson("", [], [], [])
        : new AppGrantsJson(app.Placement, ContextScopes.GrantedOf(app), AppActions.PermissionsOf(app), DomainsOf(app));

    public static IReadOnlyList<string> DomainsOf(DashboardApp app) => app.RequestDomains.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private void StoreValues(DashboardApp app, AppManifest manifest, IReadOnlyDictionary<string, string?> values, bool keepOthers)
    {
        var (plain, secret) = keepOthers ? ReadValues(app) : ([], []);
        foreach (var s in manifest.Settings)
        {
            var target = s.Secret ? secret : plain;
            (s.Secret ? plain : secret).Remove(s.Name); // a setting that changed kind keeps no copy on the other side
            if (values.TryGetValue(s.Name, out var v))
            {
                if (string.IsNullOrEmpty(v)) target.Remove(s.Name);
                else target[s.Name] = v;
            }
        }
        foreach (var name in plain.Keys.Concat(secret.Keys).ToList().Where(n => manifest.Settings.All(s => s.Name != n)))
        {
            plain.Remove(name);
            secret.Remove(name);
        }
        app.SettingValues = plain.Count == 0 ? null : JsonSerializer.Serialize(plain);
        app.SecretSettingsCiphertext = secret.Count == 0 ? null : _protector.Protect(JsonSerializer.Serialize(secret));
    }

    /// <summary>Every value of the app's settings form, secret ones decrypted: for the server only (filling request placeholders).</summary>
    public (Dictionary<string, string> Plain, Dictionary<string, string> Secret) ReadValues(DashboardApp app)
    {
        var plain = app.SettingValues is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(app.SettingValues) ?? [];
        Dictionary<string, string> secret = [];
        if (app.SecretSettingsCiphertext is not null)
        {
            try { secret = JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(app.SecretSettingsCiphertext)) ?? []; }
            catch (System.Security.Cryptography.CryptographicException) { } // keys lost: the secrets must be entered again
        }
        return (plain, secret);
    }

    /// <summary>The app as administrators see its installation; secret values are never in it.</summary>
    public InstalledAppJson View(DashboardApp app)
    {
        var manifest = AppManifest.FromStored(app.Manifest)!;
        var (plain, secret) = ReadValues(app);
        PendingManifestJson? pending = null;
        if (AppManifest.FromStored(app.PendingManifest) is { } next) pending = new PendingManifestJson(next.ToJson(), AppManifest.Widening(manifest, next));
        return new InstalledAppJson(app.Id, app.Title, app.ManifestUrl, manifest.ToJson(),
            new AppGrantsJson(app.Placement, ContextScopes.GrantedOf(app), AppActions.PermissionsOf(app), DomainsOf(app)), pending,
            manifest.Settings.Select(s => new SettingValueJson(s.Name, s.Label, s.Description, s.Required, s.Secret,
                s.Secret ? null : plain.GetValueOrDefault(s.Name), s.Secret ? secret.ContainsKey(s.Name) : plain.ContainsKey(s.Name))).ToList());
    }

    public Task<DashboardApp?> FindInstalledAsync(int accountId, int appId, CancellationToken ct = default) =>
        db.DashboardApps.FirstOrDefaultAsync(a => a.AccountId == accountId && a.Id == appId && a.Manifest != null, ct);
}
