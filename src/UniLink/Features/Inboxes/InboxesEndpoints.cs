using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Inboxes;

public static class InboxesEndpoints
{
    private static readonly Dictionary<string, string> ChannelByName = new()
    {
        ["api"] = ChannelTypes.Api,
        ["web_widget"] = ChannelTypes.WebWidget,
        ["email"] = ChannelTypes.Email,
    };

    public static RouteGroupBuilder MapInboxes(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/inboxes").WithTags("Inboxes");

        // An agent lists and opens only the inboxes they work, as the reference's policy scope (assigned_inboxes).
        group.MapGet("/", async (AccountScope scope, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
        {
            var inboxes = db.Inboxes.AsNoTracking().Where(i => i.AccountId == scope.AccountId);
            if (InboxAccess.LimitedTo(scope) is { } userId) inboxes = inboxes.Where(i => db.InboxMembers.Any(m => m.InboxId == i.Id && m.UserId == userId));
            return Results.Json(new { payload = (await inboxes.OrderBy(i => i.Id).ToListAsync(ct)).Select(i => i.ToJson(scope.IsAdministrator, PublicOrigin.Of(request))) }, WireJson.Options);
        });

        group.MapGet("/{inbox_id}", async (AccountScope scope, string inbox_id, HttpRequest request, UniLinkDb db, InboxAccess access, CancellationToken ct) =>
        {
            if (await FindAsync(db, scope, inbox_id, ct) is not { } inbox) return ApiErrors.NotFound();
            if (!await access.CanSeeInboxAsync(scope, inbox.Id, ct)) return ApiErrors.NotAllowed();
            return Results.Json(inbox.ToJson(scope.IsAdministrator, PublicOrigin.Of(request)), WireJson.Options);
        });

        group.MapPost("/", async (AccountScope scope, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var name = body!.String("name", 255, required: true);
            var channel = body.Json["channel"] is System.Text.Json.Nodes.JsonObject c ? RequestBody.FromObject(c) : null;
            if (channel is null) body.Problem("channel", "must be an object with a type (api, web_widget, email)");
            var type = channel?.String("type", 32, required: true);
            var websiteUrl = channel?.String("website_url", 2048);
            var email = channel?.String("email", 255);
            var webhookUrl = channel?.String("webhook_url", 2048);
            var widget = channel is not null && type == "web_widget" ? WidgetSettings.Read(channel) : null;
            var greetingEnabled = body.Bool("greeting_enabled");
            var greeting = body.String("greeting_message", 2000);
            if (body.Error is { } e) return e;
            if (channel?.Error is { } ce) return ce;
            if (!ChannelByName.TryGetValue(type!, out var channelType))
                return ApiErrors.Invalid($"Channel type '{type}' is not one of api, web_widget, email", "channel");
            if (CheckChannel(email, websiteUrl, webhookUrl) is { } invalid) return invalid;
            var now = UnixTime.Now();
            var inbox = new Inbox
            {
                AccountId = scope.AccountId, Name = name!, ChannelType = channelType, InboxIdentifier = Tokens.New(18),
                WebsiteUrl = websiteUrl, Email = email, WebhookUrl = webhookUrl, CreatedAt = now, UpdatedAt = now,
                Secret = channelType == ChannelTypes.Api ? Tokens.New(24) : null,
                GreetingEnabled = greetingEnabled ?? false, GreetingMessage = greeting,
            };
            widget?.ApplyTo(inbox);
            db.Inboxes.Add(inbox);
            await db.SaveChangesAsync(ct);
            return Results.Json(inbox.ToJson(administrator: true, PublicOrigin.Of(request)), WireJson.Options);
        }).RequireAdministrator();

        group.MapPatch("/{inbox_id}", UpdateAsync).RequireAdministrator();
        group.MapPut("/{inbox_id}", UpdateAsync).RequireAdministrator();

        // UniLink: a new secret for an API inbox's webhook_url signatures; the previous one signs nothing from now on
        // (queued deliveries are signed when they are sent). As the agent bots' reset_secret, the answer is the inbox.
        group.MapPost("/{inbox_id}/reset_secret", async (AccountScope scope, string inbox_id, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
        {
            if (await FindAsync(db, scope, inbox_id, ct, tracked: true) is not { } inbox) return ApiErrors.NotFound();
            if (inbox.ChannelType != ChannelTypes.Api) return ApiErrors.Invalid("Only an API inbox has a signing secret", "channel");
            inbox.Secret = Tokens.New(24);
            inbox.UpdatedAt = UnixTime.Now();
            await db.SaveChangesAsync(ct);
            return Results.Json(inbox.ToJson(administrator: true, PublicOrigin.Of(request)), WireJson.Options);
        }).RequireAdministrator().WithName("reset-an-inbox-secret").WithSummary("Replace the secret that signs an API inbox's webhook_url events");
        return account;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, string inbox_id, HttpRequest request, UniLinkDb db, CancellationToken ct)
    {
        var (body, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        if (await FindAsync(db, scope, inbox_id, ct, tracked: true) is not { } inbox) return ApiErrors.NotFound();
        var name = body!.String("name", 255);
        var greetingEnabled = body.Bool("greeting_enabled");
        var greeting = body.String("greeting_message", 2000);
        var autoAssign = body.Bool("enable_auto_assignment");
        var channel = body.Json["channel"] is System.Text.Json.Nodes.JsonObject c ? RequestBody.FromObject(c) : null;
        var websiteUrl = channel?.String("website_url", 2048);
        var webhookUrl = channel?.String("webhook_url", 2048);
        var widget = channel is not null && inbox.ChannelType == ChannelTypes.WebWidget ? WidgetSettings.Read(channel) : null;
        if (body.Error is { } e) return e;
        if (channel?.Error is { } ce) return ce;
        if (body.Has("name") && string.IsNullOrEmpty(name)) return ApiErrors.Invalid("Name can't be blank", "name");
        if (CheckChannel(null, websiteUrl, webhookUrl) is { } invalid) return invalid;
        if (name is not null) inbox.Name = name;
        if (greetingEnabled is { } g) inbox.GreetingEnabled = g;
        if (body.Has("greeting_message")) inbox.GreetingMessage = greeting;
        if (autoAssign is { } a) inbox.EnableAutoAssignment = a;
        if (websiteUrl is not null) inbox.WebsiteUrl = websiteUrl;
        if (webhookUrl is not null) inbox.WebhookUrl = webhookUrl;
        if (webhookUrl is { Length: > 0 } && inbox.ChannelType == ChannelTypes.Api) inbox.Secret ??= Tokens.New(24);
        widget?.ApplyTo(inbox);
        inbox.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        return Results.Json(inbox.ToJson(administrator: true, PublicOrigin.Of(request)), WireJson.Options);
    }

    /// <summary>An inbox's addresses must be usable: a mail address, and links that are http(s) (never <c>javascript:</c>).</summary>
    private static IResult? CheckChannel(string? email, string? websiteUrl, string? webhookUrl)
    {
        if (email is { Length: > 0 } && !System.Net.Mail.MailAddress.TryCreate(email, out _)) return ApiErrors.Invalid("Email is invalid", "email");
        foreach (var (url, attribute) in new[] { (websiteUrl, "website_url"), (webhookUrl, "webhook_url") })
            if (url is { Length: > 0 } && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                return ApiErrors.Invalid($"{RequestBody.Humanize(attribute)} must be an http or https URL", attribute);
        return null;
    }

    private static async Task<Inbox?> FindAsync(UniLinkDb db, AccountScope scope, string id, CancellationToken ct, bool tracked = false)
    {
        if (!int.TryParse(id, out var inboxId)) return null;
        var query = tracked ? db.Inboxes : db.Inboxes.AsNoTracking();
        return await query.FirstOrDefaultAsync(i => i.Id == inboxId && i.AccountId == scope.AccountId, ct);
    }
}
