namespace UniLink.Features.CustomFilters;

/// <summary><c>…/custom_filters</c>: every member's own saved filters, as the reference.</summary>
public static class CustomFiltersEndpoints
{
    public static RouteGroupBuilder MapCustomFilters(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/custom_filters").WithTags("Custom filters");

        group.MapGet("/", async (AccountScope scope, string? filter_type, CustomFilterService filters, CancellationToken ct) =>
        {
            var type = string.IsNullOrEmpty(filter_type) ? "conversation" : filter_type;
            if (CustomFilterService.FilterTypeProblem(type) is { } problem) return ApiErrors.Invalid(problem.Message, problem.Field);
            return TypedResults.Json((await filters.ListAsync(scope.AccountId, scope.UserId!.Value, type, ct)).Select(f => f.ToJson()), WireJson.Options);
        }).WithName("list-all-filters").WithSummary("The caller's saved filters of a type (conversation unless filter_type says otherwise)")
            .Answers<CustomFilterJson[]>();

        group.MapGet("/{custom_filter_id:int}", async (AccountScope scope, int custom_filter_id, CustomFilterService filters, CancellationToken ct) =>
                (await filters.FindAsync(scope.AccountId, scope.UserId!.Value, custom_filter_id, ct)).OrNotFound(f => f.ToJson()))
            .WithName("get-details-of-a-single-custom-filter").WithSummary("One of the caller's saved filters").Answers<CustomFilterJson>();

        group.MapPost("/", async (AccountScope scope, Body<CustomFilterInput> body, CustomFilterService filters, CancellationToken ct) =>
                body.ErrorOrMissing ?? (await filters.CreateAsync(scope.AccountId, scope.UserId!.Value, body.Input, ct)).ToHttp(f => f.ToJson()))
            .WithName("create-a-custom-filter").WithSummary("Save a filter for the caller (at most 50 per account)").Answers<CustomFilterJson>();

        group.MapPatchAndPut("/{custom_filter_id:int}", async (AccountScope scope, int custom_filter_id, Body<CustomFilterInput> body, CustomFilterService filters, CancellationToken ct) =>
                body.Error ?? (await filters.UpdateAsync(scope.AccountId, scope.UserId!.Value, custom_filter_id, body.Input, ct)).ToHttp(f => f.ToJson()),
            "update-a-custom-filter", "Change one of the caller's saved filters").Answers<CustomFilterJson>();

        group.MapDelete("/{custom_filter_id:int}", async (AccountScope scope, int custom_filter_id, CustomFilterService filters, CancellationToken ct) =>
                (await filters.DeleteAsync(scope.AccountId, scope.UserId!.Value, custom_filter_id, ct)).ToEmptyHttp(StatusCodes.Status204NoContent))
            .WithName("delete-a-custom-filter").WithSummary("Delete one of the caller's saved filters").AnswersEmpty(StatusCodes.Status204NoContent);

        return account;
    }
}
