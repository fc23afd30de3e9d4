using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace UniLink.Features.Platform;

// The reference's platform views (app/views/platform/api/v1/models/): an account, a user, an agent bot; account users
// are the raw membership records (render json:). Access tokens are stored hashed: they are shown once, when created.

public sealed record PlatformAccountJson(int Id, string Name, string Locale, string? Domain, string? SupportEmail,
    JsonObject EnabledFeatures, JsonObject CustomAttributes, JsonObject Limits, string Status);

public sealed record PlatformUserAccountJson(int Id, string Name, string? ActiveAt, string Role);

public sealed record PlatformUserJson(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccessToken,
    int? AccountId, string AvailableName, string AvatarUrl, bool Confirmed, string? DisplayName, string MessageSignature,
    string Email, string? PhoneNumber, int Id, string Name, string Provider, string PubsubToken, string? Role, JsonObject UiSettings,
    string Uid, IReadOnlyList<PlatformUserAccountJson> Accounts);

public sealed record PlatformAccountUserJson(int Id, int AccountId, int UserId, string Role, int? InviterId, string CreatedAt, string UpdatedAt, string? ActiveAt);

public sealed record PlatformAgentBotJson(int Id, string Name, string Description, string? OutgoingUrl, int? AccountId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccessToken);

public sealed record PlatformSignInLinkJson(string Url);

public static class PlatformMapping
{
    public static PlatformAccountJson ToPlatformJson(this Account a) =>
        new(a.Id, a.Name, a.Locale, a.Domain, a.SupportEmail, [], JsonText.Object(a.CustomAttributes), JsonText.Object(a.Limits), a.Status);

    /// <summary>The user with their memberships loaded; <paramref name="accessToken"/> only when just issued.</summary>
    public static PlatformUserJson ToPlatformJson(this User u, string? accessToken = null)
    {
        var active = u.Memberships.OrderByDescending(m => m.ActiveAt).ThenBy(m => m.Id).FirstOrDefault();
        return new PlatformUserJson(accessToken, active?.AccountId, u.AvailableName, u.Thumbnail, u.Confirmed, u.DisplayName, u.MessageSignature,
            u.Email, null, u.Id, u.Name, "email", u.PubsubToken, active?.Role, JsonText.Object(u.UiSettings), u.Email,
            u.Memberships.OrderBy(m => m.Id).Select(m => new PlatformUserAccountJson(m.AccountId, m.Account?.Name ?? "",
                m.ActiveAt is { } at ? UnixTime.IsoMillis(at) : null, m.Role)).ToList());
    }

    public static PlatformAccountUserJson ToPlatformJson(this AccountUser m) => new(m.Id, m.AccountId, m.UserId, m.Role, null,
        UnixTime.IsoMillis(m.CreatedAt), UnixTime.IsoMillis(m.CreatedAt), m.ActiveAt is { } at ? UnixTime.IsoMillis(at) : null);

    public static PlatformAgentBotJson ToPlatformJson(this AgentBot b, string? accessToken = null) =>
        new(b.Id, b.Name, b.Description, b.OutgoingUrl, b.AccountId, accessToken);
}
