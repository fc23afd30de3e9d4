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
            return TypedResults.Json(list.Select(r => r.ToJson()), WireJson.Options);
        }).WithName("list-canned-responses").WithSummary("The account's canned responses; with ?search=, those holding it, best first");

        group.MapPost("/", async (AccountScope scope, HttpRequest request, CannedResponseService service, CancellationToken ct) =>
        {
            var (raw, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var body = raw!.Unwrap("canned_response");
            if (body.IsEmpty) return ApiErrors.MissingParam("canned_response");
            var input = CannedResponseInput.From(body);
            return body.Error ?? (await service.CreateAsync(scope.AccountId, input, ct)).ToHttp(r => r.ToJson());
        }).WithName("create-a-canned-response").WithSummary("Add a canned response (a short code unique in the account, and its content)");

        group.MapPatch("/{id:int}", UpdateAsync).WithName("update-a-canned-response").WithSummary("Change a canned response");
        group.MapPut("/{id:int}", UpdateAsync).WithName("replace-a-canned-response").WithSummary("Change a canned response (as PATCH)");

        group.MapDelete("/{id:int}", async (AccountScope scope, int id, CannedResponseService service, CancellationToken ct) =>
                await service.DeleteAsync(scope.AccountId, id, ct) is WriteResult<CannedResponse>.Done ? TypedResults.Ok() : ApiErrors.NotFound())
            .WithName("delete-a-canned-response").WithSummary("Delete a canned response");

        return account;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, int id, HttpRequest request, CannedResponseService service, CancellationToken ct)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        var body = raw!.Unwrap("canned_response");
        var input = CannedResponseInput.From(body);
        return body.Error ?? (await service.UpdateAsync(scope.AccountId, id, input, ct)).ToHttp(r => r.ToJson());
    }
}
