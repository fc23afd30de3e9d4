using UniLink.Features.Accounts;
using UniLink.Features.Agents;

namespace UniLink.Features.Inboxes;

/// <summary>
/// The reference's inbox members: <c>GET …/inbox_members/{inbox_id}</c>, <c>POST …/inbox_members</c> (adds),
/// <c>PATCH</c> (makes <c>user_ids</c> the members) and <c>DELETE</c> (removes) with <c>inbox_id</c> in the body, as its
/// routes take them, or in the path, as its API definition writes them.
/// </summary>
public static class InboxMembersEndpoints
{
    public static RouteGroupBuilder MapInboxMembers(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/inbox_members").WithTags("Inboxes");

        group.MapGet("/{inbox_id:int}", async (AccountScope scope, int inbox_id, UniLinkDb db, CancellationToken ct) =>
                await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inbox_id && i.AccountId == scope.AccountId, ct) is { } inbox
                    ? TypedResults.Json(new PayloadJson<AgentJson>(await AgentsAsync(db, inbox, ct)), WireJson.Options)
                    : ApiErrors.NotFound())
            .WithName("list-the-agents-of-an-inbox").WithSummary("List the agents of an inbox").Answers<PayloadJson<AgentJson>>();

        group.MapPost("/", (AccountScope scope, HttpRequest request, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
                ChangeAsync(scope, null, request, db, members, InboxMembersService.Change.Add, ct))
            .RequireAdministrator().WithName("add-agents-to-an-inbox").WithSummary("Add agents to an inbox").Answers<PayloadJson<AgentJson>>();
        group.MapPatch("/", (AccountScope scope, HttpRequest request, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
                ChangeAsync(scope, null, request, db, members, InboxMembersService.Change.Replace, ct))
            .RequireAdministrator().WithName("replace-the-agents-of-an-inbox").WithSummary("Replace the agents of an inbox").Answers<PayloadJson<AgentJson>>();
        group.MapDelete("/", (AccountScope scope, HttpRequest request, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
                ChangeAsync(scope, null, request, db, members, InboxMembersService.Change.Remove, ct))
            .RequireAdministrator().WithName("remove-agents-from-an-inbox").WithSummary("Remove agents from an inbox").AnswersEmpty();
        group.MapPatch("/{inbox_id:int}", (AccountScope scope, int inbox_id, HttpRequest request, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
                ChangeAsync(scope, inbox_id, request, db, members, InboxMembersService.Change.Replace, ct))
            .RequireAdministrator().WithName("replace-the-agents-of-an-inbox-inbox-in-the-path").WithSummary("Replace the agents of an inbox (inbox in the path)").Answers<PayloadJson<AgentJson>>();
        group.MapDelete("/{inbox_id:int}", (AccountScope scope, int inbox_id, HttpRequest request, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
                ChangeAsync(scope, inbox_id, request, db, members, InboxMembersService.Change.Remove, ct))
            .RequireAdministrator().WithName("remove-agents-from-an-inbox-inbox-in-the-path").WithSummary("Remove agents from an inbox (inbox in the path)").AnswersEmpty();

        return account;
    }

    private static async Task<IResult> ChangeAsync(AccountScope scope, int? pathInboxId, HttpRequest request, UniLinkDb db,
        InboxMembersService members, InboxMembersService.Change change, CancellationToken ct)
    {
        var (body, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        var inboxId = pathInboxId ?? body!.Int("inbox_id");
        var userIds = body!.Ints("user_ids");
        if (body.Error is { } e) return e;
        if (inboxId is null) return ApiErrors.MissingParam("inbox_id");
        if (userIds is null) return ApiErrors.MissingParam("user_ids");
        return await members.ChangeAsync(scope.AccountId, inboxId.Value, userIds, change, ct) switch
        {
            WriteResult<Inbox>.Done when change == InboxMembersService.Change.Remove => TypedResults.Ok(),
            WriteResult<Inbox>.Done { Value: var inbox } => TypedResults.Json(new PayloadJson<AgentJson>(await AgentsAsync(db, inbox, ct)), WireJson.Options),
            var refused => refused.ToHttp(i => i),
        };
    }

    private static async Task<List<AgentJson>> AgentsAsync(UniLinkDb db, Inbox inbox, CancellationToken ct)
    {
        var rows = await db.InboxMembers.AsNoTracking().Where(m => m.InboxId == inbox.Id).OrderBy(m => m.UserId)
            .Select(m => new { m.User, Role = db.AccountUsers.Where(a => a.AccountId == inbox.AccountId && a.UserId == m.UserId).Select(a => a.Role).FirstOrDefault() })
            .ToListAsync(ct);
        return rows.Select(r => r.User.ToAgentJson(inbox.AccountId, r.Role ?? Roles.Agent)).ToList();
    }
}
