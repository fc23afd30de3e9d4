using Microsoft.AspNetCore.HttpOverrides;
using UniLink.Infrastructure.Config;

namespace UniLink.Infrastructure.Http;

/// <summary>
/// Where people reach UniLink: <c>UNILINK_PUBLIC_URL</c> when the operator set it, otherwise the address the request
/// came to. Links UniLink hands out (invitations) use it, so a forged <c>Host</c> header cannot point them elsewhere;
/// with it set, only its host (and the listening addresses) are answered at all.
/// </summary>
public static class PublicOrigin
{
    public static string Of(HttpRequest request) =>
        request.HttpContext.RequestServices.GetRequiredService<UniLinkOptions>().PublicUrl ?? $"{request.Scheme}://{request.Host}";

    /// <summary>The same, for a dashboard page (its circuit has no request).</summary>
    public static string Of(Microsoft.AspNetCore.Components.NavigationManager navigation, UniLinkOptions options) =>
        options.PublicUrl ?? new Uri(navigation.BaseUri).GetLeftPart(UriPartial.Authority);

    public static IServiceCollection AddPublicOrigin(this IServiceCollection services, UniLinkOptions options)
    {
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var network in options.TrustedProxies) o.KnownIPNetworks.Add(network);
        });
        if (options.PublicUrl is { } publicUrl)
        {
            var hosts = new List<string> { new Uri(publicUrl).Host };
            foreach (var url in options.Urls.Split([';', ','], StringSplitOptions.RemoveEmptyEntries))
                if (Uri.TryCreate(url.Replace("://*", "://localhost").Replace("://+", "://localhost"), UriKind.Absolute, out var listen))
                    hosts.Add(listen.Host);
            services.Configure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(o => o.AllowedHosts = hosts.Distinct().ToList());
        }
        return services;
    }

    /// <summary>Forwarded headers only from the configured proxies (none: the headers are ignored); allowed hosts.</summary>
    public static IApplicationBuilder UsePublicOrigin(this IApplicationBuilder app, UniLinkOptions options)
    {
        if (options.TrustedProxies.Count > 0) app.UseForwardedHeaders();
        if (options.PublicUrl is not null) app.UseHostFiltering();
        return app;
    }
}
