using UniLink.Features.Webhooks;

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

        platform.MapPost("/accounts", async (PlatformCaller caller, Body<PlatformAccountInput> body, PlatformService service, CancellationToken ct) =>
                body.Error ?? (await service.CreateAccountAsync(caller.AppId, body.Input.Fields, ct)).ToHttp(a => a.ToPlatformJson()))
            .WithName("platform-create-an-account").WithSummary("Platform API: create an account (the app may then manage it)").Answers<PlatformAccountJson>();

        platform.MapGet("/accounts/{account_id:int}", (PlatformCaller caller, int account_id, PlatformService service, CancellationToken ct) =>
                WhenAllowedAsync(caller, PermissibleTypes.Account, account_id, service, async id =>
                    TypedResults.Json((await service.FindAccountAsync(id, ct))!.ToPlatformJson(), WireJson.Options), ct))
            .WithName("platform-show-an-account").WithSummary("Platform API: an account the app created").Answers<PlatformAccountJson>();

        // An unreadable body is a 400 before the app's right to the record is checked; its fields' problems are a 422 after.
        platform.MapPatchAndPut("/accounts/{account_id:int}", (PlatformCaller caller, int account_id, Body<PlatformAccountInput> body, PlatformService service,
                AccountService accounts, CancellationToken ct) =>
                body.Unreadable is { } bad ? Task.FromResult(bad) : WhenAllowedAsync(caller, PermissibleTypes.Account, account_id, service, async id =>
                    body.Error ?? (await accounts.UpdateAsync(id, body.Input.Fields, ct)).ToHttp(a => a.ToPlatformJson()), ct),
            "platform-update-an-account", "Platform API: change an account the app created (name, locale, domain, support e-mail, status, custom attributes, limits)")
            .Answers<PlatformAccountJson>();

        platform.MapDelete("/accounts/{account_id:int}", (PlatformCaller caller, int account_id, PlatformService service, CancellationToken ct) =>
                WhenAllowedAsync(caller, PermissibleTypes.Account, account_id, service, id => OkAfterAsync(service.DeleteAccountAsync(id, ct)), ct))
            .WithName("platform-delete-an-account").WithSummary("Platform API: delete an account the app created, with everything in it").AnswersEmpty();

        platform.MapGet("/accounts/{account_id:int}/account_users", (PlatformCaller caller, int account_id, PlatformService service, CancellationToken ct) =>
                WhenAllowedAsync(caller, PermissibleTypes.Account, account_id, service, async id =>
                    TypedResults.Json((await service.AccountUsersAsync(id, ct)).Select(m => m.ToPlatformJson()), WireJson.Options), ct))
            .WithName("platform-list-account-users").WithSummary("Platform API: the users of an account the app created, with their roles")
            .Answers<PlatformAccountUserJson[]>();

        platform.MapPost("/accounts/{account_id:int}/account_users", async (PlatformCaller caller, int account_id, HttpRequest request, PlatformService service, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            return await WhenAllowedAsync(caller, PermissibleTypes.Account, account_id, service, async id =>
            {
                var userId = body!.Int("user_id", required: true);
                var role = body.String("role", 32) ?? Roles.Agent;
                if (body.Error is { } e) return e;
                if (!Roles.IsValid(role)) return ApiErrors.Invalid($"Role '{role}' is not one of agent, administrator", "role");
                if (await service.AccessAsync(caller.AppId, PermissibleTypes.User, userId!.Value, ct) != PlatformAccess.Allowed)
                    return ApiErrors.Invalid("User is not a user this platform app created", "user_id");
                return TypedResults.Json((await service.SetAccountUserAsync(id, userId.Value, role, ct)).ToPlatformJson(), WireJson.Options);
            }, ct);
        }).WithName("platform-add-an-account-user").WithSummary("Platform API: add one of the app's users to the account, or change their role")
            .Answers<PlatformAccountUserJson>();

        platform.MapDelete("/accounts/{account_id:int}/account_users", async (PlatformCaller caller, int account_id, HttpRequest request, PlatformService service, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            return await WhenAllowedAsync(caller, PermissibleTypes.Account, account_id, service, async id =>
            {
                var userId = body!.Int("user_id", required: true);
                if (body.Error is { } e) return e;
                await service.RemoveAccountUserAsync(id, userId!.Value, ct);
                return TypedResults.Ok();
            }, ct);
        }).WithName("platform-remove-an-account-user").WithSummary("Platform API: remove a user from an account the app created").AnswersEmpty();

        platform.MapPost("/users", async (PlatformCaller caller, Body<PlatformUserInput> body, PlatformService service, CancellationToken ct) =>
        {
            if (body.Error is { } e) return e;
            var (name, email, displayName, password) = body.Input;
            if (string.IsNullOrWhiteSpace(name)) return ApiErrors.Invalid("Name can't be blank", "name");
            if (!AgentRules.IsEmail(email)) return ApiErrors.Invalid("Email is invalid", "email");
            if (password is not null && AgentRules.PasswordProblem(password) is { } weak) return ApiErrors.Invalid(weak, "password");
            var (outcome, user, token) = await service.CreateUserAsync(caller.AppId,
                new PlatformService.NewUser(name, AgentRules.NormalizeEmail(email!), displayName, password), ct);
            if (outcome == PlatformService.UserOutcome.EmailTaken) return ApiErrors.Invalid("Email has already been taken", "email");
            return TypedResults.Json((await service.FindUserAsync(user!.Id, ct))!.ToPlatformJson(token), WireJson.Options);
        }).WithName("platform-create-a-user").WithSummary("Platform API: create a user (its API token is in the answer, and only there)").Answers<PlatformUserJson>();

        platform.MapGet("/users/{user_id:int}", (PlatformCaller caller, int user_id, PlatformService service, CancellationToken ct) =>
                WhenAllowedAsync(caller, PermissibleTypes.User, user_id, service, async id =>
                    TypedResults.Json((await service.FindUserAsync(id, ct))!.ToPlatformJson(), WireJson.Options), ct))
            .WithName("platform-show-a-user").WithSummary("Platform API: a user the app created, with their accounts").Answers<PlatformUserJson>();

        platform.MapPatchAndPut("/users/{user_id:int}", (PlatformCaller caller, int user_id, Body<PlatformUserInput> body, PlatformService service, CancellationToken ct) =>
                body.Unreadable is { } bad ? Task.FromResult(bad)
                    : WhenAllowedAsync(caller, PermissibleTypes.User, user_id, service, id => UpdateUserAsync(id, body, service, ct), ct),
            "platform-update-a-user", "Platform API: change a user the app created (name, display name, email, password)").Answers<PlatformUserJson>();

        platform.MapDelete("/users/{user_id:int}", (PlatformCaller caller, int user_id, PlatformService service, CancellationToken ct) =>
                WhenAllowedAsync(caller, PermissibleTypes.User, user_id, service, id => OkAfterAsync(service.DeleteUserAsync(id, ct)), ct))
            .WithName("platform-delete-a-user").WithSummary("Platform API: delete a user the app created").AnswersEmpty();

        platform.MapGet("/users/{user_id:int}/login", (PlatformCaller caller, int user_id, HttpRequest request, PlatformService service, CancellationToken ct) =>
                WhenAllowedAsync(caller, PermissibleTypes.User, user_id, service, async id =>
                {
                    var user = (await service.FindUserAsync(id, ct))!;
                    return TypedResults.Json(new PlatformSignInLinkJson(await service.NewSignInLinkAsync(user, PublicOrigin.Of(request), ct)), WireJson.Options);
                }, ct))
            .WithName("platform-sign-in-link-for-a-user").WithSummary("Platform API: a one-time link (5 minutes) that signs the user into the dashboard")
            .Answers<PlatformSignInLinkJson>();

        platform.MapGet("/agent_bots", async (PlatformCaller caller, PlatformService service, CancellationToken ct) =>
            TypedResults.Json((await service.AgentBotsAsync(caller.AppId, ct)).Select(b => b.ToPlatformJson()), WireJson.Options))
            .WithName("platform-list-agent-bots").WithSummary("Platform API: the agent bots the app created").Answers<PlatformAgentBotJson[]>();

        platform.MapPost("/agent_bots", async (PlatformCaller caller, Body<PlatformBotInput> body, PlatformService service, CancellationToken ct) =>
        {
            if (body.Error is { } error) return error;
            var input = body.Input;
            if (input.AccountId is { } accountId && await service.AccessAsync(caller.AppId, PermissibleTypes.Account, accountId, ct) != PlatformAccess.Allowed)
                return ApiErrors.Invalid("Account is not an account this platform app created", "account_id");
            return (await service.CreateAgentBotAsync(caller.AppId, input.AccountId, input.Bot, ct)).ToHttp(issued => issued.Bot.ToPlatformJson(issued.AccessToken));
        }).WithName("platform-create-an-agent-bot").WithSummary("Platform API: create an agent bot (its access token is in the answer, and only there)")
            .Answers<PlatformAgentBotJson>();

        platform.MapGet("/agent_bots/{bot_id:int}", (PlatformCaller caller, int bot_id, PlatformService service, CancellationToken ct) =>
                WhenAllowedAsync(caller, PermissibleTypes.AgentBot, bot_id, service, async id =>
                    TypedResults.Json((await service.FindAgentBotAsync(id, ct))!.ToPlatformJson(), WireJson.Options), ct))
            .WithName("platform-show-an-agent-bot").WithSummary("Platform API: an agent bot the app created").Answers<PlatformAgentBotJson>();

        // Here the app's right to the bot is checked before any problem of the body.
        platform.MapPatchAndPut("/agent_bots/{bot_id:int}", (PlatformCaller caller, int bot_id, Body<PlatformBotInput> body, PlatformService service,
                AgentBots.AgentBotService bots, CancellationToken ct) =>
                WhenAllowedAsync(caller, PermissibleTypes.AgentBot, bot_id, service, async id =>
                {
                    if (body.Error is { } error) return error;
                    var (bot, _, accountIdGiven) = body.Input;
                    if (accountIdGiven) return ApiErrors.Invalid("Account can't be changed", "account_id");
                    return (await bots.UpdateAsync((await service.FindAgentBotAsync(id, ct))!, bot, ct)).ToHttp(updated => updated.ToPlatformJson());
                }, ct),
            "platform-update-an-agent-bot", "Platform API: change an agent bot the app created").Answers<PlatformAgentBotJson>();

        platform.MapDelete("/agent_bots/{bot_id:int}", (PlatformCaller caller, int bot_id, PlatformService service, CancellationToken ct) =>
                WhenAllowedAsync(caller, PermissibleTypes.AgentBot, bot_id, service, id => OkAfterAsync(DeleteAgentBotAsync(service, id, ct)), ct))
            .WithName("platform-delete-an-agent-bot").WithSummary("Platform API: delete an agent bot the app created").AnswersEmpty();
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

    private static async Task<IResult> UpdateUserAsync(int id, Body<PlatformUserInput> body, PlatformService service, CancellationToken ct)
    {
        if (body.Error is { } e) return e;
        var fields = body.Fields!;
        var (name, email, displayName, password) = body.Input;
        if (fields.Has("name") && string.IsNullOrWhiteSpace(name)) return ApiErrors.Invalid("Name can't be blank", "name");
        if (fields.Has("email") && !AgentRules.IsEmail(email)) return ApiErrors.Invalid("Email is invalid", "email");
        if (fields.Has("password") && (password is null || AgentRules.PasswordProblem(password) is not null))
            return ApiErrors.Invalid(password is null ? "Password can't be blank" : AgentRules.PasswordProblem(password)!, "password");
        var normalized = email is null ? null : AgentRules.NormalizeEmail(email);
        if (normalized is not null && await service.EmailTakenAsync(normalized, id, ct)) return ApiErrors.Invalid("Email has already been taken", "email");
        var user = (await service.FindUserAsync(id, ct))!;
        await service.UpdateUserAsync(user, name, displayName, fields.Has("display_name"), normalized, password, ct);
        return TypedResults.Json(user.ToPlatformJson(), WireJson.Options);
    }

    /// <summary>The reference's <c>head :ok</c> once <paramref name="write"/> is done.</summary>
    private static async Task<IResult> OkAfterAsync(Task write)
    {
        await write;
        return TypedResults.Ok();
    }

    private static async Task DeleteAgentBotAsync(PlatformService service, int id, CancellationToken ct) =>
        await service.DeleteAgentBotAsync((await service.FindAgentBotAsync(id, ct))!, ct);

    /// <summary>What <paramref name="act"/> answers when the app may act on the record, else the refusal: 404 unknown, 401 not the app's.</summary>
    private static async Task<IResult> WhenAllowedAsync(PlatformCaller caller, string type, int value, PlatformService service,
        Func<int, Task<IResult>> act, CancellationToken ct) =>
        await service.AccessAsync(caller.AppId, type, value, ct) switch
        {
            PlatformAccess.Allowed => await act(value),
            PlatformAccess.NotPermissible => TypedResults.Json(new ErrorJson(PlatformApps.NonPermissible), WireJson.Options, statusCode: 401),
            _ => ApiErrors.NotFound(),
        };
}

