using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Http;

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
        }).WithName("list-all-filters").WithSummary("The caller's saved filters of a type (conversation unless filter_type says otherwise)");

        group.MapGet("/{custom_filter_id:int}", async (AccountScope scope, int custom_filter_id, CustomFilterService filters, CancellationToken ct) =>
                await filters.FindAsync(scope.AccountId, scope.UserId!.Value, custom_filter_id, ct) is { } f
                    ? TypedResults.Json(f.ToJson(), WireJson.Options) : ApiErrors.NotFound())
            .WithName("get-details-of-a-single-custom-filter").WithSummary("One of the caller's saved filters");

        group.MapPost("/", async (AccountScope scope, HttpRequest request, CustomFilterService filters, CancellationToken ct) =>
        {
            var (raw, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var body = raw!.Unwrap("custom_filter");
            if (body.IsEmpty) return ApiErrors.MissingParam("custom_filter");
            var input = CustomFilterInput.From(body, creating: true);
            return body.Error ?? (await filters.CreateAsync(scope.AccountId, scope.UserId!.Value, input, ct)).ToHttp(f => f.ToJson());
        }).WithName("create-a-custom-filter").WithSummary("Save a filter for the caller (at most 50 per account)");

        group.MapPatch("/{custom_filter_id:int}", UpdateAsync).WithName("update-a-custom-filter").WithSummary("Change one of the caller's saved filters");
        group.MapPut("/{custom_filter_id:int}", UpdateAsync).WithName("replace-a-custom-filter").WithSummary("Change one of the caller's saved filters (as PATCH)");

        group.MapDelete("/{custom_filter_id:int}", async (AccountScope scope, int custom_filter_id, CustomFilterService filters, CancellationToken ct) =>
                await filters.DeleteAsync(scope.AccountId, scope.UserId!.Value, custom_filter_id, ct) is WriteResult<CustomFilter>.Done
                    ? TypedResults.NoContent() : ApiErrors.NotFound())
            .WithName("delete-a-custom-filter").WithSummary("Delete one of the caller's saved filters");

        return account;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, int custom_filter_id, HttpRequest request, CustomFilterService filters, CancellationToken ct)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        var body = raw!.Unwrap("custom_filter");
        var input = CustomFilterInput.From(body, creating: false);
        return body.Error ?? (await filters.UpdateAsync(scope.AccountId, scope.UserId!.Value, custom_filter_id, input, ct)).ToHttp(f => f.ToJson());
    }
}
