using Microsoft.AspNetCore.Identity;
using UniLink.Features.AgentBots;

namespace UniLink.Features.Platform;

/// <summary>Whether a platform app may act on a record: it must exist (404) and be one the app created (401).</summary>
public enum PlatformAccess { Allowed, NotFound, NotPermissible }

/// <summary>
/// The Platform API's rules, as the reference's <c>PlatformController</c> and its controllers: a platform app creates
/// accounts, users and agent bots, and afterwards sees and changes only those (its permissibles). Stricter than the
/// reference where it would reach another app's records: creating a user with the email of a user the app did not
/// create is refused, and only the app's own users are added to its accounts.
/// </summary>
public sealed class PlatformService(UniLinkDb db, IPasswordHasher<User> hasher, AgentBotService bots, Attachments.StoredFiles stored)
{
    public static readonly TimeSpan SignInLinkLifetime = TimeSpan.FromMinutes(5);

    public Task<bool> OwnsAsync(int appId, string type, int id, CancellationToken ct = default) =>
        db.PlatformAppPermissibles.AnyAsync(p => p.PlatformAppId == appId && p.PermissibleType == type && p.PermissibleId == id, ct);

    public async Task<PlatformAccess> AccessAsync(int appId, string type, int id, CancellationToken ct = default)
    {
        var exists = type switch
        {
            PermissibleTypes.Account => await db.Accounts.AnyAsync(a => a.Id == id, ct),
            PermissibleTypes.User => await db.Users.AnyAsync(u => u.Id == id, ct),
            _ => await db.AgentBots.AnyAsync(b => b.Id == id, ct),
        };
        if (!exists) return PlatformAccess.NotFound;
        return await OwnsAsync(appId, type, id, ct) ? PlatformAccess.Allowed : PlatformAccess.NotPermissible;
    }

    private void Permit(int appId, string type, int id) =>
        db.PlatformAppPermissibles.Add(new PlatformAppPermissible { PlatformAppId = appId, PermissibleType = type, PermissibleId = id, CreatedAt = UnixTime.Now() });

    // Accounts

