using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Contacts;

/// <summary>The contact, as the API, the live events and the app context all emit it.</summary>
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
    long CreatedAt);

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
    public static ContactJson ToJson(this Contact c) => new(
        JsonText.Object(c.AdditionalAttributes), "offline", c.Email, c.Id, c.Name, c.PhoneNumber, c.Blocked, c.Identifier,
        c.Thumbnail, JsonText.Object(c.CustomAttributes), UnixTime.SecondsOrNull(c.LastActivityAt), UnixTime.Seconds(c.CreatedAt));

    public static ContactSenderJson ToSenderJson(this Contact c) => new(
        JsonText.Object(c.AdditionalAttributes), JsonText.Object(c.CustomAttributes), c.Email, c.Id, c.Identifier, c.Name,
        c.PhoneNumber, c.Thumbnail, c.Blocked);
}
