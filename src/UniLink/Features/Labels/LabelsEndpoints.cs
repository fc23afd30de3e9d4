namespace UniLink.Features.Labels;

public static class LabelsEndpoints
{
    public static RouteGroupBuilder MapLabels(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/labels").WithTags("Labels");

        group.MapGet("/", async (AccountScope scope, LabelService labels, CancellationToken ct) =>
                TypedResults.Json(new PayloadJson<LabelJson>((await labels.ListAsync(scope.AccountId, ct)).Select(l => l.ToJson())), WireJson.Options))
            .WithName("list-labels").WithSummary("The account's labels, by title").Answers<PayloadJson<LabelJson>>();

        group.MapGet("/{label_id:int}", async (AccountScope scope, int label_id, LabelService labels, CancellationToken ct) =>
                (await labels.FindAsync(scope.AccountId, label_id, ct)).OrNotFound(l => l.ToJson()))
            .WithName("show-a-label").WithSummary("One label").Answers<LabelJson>();

        group.MapPost("/", async (AccountScope scope, Body<LabelInput> body, LabelService labels, CancellationToken ct) =>
                body.Error ?? (await labels.CreateAsync(scope.AccountId, body.Input, ct)).ToHttp(l => l.ToJson()))
            .RequireAdministrator().WithName("create-a-label").WithSummary("Add a label to the account").Answers<LabelJson>();

        group.MapPatchAndPut("/{label_id:int}", async (AccountScope scope, int label_id, Body<LabelInput> body, LabelService labels, CancellationToken ct) =>
                body.Error ?? (await labels.UpdateAsync(scope.AccountId, label_id, body.Input, ct)).ToHttp(l => l.ToJson()),
            "update-a-label", "Change a label").RequireAdministrator().Answers<LabelJson>();

        group.MapDelete("/{label_id:int}", async (AccountScope scope, int label_id, LabelService labels, CancellationToken ct) =>
                (await labels.DeleteAsync(scope.AccountId, label_id, ct)).ToEmptyHttp())
            .RequireAdministrator().WithName("delete-a-label").WithSummary("Delete a label").AnswersEmpty();

        return account;
    }
}
