namespace UniLink.Features.Inboxes;

public static class InboxesEndpoints
{
    public static RouteGroupBuilder MapInboxes(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/inboxes").WithTags("Inboxes");

        // An agent lists and opens only the inboxes they work, as the reference's policy scope (assigned_inboxes).
        group.MapGet("/", async (AccountScope scope, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
        {
            var inboxes = db.Inboxes.AsNoTracking().Where(i => i.AccountId == scope.AccountId);
            if (InboxAccess.LimitedTo(scope) is { } userId) inboxes = inboxes.Where(i => db.InboxMembers.Any(m => m.InboxId == i.Id && m.UserId == userId));
            return TypedResults.Json(new PayloadJson<InboxJson>((await inboxes.OrderBy(i => i.Id).ToListAsync(ct)).Select(i => i.ToJson(scope.IsAdministrator, PublicOrigin.Of(request)))), WireJson.Options);
        }).WithName("list-inboxes").WithSummary("List inboxes (an agent: the inboxes they work)").Answers<PayloadJson<InboxJson>>();

        group.MapGet("/{inbox_id:int}", async (AccountScope scope, int inbox_id, HttpRequest request, UniLinkDb db, InboxAccess access, CancellationToken ct) =>
        {
            if (await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inbox_id && i.AccountId == scope.AccountId, ct) is not { } inbox)
                return ApiErrors.NotFound();
            if (!await access.CanSeeInboxAsync(scope, inbox.Id, ct)) return ApiErrors.NotAllowed();
            return TypedResults.Json(inbox.ToJson(scope.IsAdministrator, PublicOrigin.Of(request)), WireJson.Options);
        }).WithName("show-an-inbox").WithSummary("Show an inbox").Answers<InboxJson>();

        group.MapPost("/", async (AccountScope scope, Body<InboxInput> body, HttpRequest request, InboxService inboxes, CancellationToken ct) =>
                body.Error ?? (await inboxes.CreateAsync(scope.AccountId, body.Input, ct)).ToHttp(i => i.ToJson(administrator: true, PublicOrigin.Of(request))))
            .RequireAdministrator().WithName("create-an-inbox").WithSummary("Create an inbox (channel.type api, web_widget or email)").Answers<InboxJson>();

        group.MapPatchAndPut("/{inbox_id:int}", async (AccountScope scope, int inbox_id, Body<InboxInput> body, HttpRequest request, InboxService inboxes, CancellationToken ct) =>
                body.Error ?? (await inboxes.UpdateAsync(scope.AccountId, inbox_id, body.Input, ct)).ToHttp(i => i.ToJson(administrator: true, PublicOrigin.Of(request))),
            "update-an-inbox", "Update an inbox").RequireAdministrator().Answers<InboxJson>();

        // As the agent bots' reset_secret, the answer is the inbox; queued deliveries are signed when they are sent.
        group.MapPost("/{inbox_id:int}/reset_secret", async (AccountScope scope, int inbox_id, HttpRequest request, InboxService inboxes, CancellationToken ct) =>
                (await inboxes.ResetSecretAsync(scope.AccountId, inbox_id, ct)).ToHttp(i => i.ToJson(administrator: true, PublicOrigin.Of(request))))
            .RequireAdministrator().WithName("reset-an-inbox-secret").WithSummary("Replace the secret that signs an API inbox's webhook_url events")
            .Answers<InboxJson>();
        return account;
    }
}