    public async Task<WriteResult<Account>> CreateAccountAsync(int appId, AccountInput input, CancellationToken ct = default)
    {
        var now = UnixTime.Now();
        var account = new Account { Name = "", CreatedAt = now, UpdatedAt = now };
        if (AccountService.Apply(account, input) is { } problem) return problem;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);
        Permit(appId, PermissibleTypes.Account, account.Id);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return account;
    }

    public Task<Account?> FindAccountAsync(int id, CancellationToken ct = default) => db.Accounts.FirstOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>The account and everything in it, in one transaction; its files once that committed.</summary>
    public async Task DeleteAccountAsync(int accountId, CancellationToken ct = default)
    {
        var files = await AccountDeletion.DeleteAsync(db, accountId, ct);
        await stored.RemoveAsync(files);
    }

    // Account users

    public Task<List<AccountUser>> AccountUsersAsync(int accountId, CancellationToken ct = default) =>
        db.AccountUsers.AsNoTracking().Where(m => m.AccountId == accountId).OrderBy(m => m.Id).ToListAsync(ct);

    /// <summary>Adds the user to the account with the role, or changes their role there (the reference's find_or_initialize_by).</summary>
    public async Task<AccountUser> SetAccountUserAsync(int accountId, int userId, string role, CancellationToken ct = default)
    {
        var member = await db.AccountUsers.FirstOrDefaultAsync(m => m.AccountId == accountId && m.UserId == userId, ct);
        if (member is null)
        {
            member = new AccountUser { AccountId = accountId, UserId = userId, Role = role, CreatedAt = UnixTime.Now() };
            db.AccountUsers.Add(member);
        }
        else member.Role = role;
        // A user's memberships change what their sessions may see: as the agents' endpoints, the stamp moves on.
        await db.SaveChangesAsync(ct);
        return member;
    }

    public async Task RemoveAccountUserAsync(int accountId, int userId, CancellationToken ct = default) =>
        await db.AccountUsers.Where(m => m.AccountId == accountId && m.UserId == userId).ExecuteDeleteAsync(ct);

    // Users

    public sealed record NewUser(string Name, string Email, string? DisplayName, string? Password);
    public sealed record IssuedUser(User User, string AccessToken);
    public enum UserOutcome { Created, Existing, EmailTaken }

    /// <summary>
    /// A new user (confirmed, as the reference skips confirmation), or the app's own user with that email again. Without
    /// a password the user signs in through <c>login</c> links only.
    /// </summary>
    public async Task<(UserOutcome, User?, string? AccessToken)> CreateUserAsync(int appId, NewUser input, CancellationToken ct = default)
    {
        if (await db.Users.FirstOrDefaultAsync(u => u.Email == input.Email && u.StandsInForUserId == null, ct) is { } existing)
            return await OwnsAsync(appId, PermissibleTypes.User, existing.Id, ct) ? (UserOutcome.Existing, existing, null) : (UserOutcome.EmailTaken, null, null);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var token = Tokens.New();
        var now = UnixTime.Now();
        var user = new User
        {
            Name = input.Name, DisplayName = input.DisplayName, Email = input.Email, AccessTokenHash = Tokens.Hash(token), Confirmed = true,
            CreatedAt = now, UpdatedAt = now,
        };
        if (input.Password is { } password) user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        Permit(appId, PermissibleTypes.User, user.Id);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (UserOutcome.Created, user, token);
    }

    public Task<User?> FindUserAsync(int id, CancellationToken ct = default) =>
        db.Users.Include(u => u.Memberships).ThenInclude(m => m.Account).FirstOrDefaultAsync(u => u.Id == id, ct);

    public Task<bool> EmailTakenAsync(string email, int exceptUserId, CancellationToken ct = default) =>
        db.Users.AnyAsync(u => u.Email == email && u.Id != exceptUserId && u.StandsInForUserId == null, ct);

    /// <summary>Applies the changes; a new password or email ends the user's sessions (a new security stamp), as a password change does.</summary>
    public async Task<User> UpdateUserAsync(User user, string? name, string? displayName, bool displayNameGiven, string? email, string? password, CancellationToken ct = default)
    {
        if (name is not null) user.Name = name;
        if (displayNameGiven) user.DisplayName = string.IsNullOrEmpty(displayName) ? null : displayName;
        if (email is not null && email != user.Email) { user.Email = email; user.SecurityStamp = Guid.NewGuid().ToString("N"); }
        if (password is not null) { user.PasswordHash = hasher.HashPassword(user, password); user.SecurityStamp = Guid.NewGuid().ToString("N"); }
        user.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        return user;
    }

    /// <summary>The user, their memberships, sessions and sign-in links go; their conversations are left unassigned.</summary>
    public async Task DeleteUserAsync(int userId, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.PlatformAppPermissibles.Where(p => p.PermissibleType == PermissibleTypes.User && p.PermissibleId == userId).ExecuteDeleteAsync(ct);
        await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>A one-time link that signs the user into the dashboard, valid <see cref="SignInLinkLifetime"/>.</summary>
    public async Task<string> NewSignInLinkAsync(User user, string origin, CancellationToken ct = default)
    {
        var token = Tokens.New();
        await db.SignInLinks.Where(l => l.ExpiresAt < UnixTime.Now()).ExecuteDeleteAsync(ct);
        db.SignInLinks.Add(new SignInLink { UserId = user.Id, TokenHash = Tokens.Hash(token), ExpiresAt = UnixTime.Now() + SignInLinkLifetime });
        await db.SaveChangesAsync(ct);
        return $"{origin.TrimEnd('/')}/app/login/sso?email={Uri.EscapeDataString(user.Email)}&sso_auth_token={token}";
    }

    /// <summary>The link's user when the token is valid for that email; the link is used up either way.</summary>
    public async Task<User?> RedeemSignInLinkAsync(string email, string token, CancellationToken ct = default)
    {
        var hash = Tokens.Hash(token);
        var link = await db.SignInLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, ct);
        // Only the request that deletes the row signs in: a link works once, even when used twice at the same moment.
        if (link is null || await db.SignInLinks.Where(l => l.Id == link.Id).ExecuteDeleteAsync(ct) == 0 || link.ExpiresAt < UnixTime.Now()) return null;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == link.UserId, ct);
        return user is not null && string.Equals(user.Email, email.Trim(), StringComparison.OrdinalIgnoreCase) ? user : null;
    }

    // Agent bots

    public Task<List<AgentBot>> AgentBotsAsync(int appId, CancellationToken ct = default) =>
        db.AgentBots.AsNoTracking()
            .Where(b => db.PlatformAppPermissibles.Any(p => p.PlatformAppId == appId && p.PermissibleType == PermissibleTypes.AgentBot && p.PermissibleId == b.Id))
            .OrderBy(b => b.Id).ToListAsync(ct);

    public async Task<WriteResult<AgentBotService.IssuedBot>> CreateAgentBotAsync(int appId, int? accountId, AgentBotInput input, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var created = await bots.CreateAsync(accountId, input, ct);
        if (created is not WriteResult<AgentBotService.IssuedBot>.Done { Value: var issued }) return created;
        Permit(appId, PermissibleTypes.AgentBot, issued.Bot.Id);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return issued;
    }

    public Task<AgentBot?> FindAgentBotAsync(int id, CancellationToken ct = default) => db.AgentBots.FirstOrDefaultAsync(b => b.Id == id, ct);

    public async Task DeleteAgentBotAsync(AgentBot bot, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.PlatformAppPermissibles.Where(p => p.PermissibleType == PermissibleTypes.AgentBot && p.PermissibleId == bot.Id).ExecuteDeleteAsync(ct);
        await db.Inboxes.Where(i => i.AgentBotId == bot.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.AgentBotId, (int?)null), ct);
        await db.AgentBots.Where(b => b.Id == bot.Id).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
    }
}
