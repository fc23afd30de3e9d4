using UniLink.Infrastructure.Config;

namespace UniLink.Features.Platform;

/// <summary>The platform app calling, from the <c>api_access_token</c> header; <see cref="AppId"/> 0 when the token is no app's.</summary>
public sealed record PlatformCaller(int AppId)
{
    public bool IsKnown => AppId != 0;

    /// <summary>Read once per request (parameter binding runs before the group's filter, which refuses unknown callers).</summary>
    public static async ValueTask<PlatformCaller?> BindAsync(HttpContext context, System.Reflection.ParameterInfo parameter) =>
        await ResolveAsync(context);

    public static async Task<PlatformCaller> ResolveAsync(HttpContext http)
    {
        if (http.Items[typeof(PlatformCaller)] is PlatformCaller known) return known;
        var token = http.Request.Headers[ApiTokenHandler.HeaderName].FirstOrDefault();
        int? appId = null;
        if (token is { Length: > 0 and <= 128 } && !token.Contains('\0'))
        {
            var hash = Tokens.Hash(token);
            appId = await http.RequestServices.GetRequiredService<UniLinkDb>().PlatformApps
                .Where(a => a.AccessTokenHash == hash).Select(a => (int?)a.Id).FirstOrDefaultAsync(http.RequestAborted);
        }
        var caller = new PlatformCaller(appId ?? 0);
        http.Items[typeof(PlatformCaller)] = caller;
        return caller;
    }
}

/// <summary>
/// The operator declares the Platform API's apps in <c>UNILINK_PLATFORM_APPS</c> (<c>name=token;…</c>); at start-up each
/// is created or given its token, and an app no longer declared keeps what it created but its token stops working.
/// </summary>
public static class PlatformApps
{
    public const string InvalidToken = "Invalid access_token";
    public const string NonPermissible = "Non permissible resource";

    public static async Task SyncAsync(IServiceProvider services, UniLinkOptions options)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        var apps = await db.PlatformApps.ToListAsync();
        // Tokens are unique: clear every token before handing out the declared ones, so two apps can swap theirs.
        foreach (var app in apps) app.AccessTokenHash = null;
        await db.SaveChangesAsync();
        foreach (var declared in options.PlatformApps)
        {
            var app = apps.FirstOrDefault(a => a.Name == declared.Name);
            if (app is null) db.PlatformApps.Add(app = new PlatformApp { Name = declared.Name, CreatedAt = UnixTime.Now() });
            app.AccessTokenHash = Tokens.Hash(declared.Token);
        }
        await db.SaveChangesAsync();
    }

    /// <summary>On the Platform API's group: the <c>api_access_token</c> header must be a declared app's token, else 401 as the reference.</summary>
    public static RouteGroupBuilder Authenticate(this RouteGroupBuilder group)
    {
        group.AllowAnonymous(); // not a user's or bot's token: the app's, checked here
        group.AddEndpointFilter(async (context, next) =>
            (await PlatformCaller.ResolveAsync(context.HttpContext)).IsKnown
                ? await next(context)
                : TypedResults.Json(new { error = InvalidToken }, WireJson.Options, statusCode: 401));
        return group;
    }
}
