using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UniLink.Features.DashboardApps.Events;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Features.Webhooks;

namespace UniLink.Features.DashboardApps.Manifests;

/// <summary>One parameter of an app's settings form; a <see cref="Secret"/> one never reaches a browser.</summary>
public sealed record ManifestSetting(string Name, string Label, string? Description, bool Required, bool Secret);

public sealed record ManifestAuthor(string Name, string? Email, string? Url);

/// <summary>
/// Version 1 of an app's manifest (<c>/sdk/schema/v1/manifest.json</c>): who the app is, where it shows,
/// and everything it asks for — what it sees (<see cref="ContextScopes"/>), what it may do (<see cref="Actions"/>),
/// the events it wants, the domains it may call through the host, and its settings form.
/// </summary>
public sealed record AppManifest(
    string Name, string? Version, string? Description, string? Icon, ManifestAuthor? Author,
    IReadOnlyList<DashboardAppFrame> Frames, string Placement, IReadOnlyList<string> Actions, IReadOnlyList<string> ContextScopes,
    IReadOnlyList<string> Events, string? EventEndpoint, IReadOnlyList<ManifestSetting> Settings, IReadOnlyList<string> RequestDomains)
{
    public const int CurrentVersion = 1;
    public const string SchemaPath = "/sdk/schema/v1/manifest.json";
    public const int MaxBytes = 64 * 1024;
    public const int MaxSettings = 30;
    public const int MaxRequestDomains = 20;
    public const int MaxSettingValueLength = 4000;

    private static readonly string[] Fields =
    [
        "$schema", "manifest_version", "name", "version", "description", "icon", "author", "frames", "placement", "actions",
        "context_scopes", "events", "event_endpoint", "settings", "request_domains",
    ];

    /// <summary>
    /// The webhook names an earlier form of the manifest took, as the typed events they stand for (an app's server gets
    /// the same typed events as its frame); stored and shown as the typed names.
    /// </summary>
    private static readonly Dictionary<string, string[]> LegacyEvents = new()
    {
        [WebhookEvents.MessageCreated] = [AppEventTypes.MessageCreated],
        [WebhookEvents.MessageUpdated] = [AppEventTypes.MessageUpdated],
        [WebhookEvents.ConversationStatusChanged] = [AppEventTypes.StatusChanged],
        [WebhookEvents.ConversationUpdated] = [AppEventTypes.Assigned, AppEventTypes.LabelsChanged, AppEventTypes.CustomAttributesChanged],
        [WebhookEvents.ContactUpdated] = [AppEventTypes.ContactUpdated],
    };

    private static readonly Regex SettingName = new("^[a-z][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant);
    private static readonly Regex Domain = new(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$", RegexOptions.CultureInvariant);

    /// <summary>The names of the origins the app's frames are on (where its context goes).</summary>
    public IReadOnlyList<string> FrameOrigins =>
        Frames.Select(f => Uri.TryCreate(FrameUrlTemplate.WithPlaceholders(f.Url), UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Authority) : f.Url)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>
    /// The manifest in <paramref name="json"/>, or null with every problem as (field path, message). The rules are the
    /// published schema's, plus those no schema can say: frame URLs as for any app (never UniLink's own origin, only
    /// known URL variables).
    /// </summary>
    public static AppManifest? Parse(JsonNode? json, string dashboardOrigin, out List<(string Field, string Message)> problems)
    {
        var found = new List<(string, string)>();
        problems = found;
        if (json is not JsonObject o)
        {
            found.Add(("manifest", "must be a JSON object"));
            return null;
        }
        foreach (var key in o.Select(p => p.Key).Where(k => !Fields.Contains(k)))
            found.Add((key, $"is not a field of a version {CurrentVersion} manifest"));

        if (o["manifest_version"] is not JsonValue mv || mv.GetValueKind() != JsonValueKind.Number || !mv.TryGetValue<int>(out var version) || version != CurrentVersion)
            found.Add(("manifest_version", $"must be {CurrentVersion}"));

        string? Text(JsonObject obj, string key, string path, int max, bool required)
        {
            var node = obj[key];
            if (node is null)
            {
                if (required) found.Add((path, obj.ContainsKey(key) ? "can't be null" : "is required"));
                else if (obj.ContainsKey(key)) found.Add((path, "can't be null"));
                return null;
            }
            if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                found.Add((path, "must be a string"));
                return null;
            }
            var s = v.GetValue<string>().Trim();
            if (s.Contains('\0')) found.Add((path, "must not contain the character U+0000"));
            else if (required && s.Length == 0) found.Add((path, "can't be blank"));
            else if (s.Length > max) found.Add((path, $"is too long (at most {max} characters)"));
            else return s.Length == 0 ? null : s;
            return null;
        }
        string? Url(JsonObject obj, string key, string path, bool httpsOnly)
        {
            var s = Text(obj, key, path, DashboardAppContent.MaxUrlLength, required: false);
            if (s is null) return null;
            if (!Uri.TryCreate(s, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.UserInfo.Length > 0
                || !(uri.Scheme == "https" || (!httpsOnly && uri.Scheme == "http")))
            {
                found.Add((path, httpsOnly ? "must be an https:// URL" : "must be an http:// or https:// URL"));
                return null;
            }
            return s;
        }
        List<string> Names(string key, IReadOnlyCollection<string> allowed, int max)
        {
            var node = o[key];
            if (node is null)
            {
                if (o.ContainsKey(key)) found.Add((key, "can't be null"));
                return [];
            }
            if (node is not JsonArray list || list.Count > max)
            {
                found.Add((key, $"must be a list of at most {max} strings"));
                return [];
            }
            var names = new List<string>();
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && allowed.Contains(v.GetValue<string>()))
                {
                    if (!names.Contains(v.GetValue<string>())) names.Add(v.GetValue<string>());
                }
                else found.Add(($"{key}[{i}]", $"must be one of {string.Join(", ", allowed)}"));
            }
            return names;
        }

        var name = Text(o, "name", "name", 255, required: true);
        var appVersion = Text(o, "version", "version", 64, required: false);
        var description = Text(o, "description", "description", 2000, required: false);
        var icon = Url(o, "icon", "icon", httpsOnly: false);

        ManifestAuthor? author = null;
        if (o["author"] is JsonObject a)
        {
            foreach (var key in a.Select(p => p.Key).Where(k => k is not ("name" or "email" or "url"))) found.Add(($"author.{key}", "is not a field of author"));
            var authorName = Text(a, "name", "author.name", 255, required: true);
            var email = Text(a, "email", "author.email", 255, required: false);
            if (email is not null && (!email.Contains('@') || email.Any(char.IsWhiteSpace))) found.Add(("author.email", "must be an e-mail address"));
            var authorUrl = Url(a, "url", "author.url", httpsOnly: false);
            if (authorName is not null) author = new ManifestAuthor(authorName, email, authorUrl);
        }
        else if (o.ContainsKey("author")) found.Add(("author", "must be an object with a name"));

        var frames = new List<DashboardAppFrame>();
        if (o["frames"] is JsonArray frameList && frameList.Count is > 0 and <= DashboardAppContent.MaxFrames)
        {
            for (var i = 0; i < frameList.Count; i++)
            {
                if (frameList[i] is not JsonObject frame)
                {
                    found.Add(($"frames[{i}]", "must be an object with a url"));
                    continue;
                }
                foreach (var key in frame.Select(p => p.Key).Where(k => k is not "url")) found.Add(($"frames[{i}].{key}", "is not a field of a frame"));
                var url = Text(frame, "url", $"frames[{i}].url", DashboardAppContent.MaxUrlLength, required: true);
                if (url is null) continue;
                if (DashboardAppContent.UrlProblem(url, dashboardOrigin) is { } p)
                    found.Add(($"frames[{i}].url", p == DashboardAppContent.InvalidMessage ? "must be an http:// or https:// URL" : p.Replace("Content : ", "")));
                else frames.Add(new DashboardAppFrame("frame", url));
            }
        }
        else found.Add(("frames", o.ContainsKey("frames") ? $"must be a list of 1 to {DashboardAppContent.MaxFrames} frames" : "is required"));

        var placement = AppSettings.Tab;
        if (o.ContainsKey("placement"))
        {
            var p = Text(o, "placement", "placement", 64, required: true);
            if (p is not null && !AppSettings.Placements.Contains(p)) found.Add(("placement", $"must be one of {string.Join(", ", AppSettings.Placements)}"));
            else if (p is not null) placement = p;
        }

        var actions = Names("actions", AppActions.Grantable, AppActions.Grantable.Length * 2);
        var scopes = Names("context_scopes", Platform.ContextScopes.All, Platform.ContextScopes.All.Length * 2);
        var events = Names("events", [.. AppEventTypes.Server, .. LegacyEvents.Keys], AppEventTypes.Server.Length + LegacyEvents.Count)
            .SelectMany(e => LegacyEvents.TryGetValue(e, out var typed) ? typed : [e]).Distinct().ToList();
        events = AppEventTypes.Server.Where(events.Contains).ToList();
        var eventEndpoint = Url(o, "event_endpoint", "event_endpoint", httpsOnly: false);
        if (events.Count > 0 && eventEndpoint is null && !found.Any(f => f.Item1 == "event_endpoint"))
            found.Add(("event_endpoint", "is required when the app asks for events"));

        var settings = new List<ManifestSetting>();
        if (o["settings"] is JsonArray settingList && settingList.Count <= MaxSettings)
        {
            for (var i = 0; i < settingList.Count; i++)
            {
                var path = $"settings[{i}]";
                if (settingList[i] is not JsonObject s)
                {
                    found.Add((path, "must be an object with a name and a label"));
                    continue;
                }
                foreach (var key in s.Select(p => p.Key).Where(k => k is not ("name" or "label" or "description" or "required" or "secret")))
                    found.Add(($"{path}.{key}", "is not a field of a setting"));
                var settingName = Text(s, "name", $"{path}.name", 40, required: true);
                if (settingName is not null && !SettingName.IsMatch(settingName))
                {
                    found.Add(($"{path}.name", "must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 40)"));
                    settingName = null;
                }
                else if (settingName is not null && settings.Any(x => x.Name == settingName))
                {
                    found.Add(($"{path}.name", $"'{settingName}' is already a setting"));
                    settingName = null;
                }
                var label = Text(s, "label", $"{path}.label", 255, required: true);
                var help = Text(s, "description", $"{path}.description", 1000, required: false);
                bool Flag(string key)
                {
                    if (s[key] is null) { if (s.ContainsKey(key)) found.Add(($"{path}.{key}", "can't be null")); return false; }
                    if (s[key] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
                    found.Add(($"{path}.{key}", "must be true or false"));
                    return false;
                }
                var required = Flag("required");
                var secret = Flag("secret");
                if (settingName is not null && label is not null) settings.Add(new ManifestSetting(settingName, label, help, required, secret));
            }
        }
        else if (o.ContainsKey("settings")) found.Add(("settings", $"must be a list of at most {MaxSettings} settings"));

        var domains = new List<string>();
        if (o["request_domains"] is JsonArray domainList && domainList.Count <= MaxRequestDomains)
        {
            for (var i = 0; i < domainList.Count; i++)
            {
                if (domainList[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && NormalizeDomain(v.GetValue<string>()) is { } d)
                {
                    if (!domains.Contains(d)) domains.Add(d);
                }
                else found.Add(($"request_domains[{i}]", "must be a host name such as api.example.com (no scheme, port, path or wildcard)"));
            }
        }
        else if (o.ContainsKey("request_domains")) found.Add(("request_domains", $"must be a list of at most {MaxRequestDomains} host names"));

        if (found.Count > 0) return null;
        return new AppManifest(name!, appVersion, description, icon, author, frames, placement, actions, scopes, events, eventEndpoint, settings, domains);
    }

    /// <summary>A host name as the manifest may declare it (lower case), or null.</summary>
    public static string? NormalizeDomain(string value)
    {
        var d = value.Trim().ToLowerInvariant();
        if (d.StartsWith('[') && d.EndsWith(']') && System.Net.IPAddress.TryParse(d[1..^1], out _)) return d;
        return Domain.IsMatch(d) ? d : null;
    }

    /// <summary>The manifest as stored and shown (the document's own shape, normalised).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["manifest_version"] = CurrentVersion,
            ["name"] = Name,
            ["version"] = Version,
            ["description"] = Description,
            ["icon"] = Icon,
            ["author"] = Author is null ? null : new JsonObject { ["name"] = Author.Name, ["email"] = Author.Email, ["url"] = Author.Url },
            ["frames"] = new JsonArray(Frames.Select(f => (JsonNode)new JsonObject { ["url"] = f.Url }).ToArray()),
            ["placement"] = Placement,
            ["actions"] = new JsonArray(Actions.Select(x => (JsonNode)x).ToArray()),
            ["context_scopes"] = new JsonArray(ContextScopes.Select(x => (JsonNode)x).ToArray()),
            ["events"] = new JsonArray(Events.Select(x => (JsonNode)x).ToArray()),
            ["event_endpoint"] = EventEndpoint,
            ["settings"] = new JsonArray(Settings.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name, ["label"] = s.Label, ["description"] = s.Description, ["required"] = s.Required, ["secret"] = s.Secret,
            }).ToArray()),
            ["request_domains"] = new JsonArray(RequestDomains.Select(x => (JsonNode)x).ToArray()),
        };
        // Fields the document left out stay out (a null is not a valid value of any field).
        foreach (var obj in new[] { o, o["author"] as JsonObject }.Concat(((JsonArray)o["settings"]!).OfType<JsonObject>()))
            foreach (var key in obj?.Where(p => p.Value is null).Select(p => p.Key).ToList() ?? []) obj!.Remove(key);
        return o;
    }

    /// <summary>A stored manifest (<see cref="ToJson"/>'s text), read back.</summary>
    public static AppManifest? FromStored(string? stored)
    {
        if (stored is null) return null;
        return Parse(JsonNode.Parse(stored), "", out _);
    }

    /// <summary>
    /// What <paramref name="next"/> asks for beyond <paramref name="consented"/> — each item a line of the new consent
    /// screen; empty when the update may be applied without asking again. A frame on a new origin (the context goes to
    /// someone new), a placement change, a new scope, action, event, event endpoint or request domain all ask for more.
    /// </summary>
    public static List<string> Widening(AppManifest consented, AppManifest next)
    {
        var more = new List<string>();
        more.AddRange(next.ContextScopes.Except(consented.ContextScopes).Select(s => $"context_scopes:{s}"));
        more.AddRange(next.Actions.Except(consented.Actions).Select(s => $"actions:{s}"));
        more.AddRange(next.RequestDomains.Except(consented.RequestDomains).Select(s => $"request_domains:{s}"));
        more.AddRange(next.Events.Except(consented.Events).Select(s => $"events:{s}"));
        more.AddRange(next.FrameOrigins.Except(consented.FrameOrigins, StringComparer.OrdinalIgnoreCase).Select(s => $"frames:{s}"));
        if (next.Placement != consented.Placement) more.Add($"placement:{next.Placement}");
        if (next.EventEndpoint is not null && !string.Equals(OriginOf(next.EventEndpoint), OriginOf(consented.EventEndpoint), StringComparison.OrdinalIgnoreCase))
            more.Add($"event_endpoint:{next.EventEndpoint}");
        return more;
    }

    private static string? OriginOf(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Authority) : null;
}
