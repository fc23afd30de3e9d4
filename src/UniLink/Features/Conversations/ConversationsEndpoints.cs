using UniLink.Features.Messages;
using UniLink.Features.Teams;
using UniLink.Infrastructure.Caching;

namespace UniLink.Features.Conversations;

public static class ConversationsEndpoints
{
    public const int PageSize = 25;

    private sealed record ShownKey(int AccountId, int DisplayId);

    public static RouteGroupBuilder MapConversations(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/conversations").WithTags("Conversations");
        Inboxes.InboxAccess.OnlyConversationsOfOwnInboxes(group);

        group.MapGet("/", async (AccountScope scope, HttpRequest request, UniLinkDb db, ConversationReader reader, CancellationToken ct) =>
        {
            var (filter, error) = ConversationFilter.From(request.Query, scope);
            if (error is not null) return error;
            filter = await filter!.WithSearchAsync(db, scope.AccountId, ct);
            if (filter.IsPlainFirstPage)
            {
                var (counts, payload) = await reader.FirstPageJsonAsync(filter, scope.AccountId, ct);
                return new WireJsonResult<ConversationListJson>(new(new(counts ?? await filter.CountsAsync(db, scope, ct), payload)), WireJsonContext.Default.ConversationListJson);
            }
            var meta = await filter.CountsAsync(db, scope, ct);
            var filtered = filter.ApplyAssignee(filter.Apply(reader.Rows(scope.AccountId), db, scope.AccountId));
            if (filter.Page > 1 && filter.Query is null)
            {
                var ids = await filter.PageIdsAsync(filtered, PageSize, db, scope.AccountId, ct);
                return new WireJsonResult<ConversationListJson>(new(new(meta, await reader.LaterPageJsonAsync(ids, scope.AccountId, ct))), WireJsonContext.Default.ConversationListJson);
            }
            var ordered = filtered.OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id);
            var page = await filter.FewFoundFirstAsync(ConversationReader.Page(ordered, filter.Page, PageSize),
                (filter.Page - 1) * PageSize, PageSize, meta, db, scope.AccountId, ct);
            return new WireJsonResult<ConversationListJson>(new(new(meta, await reader.PageJsonAsync(page, scope.AccountId, ct))), WireJsonContext.Default.ConversationListJson);
        }).WithName("list-conversations").WithSummary("List conversations").Answers<ConversationListJson>();

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
                return TypedResults.Json(new ErrorJson(problem.Message), WireJson.Options, statusCode: 422);
            }
            var meta = await filter.CountsAsync(db, scope, ct);
            var filtered = filter.Apply(reader.Rows(scope.AccountId), db, scope.AccountId);
            var found = filter.Page > 1 ? await reader.LaterPageJsonAsync(await filter.PageIdsAsync(filtered, PageSize, db, scope.AccountId, ct), scope.AccountId, ct)
                : await reader.PageJsonAsync(ConversationReader.Page(filtered.OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id), 1, PageSize), scope.AccountId, ct);
            return new WireJsonResult<ConversationListDataJson>(new(meta, found), WireJsonContext.Default.ConversationListDataJson);
        }).WithName("filter-of-conversations").WithSummary("Filter of conversations").Answers<ConversationListDataJson>();

        group.MapGet("/meta", async (AccountScope scope, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
        {
            var (filter, error) = ConversationFilter.From(request.Query, scope);
            if (error is not null) return error;
            filter = await filter!.WithSearchAsync(db, scope.AccountId, ct);
            return TypedResults.Json(new ConversationCountsJson(await filter.CountsAsync(db, scope, ct)), WireJson.Options);
        }).WithName("count-conversations-by-assignee").WithSummary("Count conversations by assignee").Answers<ConversationCountsJson>();

        group.MapGet("/{display_id:int}", (AccountScope scope, int display_id, ReadCache cache, HttpContext http, CancellationToken ct) =>
            cache.ResponseAsync(new ShownKey(scope.AccountId, display_id), ConversationReader.ReadsFrom, async c =>
            {
                var reader = http.RequestServices.GetRequiredService<ConversationReader>();
                return await reader.ShowJsonAsync(scope.AccountId, display_id, c);
            }, WireJsonContext.Default.ConversationJson, ct)).WithName("show-a-conversation").WithSummary("Show a conversation").Answers<ConversationJson>();

        group.MapPost("/", ConversationCreation.HandleAsync).AllowBots().WithName("create-a-conversation").WithSummary("Create a conversation").Answers<ConversationJson>();

        group.MapPost("/{display_id:int}/toggle_status", async (AccountScope scope, int display_id, Body<StatusChange> body,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
        {
            if (body.Unreadable is { } bad) return bad;
            if (await reader.FindAsync(scope.AccountId, display_id, ct) is not { } c) return ApiErrors.NotFound();
            return body.Error ?? (await service.ToggleStatusAsync(c, body.Input, await ActorAsync(scope, db, ct), ct)).ToHttp(updated =>
                new StatusToggledJson(new(), new(true, updated.DisplayId, ConversationReader.StatusName(updated.Status),
                    updated.SnoozedUntil is { } su ? UnixTime.Seconds(su) : null)));
        }).AllowBots().WithName("toggle-status-of-a-conversation").WithSummary("Set the status (open, resolved, pending, snoozed until); without one, resolve an open conversation or reopen it").Answers<StatusToggledJson>();

        group.MapPost("/{display_id:int}/toggle_priority", (AccountScope scope, int display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
            OnConversationAsync(scope, display_id, request, reader, async (body, c) =>
            {
                // {"priority": null} clears it, as "none" does; a missing key is a mistake.
                if (!body.Has("priority")) body.Problem("priority", "can't be blank");
                var priority = body.String("priority", 16);
                if (body.Error is { } e) return e;
                return await service.SetPriorityAsync(c, priority, await ActorAsync(scope, db, ct), ct) is WriteResult<Conversation>.Rejected refused
                    ? ApiErrors.Invalid(refused.Message, refused.Field)
                    : TypedResults.Ok();
            }, ct)).AllowBots().WithName("toggle-priority-of-a-conversation").WithSummary("Set the priority (none or null clears it)").AnswersEmpty();

        group.MapPost("/{display_id:int}/assignments", async (AccountScope scope, int display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (await reader.FindAsync(scope.AccountId, display_id, ct) is not { } c) return ApiErrors.NotFound();
            // As the reference: assignee_id (0 or null unassigns) wins over team_id; a body with neither changes nothing.
            if (!body!.Has("assignee_id"))
            {
                if (!body.Has("team_id")) return RenderedNil;
                var teamId = body.Int("team_id");
                if (body.Error is { } te) return te;
                return await service.AssignAsync(c, Assignment.Team(teamId), await ActorAsync(scope, db, ct), ct) switch
                {
                    WriteResult<Conversation>.Done { Value.Team: { } team } => TypedResults.Json(team.ToJson(), WireJson.Options),
                    WriteResult<Conversation>.Rejected refused => ApiErrors.Invalid(refused.Message, refused.Field),
                    _ => RenderedNil,
                };
            }
            var assigneeId = body.Int("assignee_id");
            if (body.Error is { } e) return e;
            return await service.AssignAsync(c, Assignment.Agent(assigneeId), await ActorAsync(scope, db, ct), ct) switch
            {
                WriteResult<Conversation>.Done { Value: { Assignee: not null } assigned } =>
                    TypedResults.Json(await reader.AssigneeJsonAsync(assigned, ct), WireJson.Options),
                WriteResult<Conversation>.Rejected refused => ApiErrors.Invalid(refused.Message, refused.Field),
                _ => RenderedNil,
            };
        }).AllowBots().WithName("assign-a-conversation").WithSummary("Assign an agent (assignee_id; 0 or null unassigns) or else a team (team_id)")
            .AnswersOneOf<AgentJson, TeamJson>(orNull: true);

        // The reference's update takes the priority only; it answers the conversation.
        group.MapPatch("/{display_id:int}", (AccountScope scope, int display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
            OnConversationAsync(scope, display_id, request, reader, async (raw, c) =>
            {
                var body = raw.Unwrap("conversation");
                var priority = body.String("priority", 16);
                if (body.Error is { } e) return e;
                if (body.Has("priority")
                    && await service.SetPriorityAsync(c, priority, await ActorAsync(scope, db, ct), ct) is WriteResult<Conversation>.Rejected refused)
                    return ApiErrors.Invalid(refused.Message, refused.Field);
                var updated = await reader.FindAsync(scope.AccountId, c.DisplayId, ct);
                return TypedResults.Json((await reader.ToJsonAsync([updated!], ct))[0], WireJson.Options);
            }, ct)).AllowBots().WithName("update-a-conversation").WithSummary("Update a conversation (its priority)").Answers<ConversationJson>();

        // Muting resolves the conversation, and the customer's new messages no longer reopen it, until unmuted.
        group.MapPost("/{display_id:int}/mute", (AccountScope scope, int display_id, ConversationReader reader, ConversationService service,
                UniLinkDb db, CancellationToken ct) => SetMutedAsync(scope, display_id, true, reader, service, db, ct))
            .WithName("mute-a-conversation").WithSummary("Mute a conversation: resolved, and new customer messages do not reopen it").AnswersEmpty();
        group.MapPost("/{display_id:int}/unmute", (AccountScope scope, int display_id, ConversationReader reader, ConversationService service,
                UniLinkDb db, CancellationToken ct) => SetMutedAsync(scope, display_id, false, reader, service, db, ct))
            .WithName("unmute-a-conversation").WithSummary("Unmute a conversation").AnswersEmpty();

        // As the reference's ConversationPolicy: only administrators delete a conversation (with its messages and files).
        group.MapDelete("/{display_id:int}", async (AccountScope scope, int display_id, ConversationReader reader, ConversationService service,
            CancellationToken ct) =>
        {
            if (await reader.FindAsync(scope.AccountId, display_id, ct) is not { } c) return ApiErrors.NotFound();
            await service.DeleteAsync(c, ct);
            return TypedResults.Ok();
        }).RequireAdministrator().WithName("delete-a-conversation").WithSummary("Delete a conversation with its messages and files").AnswersEmpty();

        // An agent (or their integration) typing: other dashboards on the conversation show it; webhooks hear of it.
        group.MapPost("/{display_id:int}/toggle_typing_status", (AccountScope scope, int display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
            OnConversationAsync(scope, display_id, request, reader, async (body, c) =>
            {
                var status = body.String("typing_status", 16);
                var isPrivate = body.Bool("is_private") ?? false;
                if (body.Error is { } e) return e;
                if (status is "on" or "off") await service.TypingAsync(c, status == "on", await ActorAsync(scope, db, ct), isPrivate, ct);
                return TypedResults.Ok();
            }, ct)).AllowBots().WithName("set-the-typing-status-of-a-conversation").WithSummary("Set the typing status of a conversation").AnswersEmpty();

        group.MapGet("/{display_id:int}/labels", async (AccountScope scope, int display_id, ConversationReader reader, CancellationToken ct) =>
                await reader.FindAsync(scope.AccountId, display_id, ct) is { } c ? LabelsJson(c) : ApiErrors.NotFound())
            .WithName("list-the-labels-of-a-conversation").WithSummary("List the labels of a conversation").Answers<PayloadJson<string>>();

        group.MapPost("/{display_id:int}/labels", (AccountScope scope, int display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
            OnConversationAsync(scope, display_id, request, reader, async (body, c) =>
            {
                var labels = body.Strings("labels", maxItems: 50);
                if (labels is null && body.Error is null) body.Problem("labels", "must be a list of label names");
                if (body.Error is { } e) return e;
                return (await service.SetLabelsAsync(c, labels!, await ActorAsync(scope, db, ct), ct)).ToHttp(LabelsOf);
            }, ct)).WithName("set-the-labels-of-a-conversation").WithSummary("Set the labels of a conversation").Answers<PayloadJson<string>>();

        group.MapPost("/{display_id:int}/custom_attributes", (AccountScope scope, int display_id, HttpRequest request,
            ConversationReader reader, ConversationService service, UniLinkDb db, CancellationToken ct) =>
            OnConversationAsync(scope, display_id, request, reader, async (body, c) =>
            {
                var attributes = body.Object("custom_attributes");
                if (attributes is null && body.Error is null) body.Problem("custom_attributes", "must be an object");
                if (body.Error is { } e) return e;
                var updated = await service.MergeCustomAttributesAsync(c, attributes!, await ActorAsync(scope, db, ct), ct);
                return TypedResults.Json(new CustomAttributesJson(JsonText.Object(updated.CustomAttributes)), WireJson.Options);
            }, ct)).AllowBots().WithName("set-custom-attributes-of-a-conversation").WithSummary("Set custom attributes of a conversation (null removes a key)").Answers<CustomAttributesJson>();

        group.MapPost("/{display_id:int}/update_last_seen", async (AccountScope scope, int display_id,
            ConversationReader reader, ConversationService service, CancellationToken ct) =>
        {
            if (await reader.FindAsync(scope.AccountId, display_id, ct) is not { } c) return ApiErrors.NotFound();
            if (scope.UserId is { } userId) await service.MarkSeenAsync(c, userId, ct);
            return TypedResults.Ok();
        }).WithName("update-last-seen-of-a-conversation").WithSummary("Mark the conversation seen by the caller").AnswersEmpty();

        return account;
    }

    /// <summary>The reference's <c>render json: nil</c>.</summary>
    private static readonly IResult RenderedNil = TypedResults.Text("null", "application/json");

    private static PayloadJson<string> LabelsOf(Conversation c) => new(c.Labels.Select(l => l.Title).Order(StringComparer.Ordinal));

    /// <summary><c>{"meta": {…counts}}</c>.</summary>
    public sealed record ConversationCountsJson(ConversationCounts Meta);

    /// <summary>The reference's answer to toggle_status: <c>{"meta": {}, "payload": {"success", "conversation_id", "current_status", "snoozed_until"}}</c>.</summary>
    public sealed record StatusToggledJson(StatusToggledJson.NoMeta Meta, StatusToggledJson.Toggled Payload)
    {
        public sealed record NoMeta;

        public sealed record Toggled(bool Success, int ConversationId, string CurrentStatus, long? SnoozedUntil);
    }

    public sealed record CustomAttributesJson(System.Text.Json.Nodes.JsonObject CustomAttributes);

    private static IResult LabelsJson(Conversation c) => TypedResults.Json(LabelsOf(c), WireJson.Options);

    /// <summary>A write on the conversation in the path: an unreadable body's 400 first, then the reference's 404, then <paramref name="write"/>.</summary>
    private static async Task<IResult> OnConversationAsync(AccountScope scope, int displayId, HttpRequest request, ConversationReader reader,
        Func<RequestBody, Conversation, Task<IResult>> write, CancellationToken ct)
    {
        var (body, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        return await reader.FindAsync(scope.AccountId, displayId, ct) is { } c ? await write(body!, c) : ApiErrors.NotFound();
    }

    private static async Task<IResult> SetMutedAsync(AccountScope scope, int displayId, bool muted, ConversationReader reader,
        ConversationService service, UniLinkDb db, CancellationToken ct)
    {
        if (await reader.FindAsync(scope.AccountId, displayId, ct) is not { } c) return ApiErrors.NotFound();
        await service.SetMutedAsync(c, muted, await ActorAsync(scope, db, ct), ct);
        return TypedResults.Ok();
    }

    /// <summary>The caller as named in activity messages.</summary>
    internal static async Task<Actor> ActorAsync(AccountScope scope, UniLinkDb db, CancellationToken ct)
    {
        if (scope.UserId is { } userId)
            return Actor.Agent(userId, await UserNameQuery.For(db)(db, userId, ct));
        if (scope.BotId is { } botId)
            return Actor.Bot(botId, await db.AgentBots.Where(b => b.Id == botId).Select(b => b.Name).FirstAsync(ct));
        return Actor.System;
    }

    // Compiled: every agent's write through the API names its caller (a message POST among them).
    private static readonly CompiledPerModel<Func<UniLinkDb, int, CancellationToken, Task<string>>> UserNameQuery = new(() =>
        EF.CompileAsyncQuery((UniLinkDb db, int userId, CancellationToken ct) => db.Users.Where(u => u.Id == userId).Select(u => u.Name).First()));
}
