using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.CannedResponses;

/// <summary>Every member of the account may list, add, change and delete canned responses, as in the reference.</summary>
public static class CannedResponsesEndpoints
{
    public static RouteGroupBuilder MapCannedResponses(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/canned_responses").WithTags("Canned responses");

        group.MapGet("/", async (AccountScope scope, HttpRequest request, CannedResponseService service, CancellationToken ct) =>
        {
            var search = request.Query["search"].ToString();
            if (search.Contains('\0')) return ApiErrors.Invalid($"Search {RequestBody.NulProblem}", "search");
            var list = await service.ListAsync(scope.AccountId, search.Length > 255 ? search[..255] : search, ct);
            return Results.Json(list.Select(r => r.ToJson()), WireJson.Options);
        }).WithName("list-canned-responses").WithSummary("List canned responses");

        group.MapPost("/", async (AccountScope scope, HttpRequest request, CannedResponseService service, CancellationToken ct) =>
        {
            var (raw, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var body = raw!.Unwrap("canned_response");
            if (body.IsEmpty) return ApiErrors.MissingParam("canned_response");
            return await SaveAsync(scope, null, body, service, ct);
        }).WithName("create-a-canned-response").WithSummary("Create a canned response");

        group.MapPatch("/{id}", UpdateAsync).WithName("update-a-canned-response").WithSummary("Update a canned response");
        group.MapPut("/{id}", UpdateAsync).WithName("replace-a-canned-response").WithSummary("Replace a canned response");

        group.MapDelete("/{id}", async (AccountScope scope, string id, CannedResponseService service, CancellationToken ct) =>
        {
            if (await service.FindAsync(scope.AccountId, id, ct) is not { } response) return ApiErrors.NotFound();
            await service.DeleteAsync(response, ct);
            return Results.Ok();
        }).WithName("delete-a-canned-response").WithSummary("Delete a canned response");

        return account;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, string id, HttpRequest request, CannedResponseService service, CancellationToken ct)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        if (await service.FindAsync(scope.AccountId, id, ct) is not { } response) return ApiErrors.NotFound();
        return await SaveAsync(scope, response, raw!.Unwrap("canned_response"), service, ct);
    }

    private static async Task<IResult> SaveAsync(AccountScope scope, CannedResponse? existing, RequestBody body, CannedResponseService service, CancellationToken ct)
    {
        var shortCode = body.String("short_code", 255);
        var content = body.String("content", CannedResponseService.MaxContent, trim: false);
        if (body.Error is { } e) return e;
        return (await service.SaveAsync(scope.AccountId, existing, shortCode, content, ct)).ToHttp(r => r.ToJson());
    }
}
