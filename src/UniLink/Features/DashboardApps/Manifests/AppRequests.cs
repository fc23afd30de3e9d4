using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UniLink.Infrastructure.Config;
using UniLink.Infrastructure.Outbound;

namespace UniLink.Features.DashboardApps.Manifests;

/// <summary>
/// The answer a frame gets for <c>unilink:request</c>: the target's status, its safe headers and its body (as text), or
/// why no request was made or no answer came.
/// </summary>
public sealed record AppRequestResult(bool Ok, string? Error, int? Status = null, IReadOnlyDictionary<string, string>? Headers = null, string? Body = null)
{
    public static AppRequestResult Refused(string error) => new(false, error);
}

/// <summary>Per-app sliding minute of requests made through the host (per node).</summary>
public sealed class AppRequestLimiter(UniLinkOptions options)
{
    private readonly ConcurrentDictionary<int, Queue<long>> _recent = new();

    public bool TryTake(int appId)
    {
        var queue = _recent.GetOrAdd(appId, _ => new Queue<long>());
        var now = Environment.TickCount64;
        lock (queue)
        {
            while (queue.Count > 0 && now - queue.Peek() >= 60_000) queue.Dequeue();
            if (queue.Count >= options.AppRequestsPerMinute) return false;
            queue.Enqueue(now);
            return true;
        }
    }
}

