using System.Text.Json.Nodes;

namespace UniLink.AppSdk.Payload;

/// <summary><c>data.contact</c> (also <c>conversation.meta.sender</c>).</summary>
/// <param name="LastActivityAt">Unix seconds; absent until the contact was active.</param>
public sealed record Contact(
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
    long CreatedAt,
    long? LastActivityAt = null);

/// <summary>An agent as the conversation's assignee.</summary>
/// <param name="Role"><c>administrator</c> or <c>agent</c>.</param>
public sealed record Agent(
    int Id,
    int AccountId,
    string AvailabilityStatus,
    bool AutoOffline,
    bool Confirmed,
    string Email,
    string Provider,
    string AvailableName,
    string Name,
    string Role,
    string Thumbnail);

/// <summary><c>data.currentAgent</c>: the signed-in agent looking at the conversation.</summary>
public sealed record CurrentAgent(int Id, string Name, string Email);

/// <summary>One of the account's custom attribute definitions (<c>data.customAttributes</c>).</summary>
/// <param name="AttributeDisplayType"><c>text</c>, <c>number</c>, <c>currency</c>, <c>percent</c>, <c>link</c>, <c>date</c>, <c>list</c> or <c>checkbox</c>.</param>
/// <param name="AttributeModel"><c>conversation_attribute</c> or <c>contact_attribute</c>.</param>
/// <param name="CreatedAt">ISO-8601 UTC with milliseconds.</param>
public sealed record CustomAttributeDefinition(
    int Id,
    string AttributeDisplayName,
    string AttributeDisplayType,
    string? AttributeDescription,
    string AttributeKey,
    string? RegexPattern,
    string? RegexCue,
    JsonArray AttributeValues,
    string AttributeModel,
    JsonNode? DefaultValue,
    string CreatedAt,
    string UpdatedAt);

/// <summary><c>data.account</c>: the account, in the contexts of the placements contact_panel, page and background.</summary>
public sealed record AppAccount(int Id, string Name);
