using UniLink.Features.Accounts;
using UniLink.Features.Agents;
using UniLink.Features.Webhooks;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Platform;

/// <summary>
/// <c>/platform/api/v1</c>, the reference's Platform API for an installation's operator: accounts, their users, users
/// (with one-time sign-in links) and agent bots. Authenticated by a platform app's token (<see cref="PlatformApps"/>);
/// a record the app did not create is <c>401 {"error":"Non permissible resource"}</c>, an unknown one 404.
/// </summary>
public static class PlatformEndpoints
{
    public static void MapPlatformApi(this IEndpointRouteBuilder app)
    {
        var platform = app.MapGroup("/platform/api/v1").DisableAntiforgery().WithTags("Platform API").Authenticate();

        platform.MapPost("/accounts", async (PlatformCaller caller, HttpRequest request, PlatformService service, CancellationToken ct) =>
        {
            var (raw, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var body = raw!.Unwrap("account");
            var input = AccountInput.FromPlatformApi(body, creating: true);
            return body.Error ?? (await service.CreateAccountAsync(caller.AppId, input, ct)).ToHttp(a => a.ToPlatformJson());
        }).WithName("platform-create-an-account").WithSummary("Platform API: create an account (the app may then manage it)");

        platform.MapGet("/accounts/{account_id:int}", async (PlatformCaller caller, int account_id, PlatformService service, CancellationToken ct) =>
            await AllowedAsync(caller, PermissibleTypes.Account, account_id, service, ct) is var (id, refusal) && refusal is not null ? refusal
                : (IResult)TypedResults.Json((await service.FindAccountAsync(id, ct))!.ToPlatformJson(), WireJson.Options))
            .WithName("platform-show-an-account").WithSummary("Platform API: an account the app created");

        platform.MapPatch("/accounts/{account_id:int}", UpdateAccountAsync)
            .WithName("platform-update-an-account").WithSummary("Platform API: change an account the app created (name, locale, domain, support e-mail, status, custom attributes, limits)");
        platform.MapPut("/accounts/{account_id:int}", UpdateAccountAsync)
            .WithName("platform-replace-an-account").WithSummary("Platform API: change an account the app created (as PATCH)");

        platform.MapDelete("/accounts/{account_id:int}", async (PlatformCaller caller, int account_id, PlatformService service, CancellationToken ct) =>
        {
            var (id, refusal) = await AllowedAsync(caller, PermissibleTypes.Account, account_id, service, ct);
            if (refusal is not null) return refusal;
            await service.DeleteAccountAsync(id, ct);
            return TypedResults.Ok();
        }).WithName("platform-delete-an-account").WithSummary("Platform API: delete an account the app created, with everything in it");

        platform.MapGet("/accounts/{account_id:int}/account_users", async (PlatformCaller caller, int account_id, PlatformService service, CancellationToken ct) =>
            await AllowedAsync(caller, PermissibleTypes.Account, account_id, service, ct) is var (id, refusal) && refusal is not null ? refusal
                : (IResult)TypedResults.Json((await service.AccountUsersAsync(id, ct)).Select(m => m.ToPlatformJson()), WireJson.Options))
            .WithName("platform-list-account-users").WithSummary("Platform API: the users of an account the app created, with their roles");

        platform.MapPost("/accounts/{account_id:int}/account_users", async (PlatformCaller caller, int account_id, HttpRequest request, PlatformService service, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var (id, refusal) = await AllowedAsync(caller, PermissibleTypes.Account, account_id, service, ct);
            if (refusal is not null) return refusal;
            var userId = body!.Int("user_id", required: true);
            var role = body.String("role", 32) ?? Roles.Agent;
            if (body.Error is { } e) return e;
            if (!Roles.IsValid(role)) return ApiErrors.Invalid($"Role '{role}' is not one of agent, administrator", "role");
            if (await service.AccessAsync(caller.AppId, PermissibleTypes.User, userId!.Value, ct) != PlatformAccess.Allowed)
                return ApiErrors.Invalid("User is not a user this platform app created", "user_id");
            return TypedResults.Json((await service.SetAccountUserAsync(id, userId.Value, role, ct)).ToPlatformJson(), WireJson.Options);
        }).WithName("platform-add-an-account-user").WithSummary("Platform API: add one of the app's users to the account, or change their role");

        platform.MapDelete("/accounts/{account_id:int}/account_users", async (PlatformCaller caller, int account_id, HttpRequest request, PlatformService service, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var (id, refusal) = await AllowedAsync(caller, PermissibleTypes.Account, account_id, service, ct);
            if (refusal is not null) return refusal;
            var userId = body!.Int("user_id", required: true);
            if (body.Error is { } e) return e;
            await service.RemoveAccountUserAsync(id, userId!.Value, ct);
            return TypedResults.Ok();
        }).WithName("platform-remove-an-account-user").WithSummary("Platform API: remove a user from an account the app created");

        platform.MapPost("/users", async (PlatformCaller caller, HttpRequest request, PlatformService service, CancellationToken ct) =>
        {
            var (raw, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var body = raw!.Unwrap("user");
            var name = body.String("name", 255, required: true);
            var email = body.String("email", 255, required: true);
            var displayName = body.String("display_name", 255);
            var password = body.String("password", AgentRules.MaxPasswordLength + 1, trim: false);
            if (body.Error is { } e) return e;
            if (string.IsNullOrWhiteSpace(name)) return ApiErrors.Invalid("Name can't be blank", "name");
            if (!AgentRules.IsEmail(email)) return ApiErrors.Invalid("Email is invalid", "email");
            if (password is not null && AgentRules.PasswordProblem(password) is { } weak) return ApiErrors.Invalid(weak, "password");
            var (outcome, user, token) = await service.CreateUserAsync(caller.AppId,
                new PlatformService.NewUser(name, AgentRules.NormalizeEmail(email!), displayName, password), ct);
            if (outcome == PlatformService.UserOutcome.EmailTaken) return ApiErrors.Invalid("Email has already been taken", "email");
            return TypedResults.Json((await service.FindUserAsync(user!.Id, ct))!.ToPlatformJson(token), WireJson.Options);
        }).WithName("platform-create-a-user").WithSummary("Platform API: create a user (its API token is in the answer, and only there)");

        platform.MapGet("/users/{user_id:int}", async (PlatformCaller caller, int user_id, PlatformService service, CancellationToken ct) =>
            await AllowedAsync(caller, PermissibleTypes.User, user_id, service, ct) is var (id, refusal) && refusal is not null ? refusal
                : (IResult)TypedResults.Json((await service.FindUserAsync(id, ct))!.ToPlatformJson(), WireJson.Options))
            .WithName("platform-show-a-user").WithSummary("Platform API: a user the app created, with their accounts");

        platform.MapPatch("/users/{user_id:int}", UpdateUserAsync)
            .WithName("platform-update-a-user").WithSummary("Platform API: change a user the app created (name, display name, email, password)");
        platform.MapPut("/users/{user_id:int}", UpdateUserAsync)
            .WithName("platform-replace-a-user").WithSummary("Platform API: change a user the app created (as PATCH)");

        platform.MapDelete("/users/{user_id:int}", async (PlatformCaller caller, int user_id, PlatformService service, CancellationToken ct) =>
        {
            var (id, refusal) = await AllowedAsync(caller, PermissibleTypes.User, user_id, service, ct);
            if (refusal is not null) return refusal;
            await service.DeleteUserAsync(id, ct);
            return TypedResults.Ok();
        }).WithName("platform-delete-a-user").WithSummary("Platform API: delete a user the app created");

        platform.MapGet("/users/{user_id:int}/login", async (PlatformCaller caller, int user_id, HttpRequest request, PlatformService service, CancellationToken ct) =>
        {
            var (id, refusal) = await AllowedAsync(caller, PermissibleTypes.User, user_id, service, ct);
            if (refusal is not null) return refusal;
            var user = (await service.FindUserAsync(id, ct))!;
            return TypedResults.Json(new PlatformSignInLinkJson(await service.NewSignInLinkAsync(user, PublicOrigin.Of(request), ct)), WireJson.Options);
        }).WithName("platform-sign-in-link-for-a-user").WithSummary("Platform API: a one-time link (5 minutes) that signs the user into the dashboard");

        platform.MapGet("/agent_bots", async (PlatformCaller caller, PlatformService service, CancellationToken ct) =>
            TypedResults.Json((await service.AgentBotsAsync(caller.AppId, ct)).Select(b => b.ToPlatformJson()), WireJson.Options))
            .WithName("platform-list-agent-bots").WithSummary("Platform API: the agent bots the app created");

        platform.MapPost("/agent_bots", async (PlatformCaller caller, HttpRequest request, PlatformService service, CancellationToken ct) =>
        {
            var (input, error) = await ReadBotAsync(request, creating: true);
            if (error is not null) return error;
            if (input!.AccountId is { } accountId && await service.AccessAsync(caller.AppId, PermissibleTypes.Account, accountId, ct) != PlatformAccess.Allowed)
                return ApiErrors.Invalid("Account is not an account this platform app created", "account_id");
            return (await service.CreateAgentBotAsync(caller.AppId, input.AccountId, input.Bot, ct)).ToHttp(issued => issued.Bot.ToPlatformJson(issued.AccessToken));
        }).WithName("platform-create-an-agent-bot").WithSummary("Platform API: create an agent bot (its access token is in the answer, and only there)");

        platform.MapGet("/agent_bots/{bot_id:int}", async (PlatformCaller caller, int bot_id, PlatformService service, CancellationToken ct) =>
            await AllowedAsync(caller, PermissibleTypes.AgentBot, bot_id, service, ct) is var (id, refusal) && refusal is not null ? refusal
                : (IResult)TypedResults.Json((await service.FindAgentBotAsync(id, ct))!.ToPlatformJson(), WireJson.Options))
            .WithName("platform-show-an-agent-bot").WithSummary("Platform API: an agent bot the app created");

        platform.MapPatch("/agent_bots/{bot_id:int}", UpdateAgentBotAsync)
            .WithName("platform-update-an-agent-bot").WithSummary("Platform API: change an agent bot the app created");
        platform.MapPut("/agent_bots/{bot_id:int}", UpdateAgentBotAsync)
            .WithName("platform-replace-an-agent-bot").WithSummary("Platform API: change an agent bot the app created (as PATCH)");

        platform.MapDelete("/agent_bots/{bot_id:int}", async (PlatformCaller caller, int bot_id, PlatformService service, CancellationToken ct) =>
        {
            var (id, refusal) = await AllowedAsync(caller, PermissibleTypes.AgentBot, bot_id, service, ct);
            if (refusal is not null) return refusal;
            await service.DeleteAgentBotAsync((await service.FindAgentBotAsync(id, ct))!, ct);
            return TypedResults.Ok();
        }).WithName("platform-delete-an-agent-bot").WithSummary("Platform API: delete an agent bot the app created");
    }

    /// <summary>
    /// <c>GET /app/login/sso?email=…&amp;sso_auth_token=…</c>, where a <c>login</c> link leads: a valid, unused link signs the
    /// browser in and opens the dashboard; any other goes to the sign-in page.
    /// </summary>
    public static void MapSignInLinks(this IEndpointRouteBuilder app) =>
        app.MapGet("/app/login/sso", async (HttpContext http, PlatformService service, string? email, string? sso_auth_token) =>
        {
            if (email is null || sso_auth_token is not { Length: > 0 and <= 128 } token
                || await service.RedeemSignInLinkAsync(email, token, http.RequestAborted) is not { } user)
                return TypedResults.Redirect("/app/login?sso=expired");
            await SignIn.SignInEndpoints.SignInSessionAsync(http, user);
            return TypedResults.Redirect("/app");
        }).AllowAnonymous().ExcludeFromDescription();

    private static async Task<IResult> UpdateAccountAsync(PlatformCaller caller, int account_id, HttpRequest request, PlatformService service, AccountService accounts, CancellationToken ct)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        var (id, refusal) = await AllowedAsync(caller, PermissibleTypes.Account, account_id, service, ct);
        if (refusal is not null) return refusal;
        var body = raw!.Unwrap("account");
        var input = AccountInput.FromPlatformApi(body, creating: false);
        return body.Error ?? (await accounts.UpdateAsync(id, input, ct)).ToHttp(a => a.ToPlatformJson());
    }

    private static async Task<IResult> UpdateUserAsync(PlatformCaller caller, int user_id, HttpRequest request, PlatformService service, CancellationToken ct)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        var (id, refusal) = await AllowedAsync(caller, PermissibleTypes.User, user_id, service, ct);
        if (refusal is not null) return refusal;
        var body = raw!.Unwrap("user");
        var name = body.String("name", 255);
        var email = body.String("email", 255);
        var displayName = body.String("display_name", 255);
        var password = body.String("password", AgentRules.MaxPasswordLength + 1, trim: false);
        if (body.Error is { } e) return e;
        if (body.Has("name") && string.IsNullOrWhiteSpace(name)) return ApiErrors.Invalid("Name can't be blank", "name");
        if (body.Has("email") && !AgentRules.IsEmail(email)) return ApiErrors.Invalid("Email is invalid", "email");
        if (body.Has("password") && (password is null || AgentRules.PasswordProblem(password) is not null))
            return ApiErrors.Invalid(password is null ? "Password can't be blank" : AgentRules.PasswordProblem(password)!, "password");
        var normalized = email is null ? null : AgentRules.NormalizeEmail(email);
        if (normalized is not null && await service.EmailTakenAsync(normalized, id, ct)) return ApiErrors.Invalid("Email has already been taken", "email");
        var user = (await service.FindUserAsync(id, ct))!;
        await service.UpdateUserAsync(user, name, displayName, body.Has("display_name"), normalized, password, ct);
        return TypedResults.Json(user.ToPlatformJson(), WireJson.Options);
    }

