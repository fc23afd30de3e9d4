using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Accounts;

/// <summary>Administrators' changes to the account itself (its name).</summary>
public sealed class AccountSettingsService(IDbContextFactory<UniLinkDb> dbs, LiveBus live)
{
    public const string AccountChanged = "account.changed";

    /// <summary>The reason the name is refused, or null once saved.</summary>
    public async Task<string?> RenameAsync(int accountId, string? name, CancellationToken ct = default)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) return "Name can't be blank";
        if (name.Length > 255) return "Name is too long (maximum is 255 characters)";
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.Accounts.Where(a => a.Id == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Name, name).SetProperty(a => a.UpdatedAt, UnixTime.Now()), ct);
        live.Publish(new LiveEvent(accountId, AccountChanged));
        return null;
    }
}
