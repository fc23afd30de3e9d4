using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using UniLink.Features.SignIn;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Profile;

/// <summary>A change of one's own profile; null leaves a field as it is.</summary>
public sealed record ProfileChanges(
    string? Name = null,
    string? DisplayName = null,
    string? Email = null,
    string? Password = null,
    string? PasswordConfirmation = null,
    string? CurrentPassword = null,
    string? Availability = null,
    bool? AutoOffline = null,
    string? MessageSignature = null,
    JsonObject? UiSettings = null) : IBodyInput<ProfileChanges>
{
    public static string Wrapper => "profile";
    public static bool StrictTypes => true;

    public static ProfileChanges From(RequestBody body, bool creating) =>
        new(body.Verbatim("name"), body.Verbatim("display_name"), body.Verbatim("email"), body.Verbatim("password"),
            body.Verbatim("password_confirmation"), body.Verbatim("current_password"), body.Verbatim("availability"),
            body.Bool("auto_offline"), body.Verbatim("message_signature"), body.Object("ui_settings", RequestBody.MaxBytes));
}

/// <summary>Changes to the signed-in user's own profile. A new password or token ends every other session.</summary>
public sealed class ProfileService(IDbContextFactory<UniLinkDb> dbs, IPasswordHasher<User> hasher, LiveBus live)
{
    public async Task<WriteResult<User>> UpdateAsync(int userId, ProfileChanges c, CancellationToken ct = default)
    {
        var name = c.Name?.Trim();
        if (c.Name is not null && string.IsNullOrEmpty(name)) return new WriteProblem("Name can't be blank", "name");
        if (name is { Length: > 255 } || c.DisplayName is { Length: > 255 }) return new WriteProblem("Name is too long (maximum is 255 characters)", "name");
        if (c.Email is not null && !AgentRules.IsEmail(c.Email)) return new WriteProblem("Email is invalid", "email");
        if (c.Availability is { } a && !AgentRules.Availabilities.Contains(a)) return new WriteProblem("Availability is not included in the list", "availability");
        if (c.MessageSignature is { Length: > 10_000 }) return new WriteProblem("Message signature is too long", "message_signature");

        await using var db = await dbs.CreateDbContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return new WriteResult<User>.Missing();

        if (c.Password is not null)
        {
            if (AgentRules.PasswordProblem(c.Password) is { } problem) return new WriteProblem(problem, "password");
            if (c.PasswordConfirmation is not null && c.PasswordConfirmation != c.Password)
                return new WriteProblem("Password confirmation doesn't match Password", "password_confirmation");
            if (string.IsNullOrEmpty(c.CurrentPassword) || user.PasswordHash is null
                || hasher.VerifyHashedPassword(user, user.PasswordHash, c.CurrentPassword) == PasswordVerificationResult.Failed)
                return new WriteProblem("Current password is incorrect", "current_password");
            user.PasswordHash = hasher.HashPassword(user, c.Password);
            user.SecurityStamp = Guid.NewGuid().ToString("N");
            await SessionService.EndAllAsync(db, userId, ct);
        }
        if (c.Email is not null)
        {
            var email = AgentRules.NormalizeEmail(c.Email);
            if (email != user.Email && await db.Users.AnyAsync(u => u.Email == email && u.Id != userId && u.StandsInForUserId == null, ct))
                return new WriteProblem("Email has already been taken", "email");
            user.Email = email;
        }
        if (name is not null) user.Name = name;
        if (c.DisplayName is not null) user.DisplayName = string.IsNullOrWhiteSpace(c.DisplayName) ? null : c.DisplayName.Trim();
        if (c.Availability is not null) user.AvailabilityStatus = c.Availability;
        if (c.AutoOffline is { } autoOffline) user.AutoOffline = autoOffline;
        if (c.MessageSignature is not null) user.MessageSignature = c.MessageSignature;
        if (c.UiSettings is not null)
        {
            var settings = JsonText.Object(user.UiSettings);
            foreach (var (key, value) in c.UiSettings) settings[key] = value?.DeepClone();
            user.UiSettings = JsonText.Serialize(settings);
        }
        user.UpdatedAt = UnixTime.Now();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new WriteProblem("Email has already been taken", "email");
        }
        await PublishAsync(db, userId, ct);
        return user;
    }

    /// <summary>A new API access token, returned this once (only its hash is kept); the old one and every session stop working at once.</summary>
    public async Task<string> ResetAccessTokenAsync(int userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var token = Tokens.New();
        var hash = Tokens.Hash(token);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.AccessTokenHash, hash)
            .SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N"))
            .SetProperty(u => u.UpdatedAt, UnixTime.Now()), ct);
        await SessionService.EndAllAsync(db, userId, ct);
        return token;
    }

    /// <summary>Name and availability show in every account's agent lists.</summary>
    private async Task PublishAsync(UniLinkDb db, int userId, CancellationToken ct)
    {
        var accounts = await db.AccountUsers.Where(m => m.UserId == userId).Select(m => m.AccountId).ToListAsync(ct);
        foreach (var accountId in accounts) live.Publish(new LiveEvent(accountId, LiveEvent.AgentsChanged));
    }
}