    private static async Task<IResult> UpdateAgentBotAsync(PlatformCaller caller, int bot_id, HttpRequest request, PlatformService service,
        AgentBots.AgentBotService bots, CancellationToken ct)
    {
        var (input, error) = await ReadBotAsync(request, creating: false);
        var (id, refusal) = await AllowedAsync(caller, PermissibleTypes.AgentBot, bot_id, service, ct);
        if (refusal is not null) return refusal;
        if (error is not null) return error;
        if (input!.AccountIdGiven) return ApiErrors.Invalid("Account can't be changed", "account_id");
        return (await bots.UpdateAsync((await service.FindAgentBotAsync(id, ct))!, input.Bot, ct)).ToHttp(bot => bot.ToPlatformJson());
    }

    /// <summary>The record's id when the app may act on it, else the refusal: 404 unknown, 401 not the app's.</summary>
    private static async Task<(int Id, IResult? Refusal)> AllowedAsync(PlatformCaller caller, string type, int value, PlatformService service, CancellationToken ct)
    {
        return await service.AccessAsync(caller.AppId, type, value, ct) switch
        {
            PlatformAccess.Allowed => (value, null),
            PlatformAccess.NotPermissible => (value, TypedResults.Json(new { error = PlatformApps.NonPermissible }, WireJson.Options, statusCode: 401)),
            _ => (value, ApiErrors.NotFound()),
        };
    }

    /// <summary>The account API's agent bot fields, and the account it belongs to.</summary>
    private sealed record BotInput(AgentBots.AgentBotInput Bot, int? AccountId, bool AccountIdGiven);

    private static async Task<(BotInput?, IResult?)> ReadBotAsync(HttpRequest request, bool creating)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return (null, bad);
        var body = raw!.Unwrap("agent_bot");
        var bot = AgentBots.AgentBotInput.From(body, creating);
        var accountId = body.Json["account_id"] is null ? null : body.Int("account_id");
        if (body.Error is { } e) return (null, e);
        return (new BotInput(bot, accountId, body.Has("account_id")), null);
    }
}
