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
        }).WithName("list-canned-responses").WithSummary("The account's canned responses; with ?search=, those holding it, best first")
            .Answers<CannedResponseJson[]>();

        group.MapPost("/", async (AccountScope scope, Body<CannedResponseInput> body, CannedResponseService service, CancellationToken ct) =>
                body.ErrorOrMissing ?? (await service.CreateAsync(scope.AccountId, body.Input, ct)).ToHttp(r => r.ToJson()))
            .WithName("create-a-canned-response").WithSummary("Add a canned response (a short code unique in the account, and its content)")
            .Answers<CannedResponseJson>();

        group.MapPatchAndPut("/{id:int}", async (AccountScope scope, int id, Body<CannedResponseInput> body, CannedResponseService service, CancellationToken ct) =>
                body.Error ?? (await service.UpdateAsync(scope.AccountId, id, body.Input, ct)).ToHttp(r => r.ToJson()),
            "update-a-canned-response", "Change a canned response").Answers<CannedResponseJson>();

        group.MapDelete("/{id:int}", async (AccountScope scope, int id, CannedResponseService service, CancellationToken ct) =>
                (await service.DeleteAsync(scope.AccountId, id, ct)).ToEmptyHttp())
            .WithName("delete-a-canned-response").WithSummary("Delete a canned response").AnswersEmpty();

        return account;
    }
}
