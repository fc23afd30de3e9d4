using System.Text.Json.Nodes;

namespace UniLink.Features.Profile;

/// <summary>The signed-in user: <c>/api/v1/profile</c> and the <c>data</c> of <c>/auth/sign_in</c>.</summary>
public sealed record ProfileJson(
    string AccessToken,
    int? AccountId,
    string AvailableName,
    string AvatarUrl,
    bool Confirmed,
    string? DisplayName,
    string MessageSignature,
    string Email,
    int Id,
    string Name,
    string Provider,
    string PubsubToken,
    string? Role,
    JsonObject UiSettings,
    string Uid,
    string? Type,
    IReadOnlyList<ProfileAccountJson> Accounts);

/// <summary>One of the user's accounts, with their role there.</summary>
public sealed record ProfileAccountJson(
    int Id,
    string Name,
    string Status,
    string? ActiveAt,
    string Role,
    IReadOnlyList<string> Permissions,
    string Availability,
    string AvailabilityStatus,
    bool AutoOffline);

public static class ProfileReader
{
    /// <summary>The profile of a user with their accounts, or null for no such user.</summary>
    /// <param name="accessToken">
    /// The token to show as <c>access_token</c>: the one the caller used or was just given. API tokens are stored only as
    /// hashes, so a caller that did not send one (the dashboard's cookie) gets an empty string.
    /// </param>
    public static async Task<ProfileJson?> ReadAsync(UniLinkDb db, int userId, string? accessToken, CancellationToken ct = default)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return null;
        var memberships = await db.AccountUsers.AsNoTracking().Include(m => m.Account)
            .Where(m => m.UserId == userId).OrderBy(m => m.AccountId).ToListAsync(ct);
        return user.ToProfileJson(memberships, accessToken ?? "");
    }

    public static ProfileJson ToProfileJson(this User u, IReadOnlyList<AccountUser> memberships, string accessToken)
    {
        // The account the user was last active in comes first for clients that open "the" account.
        var current = memberships.OrderByDescending(m => m.ActiveAt ?? DateTime.MinValue).ThenBy(m => m.AccountId).FirstOrDefault();
        var accounts = memberships.Select(m => new ProfileAccountJson(
            m.AccountId, m.Account.Name, "active", m.ActiveAt is { } at ? UnixTime.IsoMillis(at) : null, m.Role, [m.Role],
            u.AvailabilityStatus, u.AvailabilityStatus, u.AutoOffline)).ToList();
        return new ProfileJson(accessToken, current?.AccountId, u.AvailableName, u.Thumbnail, u.Confirmed, u.DisplayName,
            u.MessageSignature, u.Email, u.Id, u.Name, "email", u.PubsubToken, current?.Role, JsonText.Object(u.UiSettings),
            u.Email, null, accounts);
    }
}
