
namespace UniLink.Features.Agents;

public class User
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? DisplayName { get; set; }
    public required string Email { get; set; }
    public string? PasswordHash { get; set; }
    public string AvailabilityStatus { get; set; } = "online";
    public bool AutoOffline { get; set; } = true;
    public bool Confirmed { get; set; } = true;
    public string Thumbnail { get; set; } = "";
    /// <summary>SHA-256 of the user's API access token: the token itself is shown once, when made, and never stored.</summary>
    public required string AccessTokenHash { get; set; }
    // Made when first read rather than in the constructor: EF builds a User for every row it reads (a list's assignees,
    // senders) and sets both from the row, so two Guid.NewGuid() (a getrandom each) per row were thrown away. The
    // fields' names are not ones EF's backing-field convention matches, so EF reads and writes through the properties.
    private string? pubsubTokenOrNull, securityStampOrNull;

    public string PubsubToken { get => pubsubTokenOrNull ??= Guid.NewGuid().ToString("N"); set => pubsubTokenOrNull = value; }
    public string MessageSignature { get; set; } = "";
    public string UiSettings { get; set; } = "{}";
    public string Theme { get; set; } = "light";
    /// <summary>Changes whenever the password or token is reset, so older cookie sessions stop working.</summary>
    public string SecurityStamp { get => securityStampOrNull ??= Guid.NewGuid().ToString("N"); set => securityStampOrNull = value; }
    /// <summary>
    /// Set on a stand-in: what an account sees, under an id of its own, of an existing user it invited, until that user
    /// accepts; then what the account arranged for the stand-in (role, inboxes, teams, assignments) moves to the user
    /// and the stand-in goes. The existing user's own id would tell the inviting account that the e-mail was known.
    /// A stand-in never signs in.
    /// </summary>
    public int? StandsInForUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<AccountUser> Memberships { get; set; } = [];

    public string AvailableName => string.IsNullOrWhiteSpace(DisplayName) ? Name : DisplayName;
}
