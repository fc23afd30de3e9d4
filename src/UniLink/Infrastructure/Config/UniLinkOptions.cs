namespace UniLink.Infrastructure.Config;

/// <summary>
/// Everything configurable, read from the UNILINK_* variables (environment, or any configuration source
/// with the same key). <see cref="Load"/> validates and reports every bad value at once.
/// </summary>
public sealed record UniLinkOptions
{
    public string Urls { get; init; } = "http://127.0.0.1:3000";
    public string DataDir { get; init; } = "data";
    /// <summary>null means the embedded SQLite database under <see cref="DataDir"/>.</summary>
    public string? DatabaseUrl { get; init; }
    public string AdminEmail { get; init; } = "admin@unilink.local";
    public string? AdminPassword { get; init; }
    public string? AdminToken { get; init; }
    public bool Demo { get; init; } = true;
    /// <summary>The Platform API's apps, <c>name=token</c> pairs (UNILINK_PLATFORM_APPS); none: the Platform API answers nobody.</summary>
    public IReadOnlyList<PlatformAppSetting> PlatformApps { get; init; } = [];
    /// <summary>Redis for live updates across several nodes; null on a single node.</summary>
    public string? RedisUrl { get; init; }
    /// <summary>Requests a minute allowed per API token; 0 turns the limit off.</summary>
    public int ApiRateLimitPerMinute { get; init; } = 3000;
    /// <summary>Sign-in attempts a minute allowed per client address; 0 turns the limit off.</summary>
    public int SignInRateLimitPerMinute { get; init; } = 10;
    /// <summary>Requests a minute to the anonymous client API allowed per inbox and client address; 0 turns the limit off.</summary>
    public int PublicApiRateLimitPerMinute { get; init; } = 300;
    /// <summary>Website widget API requests a minute per client address (0: off); writes are also limited per visitor.</summary>
    public int WidgetRateLimitPerMinute { get; init; } = 600;
    /// <summary>Website widget writes (messages, contact changes, typing…) a minute per visitor (0: off).</summary>
    public int WidgetVisitorWritesPerMinute { get; init; } = 60;
    /// <summary>How long a cached read may be served at most (0: no read cache); writes end it sooner.</summary>
    public int ReadCacheSeconds { get; init; } = 2;
    /// <summary>Whether requests UniLink makes (webhooks, app checks, avatars) may reach loopback and private networks.</summary>
    public bool OutboundAllowPrivate { get; init; }
    /// <summary>The address people reach UniLink at (behind a proxy), e.g. https://support.example.com: links, allowed hosts, cookies.</summary>
    public string? PublicUrl { get; init; }
    /// <summary>Reverse proxies whose X-Forwarded-For/-Proto are believed (addresses or CIDR networks); none by default.</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>Webhooks: first retry delay (doubled each attempt, at most an hour, with jitter), how long to keep trying, how long the delivery log is kept.</summary>
    public double WebhookRetryBaseSeconds { get; init; } = 10;
    public double WebhookRetryHours { get; init; } = 24;
    public int WebhookLogDays { get; init; } = 14;
    /// <summary>How long a node's claim on a delivery lasts unless renewed (it is, every third of it, while the node sends).</summary>
    public double WebhookLeaseSeconds { get; init; } = 15;
    /// <summary>Requests a minute one Dashboard App may make through the host (<c>unilink:request</c>), per node.</summary>
    public int AppRequestsPerMinute { get; init; } = 60;

    /// <summary>The sample app ./unilink starts beside the demo (URL and its signing secret); registered in demo data.</summary>
    public string? DemoAppUrl { get; init; }
    public string? DemoAppSecret { get; init; }

    /// <summary>How long an attachment's signed <c>data_url</c>/<c>thumb_url</c> stays valid.</summary>
    public int FileUrlSeconds { get; init; } = 3600;
    /// <summary>An S3-compatible bucket for attachments (UNILINK_S3_URL); null keeps them under <see cref="DataDir"/>.</summary>
    public Features.Attachments.S3Location? S3 { get; init; }

    public bool UsesPostgres => DatabaseUrl is not null;

