using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.CustomAttributes;

public static class CustomAttributeDefinitionsEndpoints
{
    public static RouteGroupBuilder MapCustomAttributeDefinitions(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/custom_attribute_definitions").WithTags("Custom attributes");

        group.MapGet("/", async (AccountScope scope, HttpRequest request, CustomAttributeDefinitionService definitions, CancellationToken ct) =>
        {
            AttributeModel? model = null;
            if (request.Query["attribute_model"].ToString() is { Length: > 0 } m)
            {
                model = CustomAttributeMapping.ParseModel(m);
                if (model is null) return ApiErrors.Invalid($"Attribute model '{m}' {CustomAttributeDefinitionService.UnknownModel}", "attribute_model");
            }
            return TypedResults.Json((await definitions.ListAsync(scope.AccountId, model, ct)).Select(d => d.ToJson()), WireJson.Options);
        }).WithName("list-custom-attribute-definitions").WithSummary("The account's custom attribute definitions, of one model or both");

        group.MapGet("/{id:int}", async (AccountScope scope, int id, CustomAttributeDefinitionService definitions, CancellationToken ct) =>
                await definitions.FindAsync(scope.AccountId, id, ct) is { } d ? TypedResults.Json(d.ToJson(), WireJson.Options) : ApiErrors.NotFound())
            .WithName("show-a-custom-attribute-definition").WithSummary("One custom attribute definition");

        group.MapPost("/", async (AccountScope scope, HttpRequest request, CustomAttributeDefinitionService definitions, CancellationToken ct) =>
        {
            var (raw, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var body = raw!.Unwrap("custom_attribute_definition");
            var input = CustomAttributeDefinitionInput.From(body, creating: true);
            return body.Error ?? (await definitions.CreateAsync(scope.AccountId, input, ct)).ToHttp(d => d.ToJson());
        }).RequireAdministrator().WithName("create-a-custom-attribute-definition").WithSummary("Define a custom attribute of contacts or conversations");

        group.MapPatch("/{id:int}", UpdateAsync).RequireAdministrator()
            .WithName("update-a-custom-attribute-definition").WithSummary("Change a custom attribute definition");
        group.MapPut("/{id:int}", UpdateAsync).RequireAdministrator()
            .WithName("replace-a-custom-attribute-definition").WithSummary("Change a custom attribute definition (as PATCH)");

        group.MapDelete("/{id:int}", async (AccountScope scope, int id, CustomAttributeDefinitionService definitions, CancellationToken ct) =>
                await definitions.DeleteAsync(scope.AccountId, id, ct) is WriteResult<CustomAttributeDefinition>.Done ? TypedResults.NoContent() : ApiErrors.NotFound())
            .RequireAdministrator().WithName("delete-a-custom-attribute-definition").WithSummary("Delete a custom attribute definition");

        return account;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, int id, HttpRequest request, CustomAttributeDefinitionService definitions, CancellationToken ct)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        var body = raw!.Unwrap("custom_attribute_definition");
        var input = CustomAttributeDefinitionInput.From(body, creating: false);
        return body.Error ?? (await definitions.UpdateAsync(scope.AccountId, id, input, ct)).ToHttp(d => d.ToJson());
    }
}
