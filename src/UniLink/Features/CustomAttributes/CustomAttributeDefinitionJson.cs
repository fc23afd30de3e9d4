using System.Text.Json.Nodes;

namespace UniLink.Features.CustomAttributes;

/// <summary>An account's custom attribute definition (also handed to apps as <c>customAttributes</c>).</summary>
public sealed record CustomAttributeDefinitionJson(
    int Id,
    string AttributeDisplayName,
    string AttributeDisplayType,
    string? AttributeDescription,
    string AttributeKey,
    string? RegexPattern,
    string? RegexCue,
    JsonArray AttributeValues,
    string AttributeModel,
    string? DefaultValue,
    string CreatedAt,
    string UpdatedAt);

public static class CustomAttributeMapping
{
    public static readonly Dictionary<string, AttributeDisplayType> DisplayTypes = new()
    {
        ["text"] = AttributeDisplayType.Text, ["number"] = AttributeDisplayType.Number, ["currency"] = AttributeDisplayType.Currency,
        ["percent"] = AttributeDisplayType.Percent, ["link"] = AttributeDisplayType.Link, ["date"] = AttributeDisplayType.Date,
        ["list"] = AttributeDisplayType.List, ["checkbox"] = AttributeDisplayType.Checkbox,
    };

    public static readonly Dictionary<string, AttributeModel> Models = new()
    {
        ["conversation_attribute"] = AttributeModel.ConversationAttribute,
        ["contact_attribute"] = AttributeModel.ContactAttribute,
    };

    /// <summary>The model by name or by its stored number ("0"/"1"), as the reference accepts both.</summary>
    public static AttributeModel? ParseModel(string name) => name switch
    {
        "0" => AttributeModel.ConversationAttribute,
        "1" => AttributeModel.ContactAttribute,
        _ => Models.TryGetValue(name, out var model) ? model : null,
    };

    public static string Name(this AttributeDisplayType t) => DisplayTypes.First(p => p.Value == t).Key;
    public static string Name(this AttributeModel m) => Models.First(p => p.Value == m).Key;

    public static CustomAttributeDefinitionJson ToJson(this CustomAttributeDefinition d) => new(
        d.Id, d.AttributeDisplayName, d.AttributeDisplayType.Name(), d.AttributeDescription, d.AttributeKey, d.RegexPattern, d.RegexCue,
        JsonText.Array(d.AttributeValues), d.AttributeModel.Name(), d.DefaultValue, UnixTime.IsoMillis(d.CreatedAt), UnixTime.IsoMillis(d.UpdatedAt));
}
