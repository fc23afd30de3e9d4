using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using UniLink.Infrastructure.Config;

namespace UniLink.Features.Widget;

/// <summary>
/// The widget API is anonymous and sits on every page of a site: each client address gets UNILINK_WIDGET_RATE_LIMIT
/// requests a minute (a policy on the whole group), and each visitor UNILINK_WIDGET_VISITOR_WRITES writes a minute
/// (an endpoint filter keyed by the visitor token, since a rate-limiting policy holds one partition). Over either: 429
/// with Retry-After, as the rest of the API.
/// </summary>
public sealed class WidgetRateLimits : IDisposable
{
    public const string PerAddress = "widget";
    private readonly PartitionedRateLimiter<string>? _writes;

    public WidgetRateLimits(UniLinkOptions options)
    {
        if (options.WidgetVisitorWritesPerMinute > 0)
            _writes = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.WidgetVisitorWritesPerMinute, Window = TimeSpan.FromMinutes(1) }));
    }

    /// <summary>The widget's services: its rules, visitor tokens, the live connections and these limits.</summary>
    public static IServiceCollection AddWidget(IServiceCollection services)
    {
        services.AddScoped<WidgetVisitors>();
        services.AddSingleton<VisitorTokens>();
        services.AddSingleton<WidgetRateLimits>();
        services.AddSingleton<WidgetLive>();
        services.AddOptions<RateLimiterOptions>().Configure<UniLinkOptions>((o, options) => o.AddPolicy(PerAddress, ctx => options.WidgetRateLimitPerMinute == 0
            ? RateLimitPartition.GetNoLimiter("")
            : RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.WidgetRateLimitPerMinute, Window = TimeSpan.FromMinutes(1) })));
        return services;
    }

    /// <summary>Counts the writes (anything but GET) of each visitor token; reads are only limited per address.</summary>
    public static async ValueTask<object?> PerVisitorFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var limits = http.RequestServices.GetRequiredService<WidgetRateLimits>();
        var token = http.Request.Headers[WidgetEndpoints.AuthHeader].ToString();
        if (limits._writes is null || HttpMethods.IsGet(http.Request.Method) || token.Length == 0) return await next(context);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        using var lease = limits._writes.AttemptAcquire(key);
        if (lease.IsAcquired) return await next(context);
        RateLimits.SetRetryAfter(http.Response, lease);
        return TypedResults.Json(new { error = "Too many messages from this visitor; retry after the number of seconds in the Retry-After header" },
            WireJson.Options, statusCode: StatusCodes.Status429TooManyRequests);
    }

    public void Dispose() => _writes?.Dispose();
}
