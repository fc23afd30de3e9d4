using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace UniLink.Features.Contacts;

/// <summary>
/// The contact, as the API, the live events and the app context all emit it; the <c>/contacts</c> endpoints add where it
/// is reachable (<see cref="ContactReader.WithInboxesAsync"/>), left out elsewhere.
/// </summary>
public sealed record ContactJson(
    JsonObject AdditionalAttributes,
    string AvailabilityStatus,
    string? Email,
    int Id,
    string? Name,
    string? PhoneNumber,
    bool Blocked,
    string? Identifier,
    string Thumbnail,
    JsonObject CustomAttributes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? LastActivityAt,
    long CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ContactInboxLinkJson>? ContactInboxes = null);

/// <summary>Where a contact is reachable: an inbox and the contact's source id there.</summary>
public sealed record ContactInboxLinkJson(string SourceId, InboxSlimJson Inbox);

/// <summary>The contact record itself (the reference's <c>render json: @contact</c>, as <c>actions/contact_merge</c> answers): ISO times.</summary>
public sealed record ContactRecordJson(
    int Id,
    string? Name,
    string? Email,
    string? PhoneNumber,
    int AccountId,
    string CreatedAt,
    string UpdatedAt,
    JsonObject AdditionalAttributes,
    string? Identifier,
    JsonObject CustomAttributes,
    string? LastActivityAt,
    bool Blocked);

/// <summary>A contact as the sender of a message.</summary>
public sealed record ContactSenderJson(
    JsonObject AdditionalAttributes,
    JsonObject CustomAttributes,
    string? Email,
    int Id,
    string? Identifier,
    string? Name,
    string? PhoneNumber,
    string Thumbnail,
    bool Blocked,
    string Type = "contact");

public static class ContactMapping
{
    public static ContactRecordJson ToRecordJson(this Contact c) => new(
        c.Id, c.Name, c.Email, c.PhoneNumber, c.AccountId, UnixTime.IsoMillis(c.CreatedAt), UnixTime.IsoMillis(c.UpdatedAt),
        JsonText.Object(c.AdditionalAttributes), c.Identifier, JsonText.Object(c.CustomAttributes),
        c.LastActivityAt is { } at ? UnixTime.IsoMillis(at) : null, c.Blocked);

    public static ContactJson ToJson(this Contact c) => new(
        JsonText.Object(c.AdditionalAttributes), "offline", c.Email, c.Id, c.Name, c.PhoneNumber, c.Blocked, c.Identifier,
        c.Thumbnail, JsonText.Object(c.CustomAttributes), UnixTime.SecondsOrNull(c.LastActivityAt), UnixTime.Seconds(c.CreatedAt));

    public static ContactSenderJson ToSenderJson(this Contact c) => new(
        JsonText.Object(c.AdditionalAttributes), JsonText.Object(c.CustomAttributes), c.Email, c.Id, c.Identifier, c.Name,
        c.PhoneNumber, c.Thumbnail, c.Blocked);
}
