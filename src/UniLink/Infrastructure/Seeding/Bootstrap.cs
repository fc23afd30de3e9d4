using Microsoft.AspNetCore.Identity;
using UniLink.Infrastructure.Config;

namespace UniLink.Infrastructure.Seeding;

/// <summary>On an empty database: the first account and administrator, and (unless UNILINK_DEMO=0) demo data.</summary>
public static class Bootstrap
{
    public sealed record FirstAdministrator(string Email, string? GeneratedPassword, string AccessToken);

    public static async Task<FirstAdministrator?> RunAsync(IServiceProvider services, UniLinkOptions options)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        if (await db.Users.AnyAsync()) return null;

        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>();
        var now = UnixTime.Now();
        var password = options.AdminPassword ?? Tokens.New(12);
        var token = options.AdminToken ?? Tokens.New();
        var account = new Account { Name = "UniLink", CreatedAt = now, UpdatedAt = now };
        var admin = new User
        {
            Name = "Administrator",
            Email = options.AdminEmail,
            AccessTokenHash = Tokens.Hash(token),
            CreatedAt = now,
            UpdatedAt = now,
        };
        admin.PasswordHash = hasher.HashPassword(admin, password);
        db.Accounts.Add(account);
        db.Users.Add(admin);
        db.AccountUsers.Add(new AccountUser { Account = account, User = admin, Role = Roles.Administrator, CreatedAt = now });
        await db.SaveChangesAsync();

        if (options.Demo)
        {
            await DemoData.SeedAsync(db, account, admin, hasher);
            if (options.DemoAppUrl is { } url && options.DemoAppSecret is { } secret)
                await DemoData.AddSampleAppAsync(db, account, admin, url, secret, scope.ServiceProvider.GetRequiredService<Features.DashboardApps.Platform.AppSecrets>());
        }

        return new FirstAdministrator(admin.Email, options.AdminPassword is null ? password : null, token);
    }
}
