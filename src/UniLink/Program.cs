using Microsoft.AspNetCore.Identity;
using Scalar.AspNetCore;
using UniLink.Components;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.SignIn;
using UniLink.Infrastructure;
using UniLink.Infrastructure.Config;
using UniLink.Infrastructure.Live;
using UniLink.Infrastructure.Outbound;
using UniLink.Infrastructure.Seeding;

var builder = WebApplication.CreateBuilder(args);

UniLinkOptions options;
try
{
    options = UniLinkOptions.Load(builder.Configuration);
}
catch (InvalidConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

builder.WebHost.UseUrls(options.Urls.Split([';', ','], StringSplitOptions.RemoveEmptyEntries));
builder.Services.AddSingleton(options);
builder.Services.AddUniLinkDatabase(options);
builder.Services.AddUniLinkAuth();
builder.Services.AddUniLinkRateLimits(options);
builder.Services.AddAntiforgery();
builder.Services.AddUniLinkDataProtection(options);
builder.Services.ConfigureHttpJsonOptions(o => WireJson.Configure(o.SerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddOpenApi(o => o.DescribeAnswers());
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddDashboardSessionRevalidation();
builder.Services.AddSingleton<LiveBus>();
builder.Services.AddSingleton<FrameSourcePolicy>();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
builder.Services.AddScoped<SignInService>();
builder.Services.AddOutboundHttp(options.OutboundAllowPrivate);
builder.Services.AddPublicOrigin(options);
builder.Services.AddUniLinkFeatures();

var app = builder.Build();

await DatabaseSetup.MigrateAsync(app.Services);
var firstAdmin = await Bootstrap.RunAsync(app.Services, options);
await UniLink.Features.Platform.PlatformApps.SyncAsync(app.Services, options);

app.UsePublicOrigin(options);
app.UseSecurityHeaders();
app.UseUniLinkErrors();
if (!app.Environment.IsDevelopment()) app.UseHsts(); // only ever sent over HTTPS
// The app SDK is imported by apps on other origins as an ES module, which needs CORS.
app.Use((context, next) =>
{
    if (context.Request.Path.StartsWithSegments("/sdk") || context.Request.Path.StartsWithSegments("/schemas"))
        context.Response.Headers.AccessControlAllowOrigin = "*";
    return next(context);
});
// The manifest schema's first address: the same document as the protocol's /sdk/schema/v1/manifest.json.
app.UseRewriter(Microsoft.AspNetCore.Rewrite.RewriteOptionsExtensions.AddRewrite(new Microsoft.AspNetCore.Rewrite.RewriteOptions(),
    @"^schemas/dashboard-app-manifest\.v1\.json$", "sdk/schema/v1/manifest.json", skipRemainingRules: true));
app.UseStaticFiles();
app.UseRouting();
app.UseCrossSiteWriteGuard();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseMiddleware<AccountScopeMiddleware>();
app.UseAntiforgery();
app.UseDashboardContentSecurityPolicy();

app.MapGet("/", () => TypedResults.Redirect("/app")).AllowAnonymous()
            .WithName("open-the-dashboard").WithSummary("Open the dashboard");
app.MapHealthChecks("/health").AllowAnonymous();
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference("/api-docs").AllowAnonymous();
app.MapUniLinkApi();
app.MapStaticAssets().AllowAnonymous();
// No per-message deflate on the dashboards' WebSockets: each one kept its own compressor state (a few hundred KB of
// native memory per connected agent) and compressed every render batch, for batches that are small already.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.DisableWebSocketCompression = true);

app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app, options, firstAdmin));
await app.RunAsync();
return 0;

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
