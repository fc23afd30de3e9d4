using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using UniLink.Features.Contacts;

namespace UniLink.Features.DashboardApps.Platform;

/// <summary>The values of the URL variables (<see cref="FrameUrlTemplate"/>) for one open conversation (or none: a contact's
/// page, an app's page, the background) and agent.</summary>
public static class FrameUrlValues
{
    public static Dictionary<string, string?> For(int accountId, Conversation? conversation, Contact? contact, int agentId, string agentEmail)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["contact.id"] = contact?.Id.ToString(CultureInfo.InvariantCulture),
            ["contact.email"] = contact?.Email,
            ["contact.phone_number"] = contact?.PhoneNumber,
            ["contact.identifier"] = contact?.Identifier,
            ["conversation.id"] = conversation?.DisplayId.ToString(CultureInfo.InvariantCulture),
            ["agent.id"] = agentId.ToString(CultureInfo.InvariantCulture),
            ["agent.email"] = agentEmail,
            ["account.id"] = accountId.ToString(CultureInfo.InvariantCulture),
        };
        AddAttributes(values, "contact.custom_attributes.", contact?.CustomAttributes);
        AddAttributes(values, "conversation.custom_attributes.", conversation?.CustomAttributes);
        return values;
    }

    /// <summary>Strings as they are; numbers, booleans and anything else as their JSON text.</summary>
    private static void AddAttributes(Dictionary<string, string?> values, string prefix, string? json)
    {
        foreach (var (key, value) in JsonText.Object(json))
            values[prefix + key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString();
    }
}
