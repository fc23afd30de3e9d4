using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using UniLink.Infrastructure.Config;

namespace UniLink.Infrastructure.Http;

/// <summary>
/// 429 with Retry-After: per API token on <c>/api</c> (UNILINK_API_RATE_LIMIT requests a minute, 0 = off), and
/// the policy <see cref="SignIn"/> (UNILINK_SIGNIN_RATE_LIMIT attempts a minute per client address, default 10) for sign-in.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    /// <summary>Requests that make the server fetch something on a user's behalf: 30 a minute per user.</summary>
    public const string ServerFetch = "server-fetch";
    /// <summary>The anonymous client API: UNILINK_PUBLIC_API_RATE_LIMIT requests a minute per inbox and client address.</summary>
    public const string PublicApi = "public-api";

    /// <summary>Retry-After in whole seconds (at least 1) from a refused lease; a minute when the limiter does not say.</summary>
    public static void SetRetryAfter(HttpResponse response, RateLimitLease lease)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    public static IServiceCollection AddUniLinkRateLimits(this IServiceCollection services, UniLinkOptions options)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                SetRetryAfter(ctx.HttpContext.Response, ctx.Lease);
                await ctx.HttpContext.Response.WriteAsJsonAsync(
                    new { error = "Too many requests; retry after the number of seconds in the Retry-After header" }, WireJson.Options, ct);
            };
            // Only attempts count: showing the sign-in form (GET) is free.
            o.AddPolicy(SignIn, ctx => HttpMethods.IsGet(ctx.Request.Method) || options.SignInRateLimitPerMinute == 0
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInRateLimitPerMinute, Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(ServerFetch, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.User.UserId()?.ToString(CultureInfo.InvariantCulture) ?? ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(PublicApi, ctx => options.PublicApiRateLimitPerMinute == 0
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetFixedWindowLimiter(
                    $"{ctx.Request.RouteValues["inbox_identifier"]}|{ctx.Connection.RemoteIpAddress}",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.PublicApiRateLimitPerMinute, Window = TimeSpan.FromMinutes(1) }));
            if (options.ApiRateLimitPerMinute > 0)
            {
                o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
                    ctx.Request.Path.StartsWithSegments("/api") && ApiTokenHandler.TokenOf(ctx) is { } token
                        ? RateLimitPartition.GetFixedWindowLimiter(token, _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = options.ApiRateLimitPerMinute,
                            Window = TimeSpan.FromMinutes(1),
                        })
                        : RateLimitPartition.GetNoLimiter(""));
            }
        });
        return services;
    }
}