/// <summary>The Platform API's account fields: the account API's, a whole <c>custom_attributes</c>, <c>status</c> and <c>limits</c>.</summary>
public sealed record PlatformAccountInput(AccountInput Fields) : IBodyInput<PlatformAccountInput>
{
    public static string? Wrapper => "account";

    public static PlatformAccountInput From(RequestBody body, bool creating) => new(AccountInput.FromPlatformApi(body, creating));
}

/// <summary>A user's fields; name and e-mail are required to create one.</summary>
public sealed record PlatformUserInput(string? Name, string? Email, string? DisplayName, string? Password) : IBodyInput<PlatformUserInput>
{
    public static string? Wrapper => "user";

    public static PlatformUserInput From(RequestBody body, bool creating) => new(
        body.String("name", 255, required: creating), body.String("email", 255, required: creating), body.String("display_name", 255),
        body.String("password", AgentRules.MaxPasswordLength + 1, trim: false));
}

/// <summary>The account API's agent bot fields, and the account it belongs to.</summary>
public sealed record PlatformBotInput(AgentBots.AgentBotInput Bot, int? AccountId, bool AccountIdGiven) : IBodyInput<PlatformBotInput>
{
    public static string? Wrapper => "agent_bot";

    public static PlatformBotInput From(RequestBody body, bool creating)
    {
        var bot = AgentBots.AgentBotInput.From(body, creating);
        var accountId = body.Json["account_id"] is null ? null : body.Int("account_id");
        return new(bot, accountId, body.Has("account_id"));
    }
}
