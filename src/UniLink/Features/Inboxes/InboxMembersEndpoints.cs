
namespace UniLink.Features.Inboxes;

/// <summary>
/// The reference's inbox members: <c>GET …/inbox_members/{inbox_id}</c>, <c>POST …/inbox_members</c> (adds),
/// <c>PATCH</c> (makes <c>user_ids</c> the members) and <c>DELETE</c> (removes) with <c>inbox_id</c> in the body, as its
/// routes take them, or in the path, as its API definition writes them.
/// </summary>
public static class InboxMembersEndpoints
{
    /// <summary>A members write with the inbox in the body (<c>inbox_id</c>, read before <c>user_ids</c>).</summary>
    public sealed record InboxMembersInput(int? InboxId, IReadOnlyList<int>? UserIds) : IBodyInput<InboxMembersInput>
    {
        public static string? Wrapper => null;

        public static InboxMembersInput From(RequestBody body, bool creating) => new(body.Int("inbox_id"), MemberIdsInput.From(body, creating).UserIds);
    }

    public static RouteGroupBuilder MapInboxMembers(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/inbox_members").WithTags("Inboxes");

        group.MapGet("/{inbox_id:int}", async (AccountScope scope, int inbox_id, UniLinkDb db, CancellationToken ct) =>
                await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inbox_id && i.AccountId == scope.AccountId, ct) is { } inbox
                    ? TypedResults.Json(new PayloadJson<AgentJson>(await AgentsAsync(db, inbox, ct)), WireJson.Options)
                    : ApiErrors.NotFound())
            .WithName("list-the-agents-of-an-inbox").WithSummary("List the agents of an inbox").Answers<PayloadJson<AgentJson>>();

        group.MapPost("/", (AccountScope scope, Body<InboxMembersInput> body, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
                ChangeAsync(scope, body.Input?.InboxId, body.Input?.UserIds, body.Error, db, members, MembersChange.Add, ct))
            .RequireAdministrator().WithName("add-agents-to-an-inbox").WithSummary("Add agents to an inbox").Answers<PayloadJson<AgentJson>>();
        group.MapPatch("/", (AccountScope scope, Body<InboxMembersInput> body, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
                ChangeAsync(scope, body.Input?.InboxId, body.Input?.UserIds, body.Error, db, members, MembersChange.Replace, ct))
            .RequireAdministrator().WithName("replace-the-agents-of-an-inbox").WithSummary("Replace the agents of an inbox").Answers<PayloadJson<AgentJson>>();
        group.MapDelete("/", (AccountScope scope, Body<InboxMembersInput> body, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
                ChangeAsync(scope, body.Input?.InboxId, body.Input?.UserIds, body.Error, db, members, MembersChange.Remove, ct))
            .RequireAdministrator().WithName("remove-agents-from-an-inbox").WithSummary("Remove agents from an inbox").AnswersEmpty();
        group.MapPatch("/{inbox_id:int}", (AccountScope scope, int inbox_id, Body<MemberIdsInput> body, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
                ChangeAsync(scope, inbox_id, body.Input?.UserIds, body.Error, db, members, MembersChange.Replace, ct))
            .RequireAdministrator().WithName("replace-the-agents-of-an-inbox-inbox-in-the-path").WithSummary("Replace the agents of an inbox (inbox in the path)").Answers<PayloadJson<AgentJson>>();
        group.MapDelete("/{inbox_id:int}", (AccountScope scope, int inbox_id, Body<MemberIdsInput> body, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
                ChangeAsync(scope, inbox_id, body.Input?.UserIds, body.Error, db, members, MembersChange.Remove, ct))
            .RequireAdministrator().WithName("remove-agents-from-an-inbox-inbox-in-the-path").WithSummary("Remove agents from an inbox (inbox in the path)").AnswersEmpty();

        return account;
    }

    /// <summary>The body's problems first, then the reference's "param is missing" for the inbox, then for the agents.</summary>
    private static async Task<IResult> ChangeAsync(AccountScope scope, int? inboxId, IReadOnlyList<int>? userIds, IResult? error, UniLinkDb db,
        InboxMembersService members, MembersChange change, CancellationToken ct) =>
        error ?? (inboxId is null ? ApiErrors.MissingParam("inbox_id")
            : userIds is null ? ApiErrors.MissingParam("user_ids")
            : await (await members.ChangeAsync(scope.AccountId, inboxId.Value, userIds, change, ct))
                .ToMembersHttpAsync(change, async inbox => new PayloadJson<AgentJson>(await AgentsAsync(db, inbox, ct))));

    private static async Task<List<AgentJson>> AgentsAsync(UniLinkDb db, Inbox inbox, CancellationToken ct)
    {
        var rows = await db.InboxMembers.AsNoTracking().Where(m => m.InboxId == inbox.Id).OrderBy(m => m.UserId)
            .Select(m => new { m.User, Role = db.AccountUsers.Where(a => a.AccountId == inbox.AccountId && a.UserId == m.UserId).Select(a => a.Role).FirstOrDefault() })
            .ToListAsync(ct);
        return rows.Select(r => r.User.ToAgentJson(inbox.AccountId, r.Role ?? Roles.Agent)).ToList();
    }
}
