using System.Text.Json.Nodes;
using UniLink.Features.Attachments;
using UniLink.Features.Contacts;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Caching;

namespace UniLink.Features.Widget;

/// <summary>
/// The website widget's API, as the reference's <c>/api/v1/widget/…</c>: every call names the inbox by the snippet's
/// <c>?website_token=</c> and the visitor by the <c>X-Auth-Token</c> header that <c>POST …/config</c> hands out. Anonymous
/// by nature; writes are limited per client address and per visitor (<see cref="WidgetRateLimits"/>).
/// </summary>
public static class WidgetEndpoints
{
    public const string AuthHeader = "X-Auth-Token";
    private const int MaxContent = 150_000;

    public static RouteGroupBuilder MapWidgetApi(this RouteGroupBuilder v1)
    {
        var widget = v1.MapGroup("/widget").AllowAnonymous().WithTags("Website widget").RequireRateLimiting(WidgetRateLimits.PerAddress)
            .AddEndpointFilter(WidgetRateLimits.PerVisitorFilter);

        // The reference answers the channel's settings with a visitor token: the one sent when still valid, else a new visitor's.
        widget.MapPost("/config", async (HttpRequest request, WidgetVisitors visitors, CancellationToken ct) =>
        {
            if (await visitors.WebsiteAsync(request.Query["website_token"], ct) is not { } inbox) return ApiErrors.NotFound();
            var token = request.Headers[AuthHeader].ToString();
            var visitor = await visitors.VisitorAsync(inbox, token, ct);
            if (visitor is null) (visitor, token) = await visitors.NewVisitorAsync(inbox, ct);
            return TypedResults.Json(new WidgetStartJson(WidgetConfig.Of(inbox, PublicOrigin.Of(request)) with { AuthToken = token }, WidgetContact(visitor),
                new("UniLink")), WireJson.Options);
        }).WithName("widget-config").WithSummary("The website inbox's widget settings and a visitor token").Answers<WidgetStartJson>();

        widget.MapGet("/contact", (HttpContext context, CancellationToken _) =>
            WithVisitorAsync(context, visitor => Task.FromResult<IResult>(TypedResults.Json(WidgetContact(visitor), WireJson.Options))))
            .WithName("widget-show-contact").WithSummary("The visitor's contact").Answers<WidgetContactJson>();

        widget.MapPatch("/contact", (HttpContext context, WidgetVisitors visitors, CancellationToken ct) => WithVisitorAsync(context, async visitor =>
        {
            var (body, bad) = await RequestBody.ReadAsync(context.Request);
            if (bad is not null) return bad;
            var name = body!.String("name", 255);
            var email = body.String("email", 255);
            var phone = body.String("phone_number", 32);
            var custom = body.Object("custom_attributes");
            if (body.Error is { } e) return e;
            if (CheckEmail(email) is { } invalid) return invalid;
            var contact = await visitors.UpdateContactAsync(visitor, name, email, phone, custom, ct: ct);
            return TypedResults.Json(WidgetContact(visitor with { Contact = contact }), WireJson.Options);
        })).WithName("widget-update-contact").WithSummary("Change what the visitor says about themselves (setCustomAttributes)").Answers<WidgetContactJson>();

        widget.MapPatch("/contact/set_user", (HttpContext context, WidgetVisitors visitors, CancellationToken ct) => WithVisitorAsync(context, async visitor =>
        {
            var (body, bad) = await RequestBody.ReadAsync(context.Request);
            if (bad is not null) return bad;
            var identifier = body!.String("identifier", 255, required: true);
            var identity = new VisitorIdentity(identifier ?? "", body.String("identifier_hash", 128), body.String("email", 255), body.String("name", 255),
                body.String("avatar_url", 2048), body.String("phone_number", 32), body.Object("custom_attributes"));
            if (body.Error is { } e) return e;
            if (CheckEmail(identity.Email) is { } invalid) return invalid;
            if (await visitors.IdentifyAsync(visitor, identity, ct) is not { } identified)
                return TypedResults.Json(new { error = "HMAC failed: Invalid Identifier Hash Provided" }, WireJson.Options, statusCode: StatusCodes.Status401Unauthorized);
            var contact = identified.Visitor.Contact;
            return TypedResults.Json(new WidgetIdentifiedJson(contact.Id, contact.Name, contact.Email, contact.PhoneNumber,
                identified.Visitor.Link.PubsubToken, identified.NewToken), WireJson.Options);
        })).WithName("widget-set-user").WithSummary("Identify the visitor ($chatwoot.setUser), proven by identifier_hash").Answers<WidgetIdentifiedJson>();

        widget.MapPost("/contact/destroy_custom_attributes", (HttpContext context, WidgetVisitors visitors, CancellationToken ct) => WithVisitorAsync(context, async visitor =>
        {
            var (body, bad) = await RequestBody.ReadAsync(context.Request);
            if (bad is not null) return bad;
            var keys = body!.Strings("custom_attributes", 100, 255);
            if (body.Error is { } e) return e;
            if (keys is null) return ApiErrors.Invalid("Custom attributes must be a list of attribute keys", "custom_attributes");
            var contact = await visitors.RemoveCustomAttributesAsync(visitor, keys, ct);
            return TypedResults.Json(WidgetContact(visitor with { Contact = contact }), WireJson.Options);
        })).WithName("widget-delete-contact-custom-attributes").WithSummary("Remove custom attributes of the visitor (deleteCustomAttribute)").Answers<WidgetContactJson>();

        widget.MapGet("/conversations", (HttpContext context, WidgetVisitors visitors, CancellationToken ct) => WithVisitorAsync(context, async visitor =>
            await visitors.LatestConversationAsync(visitor, ct) is { } c
                ? TypedResults.Json(new WidgetConversationRefJson(c.DisplayId, c.InboxId, ConversationReader.StatusName(c.Status)), WireJson.Options)
                : TypedResults.Json(new { }, WireJson.Options)))
            .WithName("widget-show-conversation").WithSummary("The visitor's latest conversation").Answers<WidgetConversationRefJson>();

        widget.MapPost("/conversations", (HttpContext context, WidgetVisitors visitors, ConversationService conversations, UniLinkDb db, ReadCache cache,
            AttachmentLinks links, CancellationToken ct) => WithVisitorAsync(context, async visitor =>
        {
            var (body, bad) = await RequestBody.ReadAsync(context.Request);
            if (bad is not null) return bad;
            var contactBody = body!.Json["contact"] is JsonObject co ? RequestBody.FromObject(co) : null;
            var name = contactBody?.String("name", 255);
            var email = contactBody?.String("email", 255);
            var phone = contactBody?.String("phone_number", 32);
            var contactCustom = contactBody?.Object("custom_attributes");
            var message = body.Json["message"] is JsonObject mo ? RequestBody.FromObject(mo) : null;
            if (message is null) body.Problem("message", "must be an object with the content");
            var content = message?.String("content", MaxContent, required: true, trim: false);
            var timestamp = message?.String("timestamp", 255);
            var referer = message?.String("referer_url", 2048);
            var custom = body.Object("custom_attributes");
            if ((contactBody?.Error ?? body.Error ?? message?.Error) is { } e) return e;
            if (string.IsNullOrWhiteSpace(content)) return ApiErrors.Invalid("Content can't be blank", "content");
            if (CheckEmail(email) is { } invalid) return invalid;
            // As the reference: the pre-chat form's name only names a contact nobody identified yet.
            var anonymous = visitor.Contact.Email is null && visitor.Contact.PhoneNumber is null && visitor.Contact.Identifier is null;
            var contact = await visitors.UpdateContactAsync(visitor, anonymous ? name ?? email?.Split('@')[0] : null, email, phone, contactCustom, ct: ct);
            visitor = visitor with { Contact = contact };
            var created = await conversations.CreateAsync(visitor.Inbox.AccountId, new NewConversation(visitor.Inbox.Id, contact.Id, visitor.Link.Id,
                AdditionalAttributes: WidgetVisitors.AdditionalAttributes(context.Request, referer, timestamp),
                CustomAttributes: custom is null ? null : JsonText.Serialize(custom),
                FirstMessage: new MessageDraft(content, MessageType.Incoming)), visitor.Actor, ct);
            return TypedResults.Json(await WidgetConversationAsync(db, cache, links, created, contact, ct), WireJson.Options);
        })).WithName("widget-create-conversation").WithSummary("Start a conversation with its first message (and the pre-chat form's contact)").Answers<WidgetConversationJson>();

        widget.MapPost("/conversations/toggle_typing", (HttpContext context, WidgetVisitors visitors, ConversationService conversations, CancellationToken ct) =>
            WithConversationAsync(context, visitors, ct, async (visitor, conversation) =>
            {
                var (body, bad) = await RequestBody.ReadAsync(context.Request);
                if (bad is not null) return bad;
                var status = body!.String("typing_status", 8);
                if (body.Error is { } e) return e;
                if (status is "on" or "off") await conversations.TypingAsync(conversation, status == "on", visitor.Actor, isPrivate: false, ct);
                return TypedResults.Ok();
            })).WithName("widget-toggle-typing").WithSummary("The visitor is typing (on) or stopped (off)").AnswersEmpty();

        widget.MapPost("/conversations/toggle_status", (HttpContext context, WidgetVisitors visitors, ConversationService conversations, CancellationToken ct) =>
            WithConversationAsync(context, visitors, ct, async (visitor, conversation) =>
            {
                await conversations.ResolveForContactAsync(conversation, visitor.Actor, ct);
                return TypedResults.Ok();
            })).WithName("widget-toggle-status").WithSummary("The visitor ends their conversation (it is resolved)").AnswersEmpty();

        widget.MapGet("/inbox_members", async (HttpContext context, WidgetVisitors visitors, CancellationToken ct) =>
            await visitors.WebsiteAsync(context.Request.Query["website_token"], ct) is { } inbox
                ? TypedResults.Json(new PayloadJson<WidgetAgent>(await visitors.AgentsAsync(inbox, ct)), WireJson.Options)
                : ApiErrors.NotFound())
            .WithName("widget-list-inbox-members").WithSummary("The inbox's agents with their availability (online, busy, offline)").Answers<PayloadJson<WidgetAgent>>();

        widget.MapPost("/conversations/update_last_seen", (HttpContext context, WidgetVisitors visitors, ConversationService conversations, MessageService messages,
            CancellationToken ct) => WithVisitorAsync(context, async visitor =>
            {
                // As the reference: nothing to mark before the first conversation, and that is fine; what was sent to the visitor is read.
                if (await visitors.LatestConversationAsync(visitor, ct) is { } conversation)
                {
                    var seen = await conversations.MarkContactSeenAsync(conversation, ct);
                    await messages.MarkReadByContactAsync(seen, seen.ContactLastSeenAt ?? UnixTime.Now(), ct);
                }
                return TypedResults.Ok();
            })).WithName("widget-update-last-seen").WithSummary("The visitor has read the conversation").AnswersEmpty();

        widget.MapPost("/conversations/set_custom_attributes", (HttpContext context, WidgetVisitors visitors, ConversationService conversations, CancellationToken ct) =>
            WithConversationAsync(context, visitors, ct, async (visitor, conversation) =>
            {
                var (body, bad) = await RequestBody.ReadAsync(context.Request);
                if (bad is not null) return bad;
                var custom = body!.Object("custom_attributes");
                if (body.Error is { } e) return e;
                if (custom is null) return ApiErrors.Invalid("Custom attributes must be an object", "custom_attributes");
                var changed = await conversations.MergeCustomAttributesAsync(conversation, custom, visitor.Actor, ct);
                return TypedResults.Json(new WidgetConversationAttributesJson(changed.DisplayId, JsonText.Object(changed.CustomAttributes)), WireJson.Options);
            })).WithName("widget-set-conversation-custom-attributes").WithSummary("Set custom attributes of the visitor's conversation").Answers<WidgetConversationAttributesJson>();

        widget.MapPost("/conversations/destroy_custom_attributes", (HttpContext context, WidgetVisitors visitors, ConversationService conversations, CancellationToken ct) =>
            WithConversationAsync(context, visitors, ct, async (visitor, conversation) =>
            {
                var (body, bad) = await RequestBody.ReadAsync(context.Request);
                if (bad is not null) return bad;
                List<string>? keys = body!.Json["custom_attribute"] is JsonValue ? [body.String("custom_attribute", 255) ?? ""] : body.Strings("custom_attribute", 100, 255);
                if (body.Error is { } e) return e;
                if (keys is null) return ApiErrors.Invalid("Custom attribute must name the attribute keys to remove", "custom_attribute");
                var removal = new JsonObject();
                foreach (var key in keys) removal[key] = null;
                var changed = await conversations.MergeCustomAttributesAsync(conversation, removal, visitor.Actor, ct);
                return TypedResults.Json(new WidgetConversationAttributesJson(changed.DisplayId, JsonText.Object(changed.CustomAttributes)), WireJson.Options);
            })).WithName("widget-delete-conversation-custom-attributes").WithSummary("Remove custom attributes of the visitor's conversation").Answers<WidgetConversationAttributesJson>();

        widget.MapGet("/messages", (HttpContext context, string? before, WidgetVisitors visitors, UniLinkDb db, ReadCache cache, AttachmentLinks links,
            CancellationToken ct) => WithVisitorAsync(context, async visitor =>
        {
            int? beforeId = null;
            if (!string.IsNullOrEmpty(before))
            {
                if (!int.TryParse(before, out var b)) return ApiErrors.Invalid("Before must be a message id", "before");
                beforeId = b;
            }
            if (await visitors.LatestConversationAsync(visitor, ct) is not { } conversation) return TypedResults.Json(Array.Empty<object>(), WireJson.Options);
            var page = await PublicMessagesAsync(db, conversation.Id, beforeId, null, ct);
            var senders = await MessageSenders.LoadAsync(db, cache, links, page, ct);
            return TypedResults.Json(page.Select(m => senders.ToJson(m, conversation.DisplayId)), WireJson.Options);
        })).WithName("widget-list-messages").WithSummary("The visitor's conversation, a page of messages (before= for older)").Answers<MessageJson[]>();

        // As the reference: JSON, or a multipart form with message[attachments][] (and message[referer_url], message[timestamp]).
        widget.MapPost("/messages", (HttpContext context, WidgetVisitors visitors, ConversationService conversations, MessageService messages, UniLinkDb db,
            ReadCache cache, AttachmentLinks links, AttachmentStaging staging, CancellationToken ct) => WithVisitorAsync(context, async visitor =>
        {
            var (upload, bad) = await MessageUpload.ReadAsync(context.Request, staging);
            if (bad is not null) return bad;
            using var _ = upload;
            var files = upload!.Files;
            var message = upload.Body.Unwrap("message");
            var input = MessageInput.FromContact(message, files);
            var timestamp = message.String("timestamp", 255);
            var referer = message.String("referer_url", 2048);
            if (message.Error is { } e) return e;
            if (MessageService.Problem(input) is { } problem) return ApiErrors.Invalid(problem.Message, problem.Field);
            var conversation = await visitors.LatestConversationToWriteAsync(visitor, ct)
                ?? await conversations.CreateAsync(visitor.Inbox.AccountId, new NewConversation(visitor.Inbox.Id, visitor.Contact.Id, visitor.Link.Id,
                    AdditionalAttributes: WidgetVisitors.AdditionalAttributes(context.Request, referer, timestamp)), visitor.Actor, ct);
            // The answer from what was just written: the sender is the visitor, the files are the rows this context saved.
            return await (await messages.CreateAsync(conversation, input, visitor.Actor, ct))
                .ToHttpAsync(async created => (await MessageSenders.LoadAsync(db, cache, links, [created],
                    [.. db.Attachments.Local.Where(a => a.MessageId == created.Id)], [visitor.Contact], [], ct)).ToJson(created, conversation.DisplayId));
        })).WithName("widget-create-message").WithSummary("The visitor writes (the first message starts a conversation)").Answers<MessageJson>();

        // As the reference: 204. A request without a valid visitor token is a new visitor (the reference's ensure_contact),
        // whose token comes back in the X-Auth-Token response header.
        widget.MapPost("/events", async (HttpContext context, string? locale, WidgetVisitors visitors, CancellationToken ct) =>
        {
            if (await visitors.WebsiteAsync(context.Request.Query["website_token"], ct) is not { } inbox) return ApiErrors.NotFound();
            var (body, bad) = await RequestBody.ReadAsync(context.Request);
            if (bad is not null) return bad;
            var name = body!.String("name", 255, required: true);
            var info = body.Object("event_info", 8_192);
            if (body.Error is { } e) return e;
            var visitor = await visitors.VisitorAsync(inbox, context.Request.Headers[AuthHeader], ct);
            if (visitor is null)
            {
                (visitor, var token) = await visitors.NewVisitorAsync(inbox, ct);
                context.Response.Headers[AuthHeader] = token;
            }
            await visitors.ReportEventAsync(visitor, new WidgetEventInput(name!, info, locale is { Length: <= 35 } ? locale : null), context.Request, ct);
            return TypedResults.NoContent();
        }).WithName("widget-create-event").WithSummary("The widget reports an event: webwidget.triggered when the visitor opens it").AnswersEmpty(StatusCodes.Status204NoContent);

        widget.MapPost("/labels", (HttpContext context, WidgetVisitors visitors, ConversationService conversations, UniLinkDb db, CancellationToken ct) =>
            WithConversationAsync(context, visitors, ct, async (visitor, conversation) =>
            {
                var (body, bad) = await RequestBody.ReadAsync(context.Request);
                if (bad is not null) return bad;
                var label = body!.String("label", 255, required: true);
                if (body.Error is { } e) return e;
                // Only the account's own labels: a page cannot invent labels agents never made.
                if (!await db.Labels.AnyAsync(l => l.AccountId == visitor.Inbox.AccountId && l.Title == label, ct))
                    return ApiErrors.Invalid($"Label '{label}' is not a label of this account", "label");
                var titles = await db.ConversationLabels.Where(l => l.ConversationId == conversation.Id).Select(l => l.Title).ToListAsync(ct);
                if (!titles.Contains(label!)) await conversations.SetLabelsAsync(conversation, [.. titles, label!], visitor.Actor, ct);
                return TypedResults.Ok();
            })).WithName("widget-add-label").WithSummary("Label the visitor's conversation (setLabel)").AnswersEmpty();

        widget.MapDelete("/labels/{label}", (HttpContext context, string label, WidgetVisitors visitors, ConversationService conversations, UniLinkDb db,
            CancellationToken ct) => WithConversationAsync(context, visitors, ct, async (visitor, conversation) =>
            {
                var titles = await db.ConversationLabels.Where(l => l.ConversationId == conversation.Id).Select(l => l.Title).ToListAsync(ct);
                if (titles.Remove(label)) await conversations.SetLabelsAsync(conversation, titles, visitor.Actor, ct);
                return TypedResults.Ok();
            })).WithName("widget-remove-label").WithSummary("Remove a label from the visitor's conversation (removeLabel)").AnswersEmpty();

        return v1;
    }