    public static UniLinkOptions Load(IConfiguration config)
    {
        var errors = new List<string>();
        string? Get(string key) => string.IsNullOrWhiteSpace(config[key]) ? null : config[key]!.Trim();

        var options = new UniLinkOptions();
        if (Get("UNILINK_URLS") is { } urls) options = options with { Urls = urls };
        if (Get("UNILINK_DATA_DIR") is { } dir) options = options with { DataDir = dir };
        if (Get("UNILINK_DATABASE_URL") is { } db)
        {
            if (PostgresUrl.TryToConnectionString(db, out _, out var why)) options = options with { DatabaseUrl = db };
            else errors.Add($"UNILINK_DATABASE_URL: {why}");
        }
        if (Get("UNILINK_ADMIN_EMAIL") is { } email)
        {
            if (email.Contains('@')) options = options with { AdminEmail = email.ToLowerInvariant() };
            else errors.Add($"UNILINK_ADMIN_EMAIL: '{email}' is not an email address");
        }
        if (Get("UNILINK_ADMIN_PASSWORD") is { } password)
        {
            if (password.Length >= 8) options = options with { AdminPassword = password };
            else errors.Add("UNILINK_ADMIN_PASSWORD: must be at least 8 characters");
        }
        if (Get("UNILINK_ADMIN_TOKEN") is { } token)
        {
            if (token.Length >= 16 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                options = options with { AdminToken = token };
            else errors.Add("UNILINK_ADMIN_TOKEN: must be at least 16 characters of letters, digits, '-' or '_'");
        }
        if (Get("UNILINK_PLATFORM_APPS") is { } platformApps)
        {
            var apps = new List<PlatformAppSetting>();
            foreach (var entry in platformApps.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var at = entry.IndexOf('=');
                var (name, appToken) = at < 0 ? (entry, "") : (entry[..at].Trim(), entry[(at + 1)..].Trim());
                if (name.Length is 0 or > 255)
                    errors.Add("UNILINK_PLATFORM_APPS: each entry is name=token with a name of 1 to 255 characters");
                else if (appToken.Length < 16 || !appToken.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                    errors.Add($"UNILINK_PLATFORM_APPS: the token of '{name}' must be at least 16 characters of letters, digits, '-' or '_'");
                else if (apps.Any(a => a.Name == name || a.Token == appToken))
                    errors.Add($"UNILINK_PLATFORM_APPS: '{name}' repeats a name or a token");
                else apps.Add(new PlatformAppSetting(name, appToken));
            }
            options = options with { PlatformApps = apps };
        }
        if (Get("UNILINK_DEMO") is { } demo)
        {
            if (Flag(demo) is { } on) options = options with { Demo = on };
            else errors.Add($"UNILINK_DEMO: '{demo}' is not one of 1, 0, true, false");
        }
        if (Get("UNILINK_OUTBOUND_ALLOW_PRIVATE") is { } allowPrivate)
        {
            if (Flag(allowPrivate) is { } on) options = options with { OutboundAllowPrivate = on };
            else errors.Add($"UNILINK_OUTBOUND_ALLOW_PRIVATE: '{allowPrivate}' is not one of 1, 0, true, false");
        }
        if (Get("UNILINK_DEMO_APP_URL") is { } demoAppUrl && Get("UNILINK_DEMO_APP_SECRET") is { Length: >= 32 } demoAppSecret)
            options = options with { DemoAppUrl = demoAppUrl, DemoAppSecret = demoAppSecret };
        if (Get("UNILINK_PUBLIC_URL") is { } publicUrl)
        {
            if (Uri.TryCreate(publicUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"
                && uri.Query.Length == 0 && uri.UserInfo.Length == 0)
                options = options with { PublicUrl = uri.GetLeftPart(UriPartial.Authority) };
            else errors.Add($"UNILINK_PUBLIC_URL: '{publicUrl}' is not an http(s) origin such as https://support.example.com");
        }
        if (Get("UNILINK_TRUSTED_PROXIES") is { } proxies)
        {
            var networks = new List<System.Net.IPNetwork>();
            foreach (var entry in proxies.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries))
            {
                if (System.Net.IPNetwork.TryParse(entry, out var network)) networks.Add(network);
                else if (System.Net.IPAddress.TryParse(entry, out var address))
                    networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
                else errors.Add($"UNILINK_TRUSTED_PROXIES: '{entry}' is not an IP address or CIDR network");
            }
            options = options with { TrustedProxies = networks };
        }
        if (Get("UNILINK_REDIS_URL") is { } redis) options = options with { RedisUrl = redis };
        if (Get("UNILINK_SIGNIN_RATE_LIMIT") is { } signInLimit)
        {
            if (int.TryParse(signInLimit, out var perMinute) && perMinute >= 0) options = options with { SignInRateLimitPerMinute = perMinute };
            else errors.Add($"UNILINK_SIGNIN_RATE_LIMIT: '{signInLimit}' is not a whole number of attempts a minute (0 turns it off)");
        }
        if (Get("UNILINK_WIDGET_RATE_LIMIT") is { } widgetLimit)
        {
            if (int.TryParse(widgetLimit, out var perMinute) && perMinute >= 0) options = options with { WidgetRateLimitPerMinute = perMinute };
            else errors.Add($"UNILINK_WIDGET_RATE_LIMIT: '{widgetLimit}' is not a whole number of requests a minute (0 turns it off)");
        }
        if (Get("UNILINK_WIDGET_VISITOR_WRITES") is { } visitorLimit)
        {
            if (int.TryParse(visitorLimit, out var perMinute) && perMinute >= 0) options = options with { WidgetVisitorWritesPerMinute = perMinute };
            else errors.Add($"UNILINK_WIDGET_VISITOR_WRITES: '{visitorLimit}' is not a whole number of writes a minute (0 turns it off)");
        }
        if (Get("UNILINK_PUBLIC_API_RATE_LIMIT") is { } publicLimit)
        {
            if (int.TryParse(publicLimit, out var perMinute) && perMinute >= 0) options = options with { PublicApiRateLimitPerMinute = perMinute };
            else errors.Add($"UNILINK_PUBLIC_API_RATE_LIMIT: '{publicLimit}' is not a whole number of requests a minute (0 turns it off)");
        }
        if (Get("UNILINK_API_RATE_LIMIT") is { } limit)
        {
            if (int.TryParse(limit, out var perMinute) && perMinute >= 0) options = options with { ApiRateLimitPerMinute = perMinute };
            else errors.Add($"UNILINK_API_RATE_LIMIT: '{limit}' is not a whole number of requests a minute (0 turns it off)");
        }

        if (Get("UNILINK_READ_CACHE_SECONDS") is { } cacheSeconds)
        {
            if (int.TryParse(cacheSeconds, out var seconds) && seconds is >= 0 and <= 86_400) options = options with { ReadCacheSeconds = seconds };
            else errors.Add($"UNILINK_READ_CACHE_SECONDS: '{cacheSeconds}' is not a whole number of seconds from 0 (no read cache) to 86400");
        }

        if (Get("UNILINK_FILE_URL_SECONDS") is { } urlSeconds)
        {
            if (int.TryParse(urlSeconds, out var seconds) && seconds is >= 1 and <= 604_800) options = options with { FileUrlSeconds = seconds };
            else errors.Add($"UNILINK_FILE_URL_SECONDS: '{urlSeconds}' is not a whole number of seconds from 1 to 604800 (a week)");
        }
        if (Get("UNILINK_S3_URL") is { } s3)
        {
            if (Features.Attachments.S3Location.TryParse(s3, out var location, out var why)) options = options with { S3 = location };
            else errors.Add($"UNILINK_S3_URL: {why}");
        }
        if (Get("UNILINK_WEBHOOK_RETRY_BASE_SECONDS") is { } retryBase)
        {
            if (double.TryParse(retryBase, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v is >= 0.05 and <= 3600)
                options = options with { WebhookRetryBaseSeconds = v };
            else errors.Add($"UNILINK_WEBHOOK_RETRY_BASE_SECONDS: '{retryBase}' is not a number of seconds from 0.05 to 3600");
        }
        if (Get("UNILINK_WEBHOOK_RETRY_HOURS") is { } retryHours)
        {
            if (double.TryParse(retryHours, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v is >= 0.0001 and <= 720)
                options = options with { WebhookRetryHours = v };
            else errors.Add($"UNILINK_WEBHOOK_RETRY_HOURS: '{retryHours}' is not a number of hours from 0.0001 to 720");
        }
        if (Get("UNILINK_WEBHOOK_LEASE_SECONDS") is { } lease)
        {
            if (double.TryParse(lease, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v is >= 0.5 and <= 600)
                options = options with { WebhookLeaseSeconds = v };
            else errors.Add($"UNILINK_WEBHOOK_LEASE_SECONDS: '{lease}' is not a number of seconds from 0.5 to 600");
        }
        if (Get("UNILINK_WEBHOOK_LOG_DAYS") is { } logDays)
        {
            if (int.TryParse(logDays, out var v) && v is >= 1 and <= 365) options = options with { WebhookLogDays = v };
            else errors.Add($"UNILINK_WEBHOOK_LOG_DAYS: '{logDays}' is not a whole number of days from 1 to 365");
        }
        if (Get("UNILINK_APP_REQUESTS_PER_MINUTE") is { } appRequests)
        {
            if (int.TryParse(appRequests, out var v) && v is >= 1 and <= 100_000) options = options with { AppRequestsPerMinute = v };
            else errors.Add($"UNILINK_APP_REQUESTS_PER_MINUTE: '{appRequests}' is not a whole number from 1 to 100000");
        }

        if (errors.Count > 0) throw new InvalidConfigurationException(errors);
        return options;
    }

    private static bool? Flag(string value) => value.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => null,
    };
}

public sealed class InvalidConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid configuration:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>One Platform API app the operator declares: its name and access token.</summary>
public sealed record PlatformAppSetting(string Name, string Token);