/// <summary>
/// <c>unilink:request</c>: an app asks the host to call its back-end or a third-party API. The URL must be on a domain
/// its manifest declared and an administrator granted; <c>{{settings.NAME}}</c> in the URL, headers and body are filled
/// here, on the server, so a secret setting never reaches the browser; the call goes through the guarded outbound
/// client (public addresses only unless the operator allows private ones, no redirects, no cookies) with the webhooks'
/// 5-second limit, a 1 MiB answer cap and a per-app rate limit. Secret values that come back in the answer are
/// replaced by <c>[secret]</c>.
/// </summary>
public sealed class AppRequests(UniLinkDb db, AppInstaller installer, IHttpClientFactory clients, AppRequestLimiter limiter)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    public const int MaxResponseBytes = 1 << 20;
    public const int MaxRequestBodyChars = 256 * 1024;
    public const int MaxHeaders = 30;
    public const string Redacted = "[secret]";
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
    private static readonly Regex Placeholder = new(@"\{\{\s*settings\.([A-Za-z0-9_]+)\s*\}\}", RegexOptions.CultureInvariant);
    private static readonly Regex HeaderName = new("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$", RegexOptions.CultureInvariant);

    /// <summary>Headers an app may not set: the transport's own, and the browser's identity (cookies).</summary>
    private static readonly HashSet<string> ForbiddenRequestHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "connection", "content-length", "transfer-encoding", "te", "trailer", "upgrade", "keep-alive", "expect",
        "cookie", "cookie2", "proxy-authorization", "proxy-connection", "forwarded", "x-forwarded-for", "x-forwarded-host",
        "x-forwarded-proto", "x-real-ip",
    };

    /// <summary>The answer's headers a frame gets: describing the content and its caching, never cookies or the server's internals.</summary>
    private static readonly HashSet<string> SafeResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", "content-language", "content-disposition", "cache-control", "etag", "last-modified", "expires",
        "retry-after", "location", "x-request-id", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
        "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset",
    };

    /// <summary>The request <paramref name="requestJson"/> of the app, for the member <paramref name="userId"/> (who must be in the app's audience).</summary>
    public async Task<AppRequestResult> PerformAsync(int accountId, int appId, int userId, string requestJson, CancellationToken ct = default)
    {
        var result = await PerformUnrecordedAsync(accountId, appId, userId, requestJson, ct);
        // Every request of a known app is in the audit log: method and URL as the app wrote them ({{settings.NAME}} unfilled,
        // so never a secret) and the answer's status or why none was made.
        if (await db.DashboardApps.AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == accountId && a.Id == appId, ct) is { } app)
        {
            JsonObject summary = [];
            try
            {
                if (JsonNode.Parse(requestJson) is JsonObject r)
                    summary = new JsonObject { ["method"] = r["method"]?.DeepClone() ?? "GET", ["url"] = r["url"]?.DeepClone() };
            }
            catch (JsonException) { }
            await Audit.AppAudit.AddAsync(db, app, Audit.AppAuditEvents.RequestMade, userId, ct, request: summary.ToJsonString(),
                outcome: result.Ok ? $"answered {result.Status}" : $"refused: {result.Error}");
            await db.SaveChangesAsync(ct);
        }
        return result;
    }

    private async Task<AppRequestResult> PerformUnrecordedAsync(int accountId, int appId, int userId, string requestJson, CancellationToken ct)
    {
        JsonObject request;
        try { request = JsonNode.Parse(requestJson) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException) { return AppRequestResult.Refused("The request is not a JSON object"); }

        var method = request["method"] is null ? "GET"
            : request["method"] is JsonValue m && m.GetValueKind() == JsonValueKind.String ? m.GetValue<string>().ToUpperInvariant() : "";
        if (!Methods.Contains(method)) return AppRequestResult.Refused($"method must be one of {string.Join(", ", Methods)}");
        if (request["url"] is not JsonValue u || u.GetValueKind() != JsonValueKind.String || u.GetValue<string>() is not { Length: > 0 and <= 2048 } urlTemplate)
            return AppRequestResult.Refused("url must be an absolute URL of at most 2048 characters");
        var headerTemplates = new List<(string Name, string Value)>();
        if (request["headers"] is JsonObject headers)
        {
            if (headers.Count > MaxHeaders) return AppRequestResult.Refused($"headers may hold at most {MaxHeaders} headers");
            foreach (var (name, value) in headers)
            {
                if (!HeaderName.IsMatch(name)) return AppRequestResult.Refused($"headers: '{name}' is not a header name");
                if (ForbiddenRequestHeaders.Contains(name) || name.StartsWith("proxy-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("sec-", StringComparison.OrdinalIgnoreCase))
                    return AppRequestResult.Refused($"headers: {name} may not be set by an app");
                if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Length > 8192)
                    return AppRequestResult.Refused($"headers.{name} must be a string of at most 8192 characters");
                headerTemplates.Add((name, v.GetValue<string>()));
            }
        }
        else if (request["headers"] is not null) return AppRequestResult.Refused("headers must be an object of header names and string values");
        var body = request["body"];
        if (body is not null && body.ToJsonString().Length > MaxRequestBodyChars) return AppRequestResult.Refused($"body is larger than {MaxRequestBodyChars / 1024} KiB");
        if (body is not null && method is "GET" or "HEAD") return AppRequestResult.Refused($"a {method} request has no body");

        var app = await db.DashboardApps.AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == accountId && a.Id == appId, ct);
        if (app is null) return AppRequestResult.Refused("The app no longer exists");
        if (await Platform.AppViewer.LoadAsync(db, accountId, userId, ct) is not { } viewer || !Platform.AppAudience.Includes(app, viewer))
            return AppRequestResult.Refused(Platform.AppActions.NotInAudience);
        var domains = AppInstaller.DomainsOf(app);
        if (domains.Count == 0) return AppRequestResult.Refused("The app may not make requests: its manifest declares no request_domains, or none was granted");

        // The address is judged before any value is put in: a setting can never choose where a request goes.
        var probe = Placeholder.Replace(urlTemplate, "x");
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https") || target.UserInfo.Length > 0 || target.Host.Length == 0)
            return AppRequestResult.Refused("url must be an absolute http(s) URL");
        var authority = urlTemplate[(urlTemplate.IndexOf("//", StringComparison.Ordinal) + 2)..].Split('/', '?', '#')[0];
        if (authority.Contains("{{", StringComparison.Ordinal)) return AppRequestResult.Refused("url: settings can't be used in the host name");
        var host = target.IdnHost.ToLowerInvariant();
        if (!domains.Contains(host) && !domains.Contains($"[{host.Trim('[', ']')}]"))
            return AppRequestResult.Refused($"{host} is not one of the app's request domains ({string.Join(", ", domains)})");
        if (target.Scheme == "http" && !target.IsLoopback)
            return AppRequestResult.Refused("url must be https:// (plain http only to this computer's loopback address)");

        var (plain, secret) = installer.ReadValues(app);
        var manifest = AppManifest.FromStored(app.Manifest);
        string? missing = null;
        string Fill(string template, Func<string, string> encode) => Placeholder.Replace(template, match =>
        {
            var name = match.Groups[1].Value;
            if (manifest?.Settings.Any(s => s.Name == name) != true) { missing ??= $"settings.{name} is not a setting of this app"; return ""; }
            if (secret.TryGetValue(name, out var s) || plain.TryGetValue(name, out s)) return encode(s);
            missing ??= $"settings.{name} is not set: an administrator fills it in the app's settings";
            return "";
        });

        var url = Fill(urlTemplate, Uri.EscapeDataString);
        var filledHeaders = headerTemplates.Select(h => (h.Name, Value: Fill(h.Value, v => v))).ToList();
        HttpContent? content = null;
        if (body is JsonValue text && text.GetValueKind() == JsonValueKind.String)
            content = new StringContent(Fill(text.GetValue<string>(), v => v), Encoding.UTF8);
        else if (body is not null)
            content = new StringContent(FillJson(body.DeepClone(), s => Fill(s, v => v)).ToJsonString(), Encoding.UTF8, "application/json");
        if (missing is not null) return AppRequestResult.Refused(missing);
        if (filledHeaders.FirstOrDefault(h => h.Value.Any(c => c is '\r' or '\n' or '\0')) is { Name: { } badHeader })
            return AppRequestResult.Refused($"headers.{badHeader} may not hold line breaks");

        if (!Uri.TryCreate(url, UriKind.Absolute, out _)) return AppRequestResult.Refused("url is not a valid URL once the settings are filled in");
        if (!limiter.TryTake(app.Id)) return AppRequestResult.Refused("Too many requests: this app may make at most its limit of requests a minute through the host; try again shortly");

        using var message = new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
        foreach (var (name, value) in filledHeaders)
            if (!message.Headers.TryAddWithoutValidation(name, value) && content is not null)
            {
                content.Headers.Remove(name);
                content.Headers.TryAddWithoutValidation(name, value);
            }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await clients.CreateClient(OutboundHttp.ClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int n;
            while ((n = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > MaxResponseBytes) return AppRequestResult.Refused($"The answer is larger than {MaxResponseBytes / (1024 * 1024)} MiB");
            }
            var secrets = secret.Values.Where(v => v.Length >= 4).OrderByDescending(v => v.Length).ToList();
            string Redact(string s) => secrets.Aggregate(s, (acc, v) => acc.Replace(v, Redacted, StringComparison.Ordinal));
            var safe = response.Headers.Concat(response.Content.Headers)
                .Where(h => SafeResponseHeaders.Contains(h.Key))
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => Redact(string.Join(", ", h.Value)));
            return new AppRequestResult(true, null, (int)response.StatusCode, safe, Redact(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return AppRequestResult.Refused($"No answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            return AppRequestResult.Refused(e is OutboundAddressRefusedException ? e.Message : $"{host} could not be reached");
        }
    }

    /// <summary>The JSON body with placeholders filled inside its strings (so a value is escaped as JSON).</summary>
    private static JsonNode FillJson(JsonNode node, Func<string, string> fill)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList()) if (o[key] is { } child) o[key] = FillJson(child.DeepClone(), fill);
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) if (a[i] is { } item) a[i] = FillJson(item.DeepClone(), fill);
                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return JsonValue.Create(fill(v.GetValue<string>()));
            default:
                return node;
        }
    }
}