    private static IResult? CheckEmail(string? email) =>
        email is { Length: > 0 } && !System.Net.Mail.MailAddress.TryCreate(email, out _) ? ApiErrors.Invalid("Email is invalid", "email") : null;

    private static IResult VisitorUnknown() => TypedResults.Json(
        new { error = "Invalid or missing X-Auth-Token: POST /api/v1/widget/config gives a visitor token" }, WireJson.Options,
        statusCode: StatusCodes.Status401Unauthorized);

    /// <summary>Runs <paramref name="action"/> for the visitor the request names: 404 for an unknown website, 401 for a bad visitor token.</summary>
    private static async Task<IResult> WithVisitorAsync(HttpContext context, Func<Visitor, Task<IResult>> action)
    {
        var visitors = context.RequestServices.GetRequiredService<WidgetVisitors>();
        if (await visitors.WebsiteAsync(context.Request.Query["website_token"], context.RequestAborted) is not { } inbox) return ApiErrors.NotFound();
        if (await visitors.VisitorAsync(inbox, context.Request.Headers[AuthHeader], context.RequestAborted) is not { } visitor) return VisitorUnknown();
        return await action(visitor);
    }

    /// <summary>The same, for the calls on the visitor's conversation: 404 before they have one, as the reference.</summary>
    private static Task<IResult> WithConversationAsync(HttpContext context, WidgetVisitors visitors, CancellationToken ct,
        Func<Visitor, Conversation, Task<IResult>> action) =>
        WithVisitorAsync(context, async visitor =>
            await visitors.LatestConversationAsync(visitor, ct) is { } conversation ? await action(visitor, conversation) : ApiErrors.NotFound());

