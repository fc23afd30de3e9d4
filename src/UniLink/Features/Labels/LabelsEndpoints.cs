using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Labels;

public static class LabelsEndpoints
{
    public static RouteGroupBuilder MapLabels(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/labels").WithTags("Labels");

        group.MapGet("/", async (AccountScope scope, LabelService labels, CancellationToken ct) =>
                TypedResults.Json(new { payload = (await labels.ListAsync(scope.AccountId, ct)).Select(l => l.ToJson()) }, WireJson.Options))
            .WithName("list-labels").WithSummary("The account's labels, by title");

        group.MapGet("/{label_id:int}", async (AccountScope scope, int label_id, LabelService labels, CancellationToken ct) =>
                await labels.FindAsync(scope.AccountId, label_id, ct) is { } l ? TypedResults.Json(l.ToJson(), WireJson.Options) : ApiErrors.NotFound())
            .WithName("show-a-label").WithSummary("One label");

        group.MapPost("/", async (AccountScope scope, HttpRequest request, LabelService labels, CancellationToken ct) =>
        {
            var (raw, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var body = raw!.Unwrap("label");
            var input = LabelInput.From(body, creating: true);
            return body.Error ?? (await labels.CreateAsync(scope.AccountId, input, ct)).ToHttp(l => l.ToJson());
        }).RequireAdministrator().WithName("create-a-label").WithSummary("Add a label to the account");

        group.MapPatch("/{label_id:int}", UpdateAsync).RequireAdministrator().WithName("update-a-label").WithSummary("Change a label");
        group.MapPut("/{label_id:int}", UpdateAsync).RequireAdministrator().WithName("replace-a-label").WithSummary("Change a label (as PATCH)");

        group.MapDelete("/{label_id:int}", async (AccountScope scope, int label_id, LabelService labels, CancellationToken ct) =>
                await labels.DeleteAsync(scope.AccountId, label_id, ct) is WriteResult<Label>.Done ? TypedResults.Ok() : ApiErrors.NotFound())
            .RequireAdministrator().WithName("delete-a-label").WithSummary("Delete a label");

        return account;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, int label_id, HttpRequest request, LabelService labels, CancellationToken ct)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        var body = raw!.Unwrap("label");
        var input = LabelInput.From(body, creating: false);
        return body.Error ?? (await labels.UpdateAsync(scope.AccountId, label_id, input, ct)).ToHttp(l => l.ToJson());
    }
}
