using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.CustomAttributes;

public static class CustomAttributeDefinitionsEndpoints
{
    public static RouteGroupBuilder MapCustomAttributeDefinitions(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/custom_attribute_definitions").WithTags("Custom attributes");

        group.MapGet("/", async (AccountScope scope, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
        {
            var query = db.CustomAttributeDefinitions.AsNoTracking().Where(d => d.AccountId == scope.AccountId);
            if (request.Query["attribute_model"].ToString() is { Length: > 0 } m)
            {
                var model = CustomAttributeMapping.ParseModel(m);
                if (model is null) return ApiErrors.Invalid($"Attribute model '{m}' is not one of conversation_attribute, contact_attribute", "attribute_model");
                query = query.Where(d => d.AttributeModel == model);
            }
            return Results.Json((await query.OrderBy(d => d.Id).ToListAsync(ct)).Select(d => d.ToJson()), WireJson.Options);
        });

        group.MapGet("/{id}", async (AccountScope scope, string id, UniLinkDb db, CancellationToken ct) =>
            await FindAsync(db, scope, id, ct) is { } d ? Results.Json(d.ToJson(), WireJson.Options) : ApiErrors.NotFound());

        group.MapPost("/", async (AccountScope scope, HttpRequest request, UniLinkDb db, LiveBus live, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var now = UnixTime.Now();
            var definition = new CustomAttributeDefinition { AccountId = scope.AccountId, AttributeDisplayName = "", AttributeKey = "", CreatedAt = now, UpdatedAt = now };
            if (await ApplyAsync(body!.Unwrap("custom_attribute_definition"), definition, db, scope, ct, creating: true) is { } invalid) return invalid;
            db.CustomAttributeDefinitions.Add(definition);
            await db.SaveChangesAsync(ct);
            live.Publish(new LiveEvent(scope.AccountId, LiveEvent.CustomAttributesChanged));
            return Results.Json(definition.ToJson(), WireJson.Options);
        }).RequireAdministrator();

        group.MapPatch("/{id}", UpdateAsync).RequireAdministrator();
        group.MapPut("/{id}", UpdateAsync).RequireAdministrator();

        group.MapDelete("/{id}", async (AccountScope scope, string id, UniLinkDb db, LiveBus live, CancellationToken ct) =>
        {
            if (await FindAsync(db, scope, id, ct, tracked: true) is not { } d) return ApiErrors.NotFound();
            db.CustomAttributeDefinitions.Remove(d);
            await db.SaveChangesAsync(ct);
            live.Publish(new LiveEvent(scope.AccountId, LiveEvent.CustomAttributesChanged));
            return Results.NoContent();
        }).RequireAdministrator();

        return account;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, string id, HttpRequest request, UniLinkDb db, LiveBus live, CancellationToken ct)
    {
        var (body, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        if (await FindAsync(db, scope, id, ct, tracked: true) is not { } d) return ApiErrors.NotFound();
        if (await ApplyAsync(body!.Unwrap("custom_attribute_definition"), d, db, scope, ct, creating: false) is { } invalid) return invalid;
        d.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(scope.AccountId, LiveEvent.CustomAttributesChanged));
        return Results.Json(d.ToJson(), WireJson.Options);
    }

    private static async Task<IResult?> ApplyAsync(RequestBody body, CustomAttributeDefinition d, UniLinkDb db, AccountScope scope, CancellationToken ct, bool creating)
    {
        var displayName = body.String("attribute_display_name", 255, required: creating);
        var key = body.String("attribute_key", 255, required: creating);
        var description = body.String("attribute_description", 1000);
        var regexPattern = body.String("regex_pattern", 1000, trim: false);
        var regexCue = body.String("regex_cue", 255);
        var defaultValue = body.String("default_value", 1000);
        var values = body.Strings("attribute_values", maxItems: 200);
        string? typeName = body.Json["attribute_display_type"] is JsonValue tv ? tv.ToString() : null;
        string? modelName = body.Json["attribute_model"] is JsonValue mv ? mv.ToString() : null;
        foreach (var enumKey in new[] { "attribute_display_type", "attribute_model" })
            if (body.Json[enumKey] is { } and not JsonValue) body.Problem(enumKey, "must be a string");
        if (creating && typeName is null && body.Json["attribute_display_type"] is null) body.Problem("attribute_display_type", "can't be blank");
        if (creating && modelName is null && body.Json["attribute_model"] is null) body.Problem("attribute_model", "can't be blank");
        if (body.Error is { } e) return e;

        if (typeName is not null)
        {
            AttributeDisplayType? type = int.TryParse(typeName, out var ti) && Enum.IsDefined((AttributeDisplayType)ti) ? (AttributeDisplayType)ti
                : CustomAttributeMapping.DisplayTypes.TryGetValue(typeName, out var nt) ? nt : null;
            if (type is null) return ApiErrors.Invalid($"Attribute display type '{typeName}' is not one of {string.Join(", ", CustomAttributeMapping.DisplayTypes.Keys)}", "attribute_display_type");
            d.AttributeDisplayType = type.Value;
        }
        if (modelName is not null)
        {
            var model = CustomAttributeMapping.ParseModel(modelName);
            if (model is null) return ApiErrors.Invalid($"Attribute model '{modelName}' is not one of conversation_attribute, contact_attribute", "attribute_model");
            d.AttributeModel = model.Value;
        }
        if (key is not null)
        {
            if (!Regex.IsMatch(key, "^[A-Za-z0-9_]+$")) return ApiErrors.Invalid("Attribute key may only contain letters, digits and '_'", "attribute_key");
            d.AttributeKey = key;
        }
        if (await db.CustomAttributeDefinitions.AnyAsync(x => x.AccountId == scope.AccountId && x.AttributeKey == d.AttributeKey
                && x.AttributeModel == d.AttributeModel && x.Id != d.Id, ct))
            return ApiErrors.Invalid("Attribute key has already been taken", "attribute_key");
        if (regexPattern is { Length: > 0 })
        {
            try { _ = new Regex(regexPattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)); }
            catch (ArgumentException) { return ApiErrors.Invalid("Regex pattern is not a valid regular expression", "regex_pattern"); }
        }
        if (displayName is not null) d.AttributeDisplayName = displayName;
        if (body.Has("attribute_description")) d.AttributeDescription = description;
        if (body.Has("regex_pattern")) d.RegexPattern = string.IsNullOrEmpty(regexPattern) ? null : regexPattern;
        if (body.Has("regex_cue")) d.RegexCue = regexCue;
        if (body.Has("default_value")) d.DefaultValue = defaultValue;
        if (values is not null) d.AttributeValues = JsonText.Serialize(new JsonArray(values.Select(v => (JsonNode)v).ToArray()));
        return null;
    }

    private static async Task<CustomAttributeDefinition?> FindAsync(UniLinkDb db, AccountScope scope, string id, CancellationToken ct, bool tracked = false) =>
        int.TryParse(id, out var defId)
            ? await (tracked ? db.CustomAttributeDefinitions : db.CustomAttributeDefinitions.AsNoTracking())
                .FirstOrDefaultAsync(d => d.Id == defId && d.AccountId == scope.AccountId, ct)
            : null;
}
