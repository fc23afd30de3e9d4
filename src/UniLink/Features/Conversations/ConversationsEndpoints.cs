using Microsoft.EntityFrameworkCore;
using UniLink.Features.Agents;
using UniLink.Features.Messages;
using UniLink.Features.Teams;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Conversations;

public static class ConversationsEndpoints
{
    public const int PageSize = 25;

    private sealed record ShownKey(int AccountId, string DisplayId);

    public static RouteGroupBuilder MapConversations(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/conversations").WithTags("Conversations");
        Inboxes.InboxAccess.OnlyConversationsOfOwnInboxes(group);

        group.MapGet("/", async (AccountScope scope, HttpRequest request, UniLinkDb db, ConversationReader reader, CancellationToken ct) =>
        {
            var (filter, error) = ConversationFilter.From(request.Query, scope);
            if (error is not null) return error;
            filter = await filter!.WithSearchAsync(db, scope.AccountId, ct);
            var filtered = filter.Apply(reader.Query(scope.AccountId), db, scope.AccountId);
            var meta = await filter.CountsAsync(db, scope, ct);
            var page = await filter.ApplyAssignee(filtered)
                .OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id)
                .Skip((filter.Page - 1) * PageSize).Take(PageSize).ToListAsync(ct);
            return Results.Json(new { data = new { meta, payload = await reader.ToJsonAsync(page, ct) } }, WireJson.Options);
        });

