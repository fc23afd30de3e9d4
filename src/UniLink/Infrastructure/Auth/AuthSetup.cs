using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using UniLink.Features.SignIn;
using UniLink.Infrastructure.Caching;

namespace UniLink.Infrastructure.Auth;

public static class AuthSetup
{
    /// <summary>Picks the token handler when a token is sent, the dashboard's cookie otherwise.</summary>
    public const string Scheme = "UniLink";
    public const string CookieName = "unilink_session";

    public static IServiceCollection AddUniLinkAuth(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "api token or session cookie", o =>
                o.ForwardDefaultSelector = ctx => ApiTokenHandler.HasToken(ctx)
                    ? ApiTokenHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request came over HTTPS (behind a trusted proxy: as X-Forwarded-Proto says).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/app/login";
                o.LogoutPath = "/app/logout";
                o.AccessDeniedPath = "/app/not-authorized";
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = ctx => IsApi(ctx.Request)
                    ? ApiErrors.SignInRequired().ExecuteAsync(ctx.HttpContext)
                    : Redirect(ctx);
                o.Events.OnRedirectToAccessDenied = ctx => IsApi(ctx.Request)
                    ? ApiErrors.NotAllowed().ExecuteAsync(ctx.HttpContext)
                    : Redirect(ctx);
                o.Events.OnValidatePrincipal = ValidateSecurityStamp;
            });

        services.AddAuthorization(o =>
        {
            // New routes start closed; public ones opt out with AllowAnonymous.
            o.FallbackPolicy = new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build();
            o.DefaultPolicy = o.FallbackPolicy;
        });
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>After the Razor components' own services, whose default provider it replaces.</summary>
    public static IServiceCollection AddDashboardSessionRevalidation(this IServiceCollection services)
    {
        services.AddScoped<AuthenticationStateProvider, DashboardSessionRevalidation>();
        // Stateless (the read cache and a context per read): safe in a circuit and in shared services such as the list feed.
        services.AddSingleton<DashboardActor>();
        return services;
    }

    private static bool IsApi(HttpRequest r) =>
        r.Path.StartsWithSegments("/api") || r.Path.StartsWithSegments("/auth") || r.Path.StartsWithSegments("/hubs");

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The cookie names a server-side session: signing out, a password change or reset, or an administrator ends it, and
    /// a captured cookie stops working with it. A password or token reset also changes the user's stamp. The look-ups
    /// use contexts of their own: the request's would stay leased for as long as a dashboard's WebSocket is open.
    /// </summary>
    private static async Task ValidateSecurityStamp(CookieValidatePrincipalContext ctx)
    {
        var session = await CurrentSessionAsync(ctx.Principal, ctx.HttpContext.RequestServices, ctx.HttpContext.RequestAborted);
        if (session is null)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        await ctx.HttpContext.RequestServices.GetRequiredService<SessionService>().ExtendIfOldAsync(session, ctx.HttpContext.RequestAborted);
    }

    /// <summary>
    /// Whether a signed-in dashboard session still stands: its server-side session exists and has not expired (sign-out,
    /// a password change or reset, or an administrator ends it), and the user's stamp is the one signed in with.
    /// </summary>
    public static async Task<bool> IsSessionCurrentAsync(ClaimsPrincipal? principal, IServiceProvider services, CancellationToken ct) =>
        await CurrentSessionAsync(principal, services, ct) is not null;

    private static async Task<ActiveSession?> CurrentSessionAsync(ClaimsPrincipal? principal, IServiceProvider services, CancellationToken ct)
    {
        var stamp = principal?.FindFirst(UniLinkClaims.Stamp)?.Value;
        var token = principal?.FindFirst(UniLinkClaims.Session)?.Value;
        if (principal?.UserId() is not { } userId || stamp is null || token is null) return null;
        var session = await services.GetRequiredService<SessionService>().FindAsync(token, UserSession.Cookie, ct);
        return session is not null && session.UserId == userId && session.SecurityStamp == stamp ? session : null;
    }
}
