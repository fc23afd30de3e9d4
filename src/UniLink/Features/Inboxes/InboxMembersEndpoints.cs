using Microsoft.EntityFrameworkCore;
using UniLink.Features.Accounts;
using UniLink.Features.Agents;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

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

        group.MapGet("/{inbox_id}", async (AccountScope scope, string inbox_id, UniLinkDb db, CancellationToken ct) =>
            await FindAsync(db, scope, inbox_id, ct) is { } inbox
                ? Results.Json(new { payload = await AgentsAsync(db, inbox, ct) }, WireJson.Options)
                : ApiErrors.NotFound());

        group.MapPost("/", (AccountScope scope, HttpRequest request, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
            ChangeAsync(scope, null, request, db, members, InboxMembersService.Change.Add, ct)).RequireAdministrator();
        group.MapPatch("/", (AccountScope scope, HttpRequest request, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
            ChangeAsync(scope, null, request, db, members, InboxMembersService.Change.Replace, ct)).RequireAdministrator();
        group.MapDelete("/", (AccountScope scope, HttpRequest request, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
            ChangeAsync(scope, null, request, db, members, InboxMembersService.Change.Remove, ct)).RequireAdministrator();
        group.MapPatch("/{inbox_id}", (AccountScope scope, string inbox_id, HttpRequest request, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
            ChangeAsync(scope, inbox_id, request, db, members, InboxMembersService.Change.Replace, ct)).RequireAdministrator();
        group.MapDelete("/{inbox_id}", (AccountScope scope, string inbox_id, HttpRequest request, UniLinkDb db, InboxMembersService members, CancellationToken ct) =>
            ChangeAsync(scope, inbox_id, request, db, members, InboxMembersService.Change.Remove, ct)).RequireAdministrator();

        return account;
    }

    private static async Task<IResult> ChangeAsync(AccountScope scope, string? pathInboxId, HttpRequest request, UniLinkDb db,
        InboxMembersService members, InboxMembersService.Change change, CancellationToken ct)
    {
        var (body, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        var inboxId = pathInboxId ?? body!.Int("inbox_id")?.ToString();
        var userIds = body!.Ints("user_ids");
        if (body.Error is { } e) return e;
        if (inboxId is null) return ApiErrors.MissingParam("inbox_id");
        if (userIds is null) return ApiErrors.MissingParam("user_ids");
        if (await FindAsync(db, scope, inboxId, ct) is not { } inbox) return ApiErrors.NotFound();
        if (await members.ChangeAsync(inbox, userIds, change, ct) is { } problem) return ApiErrors.Invalid(problem, "user_ids");
        return change == InboxMembersService.Change.Remove
            ? Results.Ok()
            : Results.Json(new { payload = await AgentsAsync(db, inbox, ct) }, WireJson.Options);
    }

    private static async Task<List<AgentJson>> AgentsAsync(UniLinkDb db, Inbox inbox, CancellationToken ct)
    {
        var rows = await db.InboxMembers.AsNoTracking().Where(m => m.InboxId == inbox.Id).OrderBy(m => m.UserId)
            .Select(m => new { m.User, Role = db.AccountUsers.Where(a => a.AccountId == inbox.AccountId && a.UserId == m.UserId).Select(a => a.Role).FirstOrDefault() })
            .ToListAsync(ct);
        return rows.Select(r => r.User.ToAgentJson(inbox.AccountId, r.Role ?? Roles.Agent)).ToList();
    }

    private static async Task<Inbox?> FindAsync(UniLinkDb db, AccountScope scope, string id, CancellationToken ct) =>
        int.TryParse(id, out var inboxId)
            ? await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inboxId && i.AccountId == scope.AccountId, ct)
            : null;
}