        // The reference's filter payload ({"payload": [{attribute_key, filter_operator, values, query_operator}]}): every status
        // unless a condition names one, paged (?page=) and counted as the list.
        group.MapPost("/filter", async (AccountScope scope, HttpRequest request, UniLinkDb db, ConversationReader reader, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var page = body!.Int("page") ?? 1;
            if (body.Error is { } e) return e;
            if (request.Query["page"].ToString() is { Length: > 0 } p && !int.TryParse(p, out page)) page = 0;
            if (page is < 1 or > 100_000) return ApiErrors.Invalid("Page must be a whole number from 1", "page");
            ConversationFilter filter;
            try
            {
                var conditions = Filters.FilterPayload.Read(body.Json);
                filter = ConversationFilter.Default(scope) with
                {
                    Status = null, Page = page,
                    Where = await Filters.RecordFilters.ConversationsAsync(conditions, db, scope.AccountId, DateTime.UtcNow, ct),
                };
            }
            catch (Filters.FilterProblem problem)
            {
                return Results.Json(new { error = problem.Message }, WireJson.Options, statusCode: 422);
            }
            var meta = await filter.CountsAsync(db, scope, ct);
            var found = await filter.Apply(reader.Query(scope.AccountId), db, scope.AccountId)
                .OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id)
                .Skip((filter.Page - 1) * PageSize).Take(PageSize).ToListAsync(ct);
            return Results.Json(new { meta, payload = await reader.ToJsonAsync(found, ct) }, WireJson.Options);
        });

        group.MapGet("/meta", async (AccountScope scope, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
        {
            var (filter, error) = ConversationFilter.From(request.Query, scope);
            if (error is not null) return error;
            filter = await filter!.WithSearchAsync(db, scope.AccountId, ct);
            return Results.Json(new { meta = await filter.CountsAsync(db, scope, ct) }, WireJson.Options);
        });

        group.MapGet("/{display_id}", (AccountScope scope, string display_id, ReadCache cache, HttpContext http, CancellationToken ct) =>
            cache.ResponseAsync(new ShownKey(scope.AccountId, display_id), ConversationReader.ReadsFrom, async c =>
            {
                var reader = http.RequestServices.GetRequiredService<ConversationReader>();
                return await FindAsync(scope, display_id, reader, c) is { } found ? (await reader.ToJsonAsync([found], c))[0] : null;
            }, ct));

        group.MapPost("/", ConversationCreation.HandleAsync).AllowBots();

        group.MapPost("/{display_id}/toggle_status", async (AccountScope scope, string display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (await FindAsync(scope, display_id, reader, ct) is not { } c) return ApiErrors.NotFound();
            var statusName = body!.String("status", 32);
            var snoozedUntil = body.Long("snoozed_until");
            if (body.Error is { } e) return e;
            ConversationStatus status;
            if (statusName is null) status = c.Status == ConversationStatus.Open ? ConversationStatus.Resolved : ConversationStatus.Open;
            else if (ParseStatus(statusName) is { } s) status = s;
            else return ApiErrors.Invalid($"Status '{statusName}' is not one of open, resolved, pending, snoozed", "status");
            DateTime? until = null;
            if (snoozedUntil is { } unix)
            {
                if (unix is < 0 or > 253402300799) return ApiErrors.Invalid("Snoozed until is not a valid unix time", "snoozed_until");
                until = DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime;
            }
            var updated = await service.SetStatusAsync(c, status, until, await ActorAsync(scope, db, ct), ct);
            return Results.Json(new
            {
                meta = new { },
                payload = new
                {
                    success = true,
                    conversation_id = updated.DisplayId,
                    current_status = ConversationReader.StatusName(updated.Status),
                    snoozed_until = updated.SnoozedUntil is { } su ? UnixTime.Seconds(su) : (long?)null,
                },
            }, WireJson.Options);
        }).AllowBots();

        group.MapPost("/{display_id}/toggle_priority", async (AccountScope scope, string display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (await FindAsync(scope, display_id, reader, ct) is not { } c) return ApiErrors.NotFound();
            // {"priority": null} clears it, as "none" does; a missing key is a mistake.
            if (!body!.Has("priority")) body.Problem("priority", "can't be blank");
            var priority = body.String("priority", 16);
            if (body.Error is { } e) return e;
            if (priority is not (null or "none") && !ConversationPriorities.All.Contains(priority))
                return ApiErrors.Invalid($"Priority '{priority}' is not one of none, low, medium, high, urgent", "priority");
            await service.SetPriorityAsync(c, priority is null or "none" ? null : priority, await ActorAsync(scope, db, ct), ct);
            return Results.Ok();
        }).AllowBots();

        group.MapPost("/{display_id}/assignments", async (AccountScope scope, string display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (await FindAsync(scope, display_id, reader, ct) is not { } c) return ApiErrors.NotFound();
            // As the reference: assignee_id (0 or null unassigns) wins over team_id; a body with neither changes nothing.
            if (!body!.Has("assignee_id"))
            {
                if (!body.Has("team_id")) return Results.Text("null", "application/json");
                var teamId = body.Int("team_id");
                if (body.Error is { } te) return te;
                Teams.Team? team = null;
                if (teamId is { } tid and not 0)
                {
                    team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tid && t.AccountId == scope.AccountId, ct);
                    if (team is null) return ApiErrors.Invalid("Team is not a team of this account", "team_id");
                }
                await service.AssignTeamAsync(c, team, await ActorAsync(scope, db, ct), ct);
                return team is null ? Results.Text("null", "application/json") : Results.Json(team.ToJson(), WireJson.Options);
            }
            var assigneeId = body.Int("assignee_id");
            if (body.Error is { } e) return e;
            if (assigneeId == 0) assigneeId = null;
            AccountUserLookup? member = null;
            if (assigneeId is { } id)
            {
                member = await db.AccountUsers.Where(m => m.AccountId == scope.AccountId && m.UserId == id)
                    .Select(m => new AccountUserLookup(m.User, m.Role)).FirstOrDefaultAsync(ct);
                if (member is null) return ApiErrors.Invalid("Assignee is not an agent of this account", "assignee_id");
            }
            await service.AssignAsync(c, assigneeId, await ActorAsync(scope, db, ct), ct);
            return member is null
                ? Results.Text("null", "application/json") // the reference's `render json: nil`
                : Results.Json(member.User.ToAgentJson(scope.AccountId, member.Role), WireJson.Options);
        }).AllowBots();

        // The reference's update takes the priority only; it answers the conversation.
        group.MapPatch("/{display_id}", async (AccountScope scope, string display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
        {
            var (raw, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (await FindAsync(scope, display_id, reader, ct) is not { } c) return ApiErrors.NotFound();
            var body = raw!.Unwrap("conversation");
            var priority = body.String("priority", 16);
            if (body.Error is { } e) return e;
            if (priority is not (null or "none") && !ConversationPriorities.All.Contains(priority))
                return ApiErrors.Invalid($"Priority '{priority}' is not one of none, low, medium, high, urgent", "priority");
            if (body.Has("priority")) await service.SetPriorityAsync(c, priority is null or "none" ? null : priority, await ActorAsync(scope, db, ct), ct);
            var updated = await reader.FindAsync(scope.AccountId, c.DisplayId, ct);
            return Results.Json((await reader.ToJsonAsync([updated!], ct))[0], WireJson.Options);
        }).AllowBots();

        // Muting resolves the conversation, and the customer's new messages no longer reopen it, until unmuted.
        group.MapPost("/{display_id}/mute", async (AccountScope scope, string display_id, ConversationReader reader, ConversationService service,
            UniLinkDb db, CancellationToken ct) =>
        {
            if (await FindAsync(scope, display_id, reader, ct) is not { } c) return ApiErrors.NotFound();
            await service.SetMutedAsync(c, true, await ActorAsync(scope, db, ct), ct);
            return Results.Ok();
        });
        group.MapPost("/{display_id}/unmute", async (AccountScope scope, string display_id, ConversationReader reader, ConversationService service,
            UniLinkDb db, CancellationToken ct) =>
        {
            if (await FindAsync(scope, display_id, reader, ct) is not { } c) return ApiErrors.NotFound();
            await service.SetMutedAsync(c, false, await ActorAsync(scope, db, ct), ct);
            return Results.Ok();
        });

        // As the reference's ConversationPolicy: only administrators delete a conversation (with its messages and files).
        group.MapDelete("/{display_id}", async (AccountScope scope, string display_id, ConversationReader reader, ConversationService service,
            CancellationToken ct) =>
        {
            if (await FindAsync(scope, display_id, reader, ct) is not { } c) return ApiErrors.NotFound();
            await service.DeleteAsync(c, ct);
            return Results.Ok();
        }).RequireAdministrator();

        // An agent (or their integration) typing: other dashboards on the conversation show it; webhooks hear of it.
        group.MapPost("/{display_id}/toggle_typing_status", async (AccountScope scope, string display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (await FindAsync(scope, display_id, reader, ct) is not { } c) return ApiErrors.NotFound();
            var status = body!.String("typing_status", 16);
            var isPrivate = body.Bool("is_private") ?? false;
            if (body.Error is { } e) return e;
            if (status is "on" or "off") await service.TypingAsync(c, status == "on", await ActorAsync(scope, db, ct), isPrivate, ct);
            return Results.Ok();
        }).AllowBots();

        group.MapGet("/{display_id}/labels", async (AccountScope scope, string display_id, ConversationReader reader, CancellationToken ct) =>
            await FindAsync(scope, display_id, reader, ct) is { } c
                ? Results.Json(new { payload = c.Labels.Select(l => l.Title).Order(StringComparer.Ordinal) }, WireJson.Options)
                : ApiErrors.NotFound());

        group.MapPost("/{display_id}/labels", async (AccountScope scope, string display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (await FindAsync(scope, display_id, reader, ct) is not { } c) return ApiErrors.NotFound();
            var labels = body!.Strings("labels", maxItems: 50);
            if (labels is null && body.Error is null) body.Problem("labels", "must be a list of label names");
            if (body.Error is { } e) return e;
            var invalid = labels!.FirstOrDefault(l => !Labels.LabelRules.IsValidTitle(l));
            if (invalid is not null) return ApiErrors.Invalid($"Label '{invalid}' may only contain letters, digits, '-' and '_'", "labels");
            var updated = await service.SetLabelsAsync(c, labels!.Select(l => l.ToLowerInvariant()).Distinct().ToList(), await ActorAsync(scope, db, ct), ct);
            return Results.Json(new { payload = updated.Labels.Select(l => l.Title).Order(StringComparer.Ordinal) }, WireJson.Options);
        });

        group.MapPost("/{display_id}/custom_attributes", async (AccountScope scope, string display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (await FindAsync(scope, display_id, reader, ct) is not { } c) return ApiErrors.NotFound();
            var attributes = body!.Object("custom_attributes");
            if (attributes is null && body.Error is null) body.Problem("custom_attributes", "must be an object");
            if (body.Error is { } e) return e;
            var updated = await service.MergeCustomAttributesAsync(c, attributes!, await ActorAsync(scope, db, ct), ct);
            return Results.Json(new { custom_attributes = JsonText.Object(updated.CustomAttributes) }, WireJson.Options);
        }).AllowBots();

        group.MapPost("/{display_id}/update_last_seen", async (AccountScope scope, string display_id,
            ConversationReader reader, ConversationService service, CancellationToken ct) =>
        {
            if (await FindAsync(scope, display_id, reader, ct) is not { } c) return ApiErrors.NotFound();
            if (scope.UserId is { } userId) await service.MarkSeenAsync(c, userId, ct);
            return Results.Ok();
        });

        return account;
    }

    private sealed record AccountUserLookup(User User, string Role);

    internal static async Task<Conversation?> FindAsync(AccountScope scope, string displayId, ConversationReader reader, CancellationToken ct) =>
        int.TryParse(displayId, out var id) ? await reader.FindAsync(scope.AccountId, id, ct) : null;

    internal static ConversationStatus? ParseStatus(string? name) => name switch
    {
        "open" => ConversationStatus.Open,
        "resolved" => ConversationStatus.Resolved,
        "pending" => ConversationStatus.Pending,
        "snoozed" => ConversationStatus.Snoozed,
        _ => null,
    };

    /// <summary>The caller as named in activity messages.</summary>
    internal static async Task<Actor> ActorAsync(AccountScope scope, UniLinkDb db, CancellationToken ct)
    {
        if (scope.UserId is { } userId)
            return Actor.Agent(userId, await db.Users.Where(u => u.Id == userId).Select(u => u.Name).FirstAsync(ct));
        if (scope.BotId is { } botId)
            return Actor.Bot(botId, await db.AgentBots.Where(b => b.Id == botId).Select(b => b.Name).FirstAsync(ct));
        return Actor.System;
    }
}
