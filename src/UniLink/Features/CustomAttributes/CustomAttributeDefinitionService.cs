using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.CustomAttributes;

/// <summary>
/// A definition's fields as a write gives them; null leaves a field as it is. <see cref="Has"/> tells a field sent as
/// null (cleared) from one not sent. The display type and model stay text here: their rules are the service's.
/// </summary>
public sealed record CustomAttributeDefinitionInput(
    string? AttributeDisplayName, string? AttributeKey, string? AttributeDescription, string? RegexPattern, string? RegexCue,
    string? DefaultValue, IReadOnlyList<string>? AttributeValues, string? AttributeDisplayType, string? AttributeModel,
    IReadOnlySet<string> Has) : IBodyInput<CustomAttributeDefinitionInput>
{
    public static string? Wrapper => "custom_attribute_definition";

    /// <summary>Reads the fields from a body already unwrapped from "custom_attribute_definition".</summary>
    public static CustomAttributeDefinitionInput From(RequestBody body, bool creating)
    {
        var input = new CustomAttributeDefinitionInput(
            body.String("attribute_display_name", 255, required: creating), body.String("attribute_key", 255, required: creating),
            body.String("attribute_description", 1000), body.String("regex_pattern", 1000, trim: false), body.String("regex_cue", 255),
            body.String("default_value", 1000), body.Strings("attribute_values", maxItems: 200),
            body.Json["attribute_display_type"] is JsonValue type ? type.ToString() : null,
            body.Json["attribute_model"] is JsonValue model ? model.ToString() : null,
            body.Json.Select(p => p.Key).ToHashSet());
        foreach (var key in new[] { "attribute_display_type", "attribute_model" })
        {
            if (body.Json[key] is { } and not JsonValue) body.Problem(key, "must be a string");
            else if (creating && body.Json[key] is null) body.Problem(key, "can't be blank");
        }
        return input;
    }
}

/// <summary>An account's custom attribute definitions: their rules, and the writes the API and the dashboard share.</summary>
public sealed partial class CustomAttributeDefinitionService(UniLinkDb db, LiveBus live)
{
    public const string UnknownModel = "is not one of conversation_attribute, contact_attribute";

    public Task<List<CustomAttributeDefinition>> ListAsync(int accountId, AttributeModel? model, CancellationToken ct = default) =>
        db.CustomAttributeDefinitions.AsNoTracking().Where(d => d.AccountId == accountId && (model == null || d.AttributeModel == model))
            .OrderBy(d => d.Id).ToListAsync(ct);

    public Task<CustomAttributeDefinition?> FindAsync(int accountId, int id, CancellationToken ct = default) =>
        db.CustomAttributeDefinitions.FirstOrDefaultAsync(d => d.Id == id && d.AccountId == accountId, ct);

    public async Task<WriteResult<CustomAttributeDefinition>> CreateAsync(int accountId, CustomAttributeDefinitionInput input, CancellationToken ct = default)
    {
        var now = UnixTime.Now();
        var definition = new CustomAttributeDefinition { AccountId = accountId, AttributeDisplayName = "", AttributeKey = "", CreatedAt = now, UpdatedAt = now };
        if (await ApplyAsync(definition, input, ct) is { } problem) return problem;
        db.CustomAttributeDefinitions.Add(definition);
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.CustomAttributesChanged));
        return definition;
    }

    public async Task<WriteResult<CustomAttributeDefinition>> UpdateAsync(int accountId, int id, CustomAttributeDefinitionInput input, CancellationToken ct = default)
    {
        if (await FindAsync(accountId, id, ct) is not { } definition) return new WriteResult<CustomAttributeDefinition>.Missing();
        if (await ApplyAsync(definition, input, ct) is { } problem) return problem;
        definition.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.CustomAttributesChanged));
        return definition;
    }

    public async Task<WriteResult<CustomAttributeDefinition>> DeleteAsync(int accountId, int id, CancellationToken ct = default)
    {
        if (await FindAsync(accountId, id, ct) is not { } definition) return new WriteResult<CustomAttributeDefinition>.Missing();
        db.CustomAttributeDefinitions.Remove(definition);
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.CustomAttributesChanged));
        return definition;
    }

    private async Task<WriteProblem?> ApplyAsync(CustomAttributeDefinition d, CustomAttributeDefinitionInput input, CancellationToken ct)
    {
        if (input.AttributeDisplayType is { } typeName)
        {
            AttributeDisplayType? type = int.TryParse(typeName, out var ti) && Enum.IsDefined((AttributeDisplayType)ti) ? (AttributeDisplayType)ti
                : CustomAttributeMapping.DisplayTypes.TryGetValue(typeName, out var nt) ? nt : null;
            if (type is null)
                return new WriteProblem($"Attribute display type '{typeName}' is not one of {string.Join(", ", CustomAttributeMapping.DisplayTypes.Keys)}", "attribute_display_type");
            d.AttributeDisplayType = type.Value;
        }
        if (input.AttributeModel is { } modelName)
        {
            if (CustomAttributeMapping.ParseModel(modelName) is not { } model)
                return new WriteProblem($"Attribute model '{modelName}' {UnknownModel}", "attribute_model");
            d.AttributeModel = model;
        }
        if (input.AttributeKey is { } key)
        {
            if (!KeyPattern().IsMatch(key)) return new WriteProblem("Attribute key may only contain letters, digits and '_'", "attribute_key");
            d.AttributeKey = key;
        }
        if (await db.CustomAttributeDefinitions.AnyAsync(x => x.AccountId == d.AccountId && x.AttributeKey == d.AttributeKey
                && x.AttributeModel == d.AttributeModel && x.Id != d.Id, ct))
            return new WriteProblem("Attribute key has already been taken", "attribute_key");
        if (input.RegexPattern is { Length: > 0 } pattern)
        {
            try { _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)); }
            catch (ArgumentException) { return new WriteProblem("Regex pattern is not a valid regular expression", "regex_pattern"); }
        }
        if (input.AttributeDisplayName is { } displayName) d.AttributeDisplayName = displayName;
        if (input.Has.Contains("attribute_description")) d.AttributeDescription = input.AttributeDescription;
        if (input.Has.Contains("regex_pattern")) d.RegexPattern = string.IsNullOrEmpty(input.RegexPattern) ? null : input.RegexPattern;
        if (input.Has.Contains("regex_cue")) d.RegexCue = input.RegexCue;
        if (input.Has.Contains("default_value")) d.DefaultValue = input.DefaultValue;
        if (input.AttributeValues is { } values) d.AttributeValues = JsonText.Serialize(new JsonArray(values.Select(v => (JsonNode)v).ToArray()));
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex KeyPattern();
}
