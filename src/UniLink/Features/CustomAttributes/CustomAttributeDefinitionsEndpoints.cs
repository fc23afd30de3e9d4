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
        }).WithName("list-custom-attribute-definitions").WithSummary("The account's custom attribute definitions, of one model or both")
            .Answers<CustomAttributeDefinitionJson[]>();

        group.MapGet("/{id:int}", async (AccountScope scope, int id, CustomAttributeDefinitionService definitions, CancellationToken ct) =>
                (await definitions.FindAsync(scope.AccountId, id, ct)).OrNotFound(d => d.ToJson()))
            .WithName("show-a-custom-attribute-definition").WithSummary("One custom attribute definition").Answers<CustomAttributeDefinitionJson>();

        group.MapPost("/", async (AccountScope scope, Body<CustomAttributeDefinitionInput> body, CustomAttributeDefinitionService definitions, CancellationToken ct) =>
                body.Error ?? (await definitions.CreateAsync(scope.AccountId, body.Input, ct)).ToHttp(d => d.ToJson()))
            .RequireAdministrator().WithName("create-a-custom-attribute-definition")
            .WithSummary("Define a custom attribute of contacts or conversations").Answers<CustomAttributeDefinitionJson>();

        group.MapPatchAndPut("/{id:int}", async (AccountScope scope, int id, Body<CustomAttributeDefinitionInput> body, CustomAttributeDefinitionService definitions, CancellationToken ct) =>
                body.Error ?? (await definitions.UpdateAsync(scope.AccountId, id, body.Input, ct)).ToHttp(d => d.ToJson()),
            "update-a-custom-attribute-definition", "Change a custom attribute definition").RequireAdministrator().Answers<CustomAttributeDefinitionJson>();

        group.MapDelete("/{id:int}", async (AccountScope scope, int id, CustomAttributeDefinitionService definitions, CancellationToken ct) =>
                (await definitions.DeleteAsync(scope.AccountId, id, ct)).ToEmptyHttp(StatusCodes.Status204NoContent))
            .RequireAdministrator().WithName("delete-a-custom-attribute-definition").WithSummary("Delete a custom attribute definition")
            .AnswersEmpty(StatusCodes.Status204NoContent);

        return account;
    }
}