    private static WidgetContactJson WidgetContact(Visitor v) => new(v.Contact.Id, v.Contact.Name, v.Contact.Email, v.Contact.PhoneNumber, v.Contact.Identifier,
        JsonText.Object(v.Contact.CustomAttributes), v.Link.PubsubToken, v.Link.HmacVerified);

    /// <summary>Public messages only (never private notes), oldest first; a page before <paramref name="beforeId"/> or after <paramref name="afterId"/>.</summary>
    public static async Task<List<Message>> PublicMessagesAsync(UniLinkDb db, int conversationId, int? beforeId, int? afterId, CancellationToken ct)
    {
        var query = db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId && !m.Private);
        if (afterId is { } after) return await query.Where(m => m.Id > after).OrderBy(m => m.Id).Take(100).ToListAsync(ct);
        var page = await query.Where(m => beforeId == null || m.Id < beforeId).OrderByDescending(m => m.Id).Take(20).ToListAsync(ct);
        page.Reverse();
        return page;
    }

    private static async Task<WidgetConversationJson> WidgetConversationAsync(UniLinkDb db, ReadCache cache, AttachmentLinks links, Conversation c, Contact contact, CancellationToken ct)
    {
        var list = await PublicMessagesAsync(db, c.Id, null, null, ct);
        var senders = await MessageSenders.LoadAsync(db, cache, links, list, ct);
        return new(c.DisplayId, c.Uuid.ToString(), c.InboxId, ConversationReader.StatusName(c.Status),
            UnixTime.SecondsOrZero(c.ContactLastSeenAt), UnixTime.SecondsOrZero(c.AgentLastSeenAt), list.Select(m => senders.ToJson(m, c.DisplayId)),
            new(contact.Id, contact.Name, contact.Email, contact.PhoneNumber));
    }

    /// <summary>The widget's start: the website inbox's settings with the visitor's token, the visitor's contact, the brand.</summary>
    public sealed record WidgetStartJson(WidgetConfig WebsiteChannelConfig, WidgetContactJson Contact, WidgetStartJson.Global GlobalConfig)
    {
        public sealed record Global(string BrandName);
    }

    public sealed record WidgetContactJson(int Id, string? Name, string? Email, string? PhoneNumber, string? Identifier,
        System.Text.Json.Nodes.JsonObject CustomAttributes, string PubsubToken, bool HmacVerified);

    /// <summary>The identified visitor; <c>widget_auth_token</c> when they became another contact, whose token the widget keeps.</summary>
    public sealed record WidgetIdentifiedJson(int Id, string? Name, string? Email, string? PhoneNumber, string PubsubToken, string? WidgetAuthToken);

    /// <summary>The visitor's latest conversation (<c>{}</c> before they have one).</summary>
    public sealed record WidgetConversationRefJson(int Id, int InboxId, string Status);

    public sealed record WidgetConversationJson(int Id, string Uuid, int InboxId, string Status, long ContactLastSeenAt, long AgentLastSeenAt,
        IEnumerable<MessageJson> Messages, WidgetConversationJson.ContactRef Contact)
    {
        public sealed record ContactRef(int Id, string? Name, string? Email, string? PhoneNumber);
    }

    public sealed record WidgetConversationAttributesJson(int Id, System.Text.Json.Nodes.JsonObject CustomAttributes);
}
