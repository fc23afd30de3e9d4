
namespace UniLink.Features.AgentBots;

public static class AgentBotsEndpoints
{
    /// <summary><c>/api/v1/accounts/{account_id}/agent_bots</c>: members read, administrators change (as the reference).</summary>
    public static RouteGroupBuilder MapAgentBots(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/agent_bots").WithTags("Agent bots");

        group.MapGet("/", async (AccountScope scope, AgentBotService bots, CancellationToken ct) =>
            TypedResults.Json((await bots.ListAsync(scope.AccountId, ct)).Select(b => b.ToJson(scope.IsAdministrator)), WireJson.Options))
            .WithName("list-agent-bots").WithSummary("The account's agent bots").Answers<AgentBotJson[]>();

        group.MapGet("/{bot_id:int}", async (AccountScope scope, int bot_id, AgentBotService bots, CancellationToken ct) =>
            await bots.FindAsync(scope.AccountId, bot_id, ct) is { } bot
                ? TypedResults.Json(bot.ToJson(scope.IsAdministrator), WireJson.Options) : ApiErrors.NotFound())
            .WithName("show-an-agent-bot").WithSummary("One agent bot").Answers<AgentBotJson>();

        group.MapPost("/", async (AccountScope scope, Body<AgentBotInput> body, AgentBotService bots, CancellationToken ct) =>
                body.Error ?? (await bots.CreateAsync(scope.AccountId, body.Input, ct)).ToHttp(issued => issued.Bot.ToJson(administrator: true, issued.AccessToken)))
            .RequireAdministrator().WithName("create-an-agent-bot").WithSummary("Add an agent bot (its access token and secret are in the answer)")
            .Answers<AgentBotJson>();

        // An unknown bot is a 404 before an unreadable body's 400.
        group.MapPatchAndPut("/{bot_id:int}", async (AccountScope scope, int bot_id, Body<AgentBotInput> body, AgentBotService bots, CancellationToken ct) =>
                await bots.FindAsync(scope.AccountId, bot_id, ct) is null ? ApiErrors.NotFound()
                    : body.Error ?? (await bots.UpdateAsync(scope.AccountId, bot_id, body.Input, ct)).ToHttp(bot => bot.ToJson(administrator: true)),
            "update-an-agent-bot", "Change an agent bot").RequireAdministrator().Answers<AgentBotJson>();

        group.MapDelete("/{bot_id:int}", async (AccountScope scope, int bot_id, AgentBotService bots, CancellationToken ct) =>
            await bots.DeleteAsync(scope.AccountId, bot_id, ct) ? TypedResults.Ok() : ApiErrors.NotFound()).RequireAdministrator().WithName("delete-an-agent-bot").WithSummary("Remove an agent bot").AnswersEmpty();

        group.MapPost("/{bot_id:int}/reset_access_token", async (AccountScope scope, int bot_id, AgentBotService bots, CancellationToken ct) =>
            await bots.ResetAccessTokenAsync(scope.AccountId, bot_id, ct) is { } issued
                ? TypedResults.Json(issued.Bot.ToJson(administrator: true, issued.AccessToken), WireJson.Options) : ApiErrors.NotFound())
            .RequireAdministrator().WithName("reset-an-agent-bot-token").WithSummary("Replace the bot's access token (the new one is in the answer, and only there)").Answers<AgentBotJson>();

        group.MapPost("/{bot_id:int}/reset_secret", async (AccountScope scope, int bot_id, AgentBotService bots, CancellationToken ct) =>
            await bots.ResetSecretAsync(scope.AccountId, bot_id, ct) is { } bot
                ? TypedResults.Json(bot.ToJson(administrator: true), WireJson.Options) : ApiErrors.NotFound())
            .RequireAdministrator().WithName("reset-an-agent-bot-secret").WithSummary("Replace the secret that signs the bot's events").Answers<AgentBotJson>();

        return account;
    }

    /// <summary>The bot connected to an inbox: <c>{"agent_bot": …}</c>, null when none is.</summary>
    public sealed record InboxAgentBotJson(AgentBotJson? AgentBot);

    /// <summary><c>POST …/inboxes/{id}/set_agent_bot</c> and <c>GET …/inboxes/{id}/agent_bot</c>.</summary>
    public static RouteGroupBuilder MapInboxAgentBot(this RouteGroupBuilder account)
    {
        account.MapPost("/inboxes/{inbox_id:int}/set_agent_bot", async (AccountScope scope, int inbox_id, HttpRequest request, UniLinkDb db,
            AgentBotService bots, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (!await db.Inboxes.AnyAsync(i => i.Id == inbox_id && i.AccountId == scope.AccountId, ct))
                return ApiErrors.NotFound();
            if (!body!.Has("agent_bot")) return ApiErrors.MissingParam("agent_bot");
            var botId = body.Json["agent_bot"] is null ? null : body.Int("agent_bot");
            if (body.Error is { } e) return e;
            var result = await bots.SetInboxBotAsync(scope.AccountId, inbox_id, botId, ct);
            return result is WriteResult<Inbox>.Done ? TypedResults.Ok() : result.ToHttp(inbox => inbox.Id);
        }).RequireAdministrator().WithTags("Inboxes").WithName("set-an-inbox-agent-bot").WithSummary("Connect an agent bot to the inbox (null disconnects)").AnswersEmpty();

        account.MapGet("/inboxes/{inbox_id:int}/agent_bot", async (AccountScope scope, int inbox_id, UniLinkDb db, CancellationToken ct) =>
        {
            if (await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inbox_id && i.AccountId == scope.AccountId, ct) is not { } inbox)
                return ApiErrors.NotFound();
            var bot = inbox.AgentBotId is { } id ? await db.AgentBots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct) : null;
            return TypedResults.Json(new InboxAgentBotJson(bot?.ToJson(scope.IsAdministrator)), WireJson.Options);
        }).WithTags("Inboxes").WithName("show-an-inbox-agent-bot").WithSummary("The agent bot connected to the inbox").Answers<InboxAgentBotJson>();
        return account;
    }
}
