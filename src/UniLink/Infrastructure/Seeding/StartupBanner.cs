using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using UniLink.Infrastructure.Config;

namespace UniLink.Infrastructure.Seeding;

/// <summary>Tells the person who ran <c>./unilink</c> where to sign in.</summary>
public static class StartupBanner
{
    public static void Print(WebApplication app, UniLinkOptions options, Bootstrap.FirstAdministrator? firstAdmin)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault() ?? options.Urls;
        var lines = new List<string>
        {
            "",
            $"UniLink is running on {address}",
            $"  Sign in:        {address}/app/login",
            $"  API reference:  {address}/api-docs",
            $"  Database:       {(options.UsesPostgres ? "PostgreSQL" : Path.GetFullPath(Path.Combine(options.DataDir, "unilink.db")))}",
        };
        if (firstAdmin is not null)
        {
            lines.Add($"  Administrator:  {firstAdmin.Email}");
            lines.Add(firstAdmin.GeneratedPassword is { } p
                ? $"  Password:       {p}   (generated; set UNILINK_ADMIN_PASSWORD to choose one)"
                : "  Password:       the value of UNILINK_ADMIN_PASSWORD");
            lines.Add($"  API token:      {firstAdmin.AccessToken}");
        }
        else
        {
            lines.Add($"  Administrator:  {options.AdminEmail} (created on first start; its password was printed then)");
        }
        Console.WriteLine(string.Join(Environment.NewLine, lines) + Environment.NewLine);
    }
}
