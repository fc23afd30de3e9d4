using System.Text.Json.Nodes;
using UniLink.Features.Attachments;
using UniLink.Features.Contacts;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Caching;

namespace UniLink.Features.Public;

/// <summary>
/// The client API of API inboxes (<c>/public/api/v1/inboxes/{inbox_identifier}/…</c>): a customer-side
/// integration creates its contact, opens conversations and writes messages. The contact identifier is the
/// contact's <c>source_id</c> in that inbox, which only the integration knows.
/// </summary>
public static class PublicApiEndpoints
{
    public static IEndpointRouteBuilder MapPublicApi(this IEndpointRouteBuilder app)
    {
        var inbox = app.MapGroup("/public/api/v1/inboxes/{inbox_identifier}").AllowAnonymous().DisableAntiforgery().WithTags("Public client API")
            .RequireRateLimiting(RateLimits.PublicApi);

        inbox.MapPost("/contacts", async (string inbox_identifier, HttpRequest request, UniLinkDb db, ContactService contacts, CancellationToken ct) =>
        {
            if (await InboxAsync(db, inbox_identifier, ct) is not { } box) return ApiErrors.NotFound();
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var name = body!.String("name", 255);
            var email = body.String("email", 255)?.ToLowerInvariant();
            var phone = body.String("phone_number", 32);
            var identifier = body.String("identifier", 255);
            var identifierHash = body.String("identifier_hash", 128);
            var custom = body.Object("custom_attributes");
            if (body.Error is { } e) return e;
            if (email is { Length: > 0 } && !System.Net.Mail.MailAddress.TryCreate(email, out _)) return ApiErrors.Invalid("Email is invalid", "email");
            if (email is "") email = null;
            if (identifier is "") identifier = null;
            // Only a caller who proves the identifier (the customer's server signs it with the inbox's hmac_token) reaches an
            // existing contact. Anyone else gets a contact of their own: claiming someone's e-mail takes nothing over.
            var verified = identifier is not null && IdentifierHash.Matches(box.HmacToken, identifier, identifierHash);
            var contact = verified ? await db.Contacts.FirstOrDefaultAsync(c => c.AccountId == box.AccountId && c.Identifier == identifier, ct) : null;
            if (contact is null)
            {
                var claims = await contacts.SortClaimsAsync(box.AccountId, null, email, identifier, ct);
                var aside = new JsonObject();
                claims.KeepAsideIn(aside);
                contact = await contacts.CreateAsync(new Contact
                {
                    AccountId = box.AccountId, Name = name, Email = claims.Email, PhoneNumber = phone, Identifier = claims.Identifier,
                    AdditionalAttributes = JsonText.Serialize(aside),
                    CustomAttributes = custom is null ? "{}" : JsonText.Serialize(custom),
                }, ct);
            }
            var link = new ContactInbox { ContactId = contact.Id, InboxId = box.Id, SourceId = Guid.NewGuid().ToString(), CreatedAt = UnixTime.Now() };
            db.ContactInboxes.Add(link);
            await db.SaveChangesAsync(ct);
            return TypedResults.Json(PublicContact(contact, link), WireJson.Options);
        })
            .WithName("public-api-create-a-contact").WithSummary("Public API: Create a contact (reaches an existing one only with a valid identifier_hash)").Answers<PublicContactJson>();

        inbox.MapGet("/contacts/{contact_identifier}", async (string inbox_identifier, string contact_identifier, UniLinkDb db, CancellationToken ct) =>
            await LinkAsync(db, inbox_identifier, contact_identifier, ct) is { } link
                ? TypedResults.Json(PublicContact(link.Contact, link), WireJson.Options)
                : ApiErrors.NotFound())
            .WithName("public-api-show-a-contact").WithSummary("Public API: Show a contact").Answers<PublicContactJson>();

        var updateContact = async (string inbox_identifier, string contact_identifier,
            HttpRequest request, UniLinkDb db, ContactService contacts, CancellationToken ct) =>
        {
            if (await LinkAsync(db, inbox_identifier, contact_identifier, ct) is not { } link) return ApiErrors.NotFound();
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            // Only what the reference lets a customer-side integration change (never `blocked` or the agents' attributes),
            // and, as there, a null leaves the stored value alone.
            var input = ContactInput.From(body!, PublicContactFields, nullKeeps: true);
            return body!.Error ?? (await contacts.UpdateAsync(link.Contact.AccountId, link.ContactId, input, ct)).ToHttp(c => c.ToJson());
        };
        inbox.MapPatchAndPut("/contacts/{contact_identifier}", updateContact, "public-api-update-a-contact",
            "Public API: Update a contact (name, email, phone number, identifier, custom attributes; null keeps a value)").Answers<ContactJson>();

        inbox.MapPost("/contacts/{contact_identifier}/conversations", async (string inbox_identifier, string contact_identifier, HttpRequest request,
            UniLinkDb db, ConversationService conversations, ReadCache cache, AttachmentLinks links, CancellationToken ct) =>
        {
            if (await LinkAsync(db, inbox_identifier, contact_identifier, ct) is not { } link) return ApiErrors.NotFound();
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var custom = body!.Object("custom_attributes");
            if (body.Error is { } e) return e;
            var created = await conversations.CreateAsync(link.Inbox.AccountId, new NewConversation(link.InboxId, link.ContactId, link.Id,
                CustomAttributes: custom is null ? null : JsonText.Serialize(custom)), Actor.Contact(link.Contact), ct);
            return TypedResults.Json(await PublicConversationAsync(db, cache, links, created, link.Contact, ct), WireJson.Options);
        })
            .WithName("public-api-create-a-conversation-for-a-contact").WithSummary("Public API: Create a conversation for a contact").Answers<PublicConversationJson>();

        inbox.MapGet("/contacts/{contact_identifier}/conversations", async (string inbox_identifier, string contact_identifier, UniLinkDb db, ReadCache cache,
            AttachmentLinks links, CancellationToken ct) =>
        {
            if (await LinkAsync(db, inbox_identifier, contact_identifier, ct) is not { } link) return ApiErrors.NotFound();
            var list = await db.Conversations.AsNoTracking().Where(c => c.ContactInboxId == link.Id).OrderBy(c => c.Id).Take(100).ToListAsync(ct);
            var result = new List<PublicConversationJson>();
            foreach (var c in list) result.Add(await PublicConversationAsync(db, cache, links, c, link.Contact, ct));
            return TypedResults.Json(result, WireJson.Options);
        })
            .WithName("public-api-list-conversations-of-a-contact").WithSummary("Public API: List conversations of a contact").Answers<PublicConversationJson[]>();

        inbox.MapGet("/", async (string inbox_identifier, UniLinkDb db, CancellationToken ct) =>
            await InboxAsync(db, inbox_identifier, ct) is { } box
                ? TypedResults.Json(new PublicInboxJson(box.InboxIdentifier, false, box.Name, "UTC", [], false, false, box.GreetingEnabled, box.GreetingMessage),
                    WireJson.Options)
                : ApiErrors.NotFound())
            .WithName("public-api-show-the-inbox").WithSummary("Public API: Show the inbox").Answers<PublicInboxJson>();

        var conversation = inbox.MapGroup("/contacts/{contact_identifier}/conversations/{conversation_id}");
        conversation.MapGet("/", async (string inbox_identifier, string contact_identifier, string conversation_id, UniLinkDb db, ReadCache cache,
            AttachmentLinks links, CancellationToken ct) =>
            await ConversationAsync(db, inbox_identifier, contact_identifier, conversation_id, ct) is { } found
                ? TypedResults.Json(await PublicConversationAsync(db, cache, links, found.Conversation, found.Link.Contact, ct), WireJson.Options)
                : ApiErrors.NotFound())
            .WithName("public-api-show-a-conversation-of-a-contact").WithSummary("Public API: Show a conversation of a contact").Answers<PublicConversationJson>();

        // The contact resolves their conversation (never reopens it: an already resolved one is answered as it is).
        conversation.MapPost("/toggle_status", async (string inbox_identifier, string contact_identifier, string conversation_id, UniLinkDb db,
            ConversationService conversations, ReadCache cache, AttachmentLinks links, CancellationToken ct) =>
        {
            if (await ConversationAsync(db, inbox_identifier, contact_identifier, conversation_id, ct) is not { } found) return ApiErrors.NotFound();
            var c = await conversations.ResolveForContactAsync(found.Conversation, Actor.Contact(found.Link.Contact), ct);
            return TypedResults.Json(await PublicConversationAsync(db, cache, links, c, found.Link.Contact, ct), WireJson.Options);
        })
            .WithName("public-api-resolve-a-conversation").WithSummary("Public API: Resolve a conversation").Answers<PublicConversationJson>();

        conversation.MapPost("/toggle_typing", async (string inbox_identifier, string contact_identifier, string conversation_id, HttpRequest request,
            UniLinkDb db, ConversationService conversations, CancellationToken ct) =>
        {
            if (await ConversationAsync(db, inbox_identifier, contact_identifier, conversation_id, ct) is not { } found) return ApiErrors.NotFound();
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var status = body!.String("typing_status", 8);
            if (body.Error is { } e) return e;
            // As the reference: anything but on/off is accepted and does nothing.
            if (status is "on" or "off")
                await conversations.TypingAsync(found.Conversation, status == "on",
                    Actor.Contact(found.Link.Contact), isPrivate: false, ct);
            return TypedResults.Ok();
        })
            .WithName("public-api-set-the-contact-s-typing-status").WithSummary("Public API: Set the contact's typing status").AnswersEmpty();

        conversation.MapPost("/update_last_seen", async (string inbox_identifier, string contact_identifier, string conversation_id, UniLinkDb db,
            ConversationService conversations, CancellationToken ct) =>
        {
            if (await ConversationAsync(db, inbox_identifier, contact_identifier, conversation_id, ct) is not { } found) return ApiErrors.NotFound();
            await conversations.MarkContactSeenAsync(found.Conversation, ct);
            return TypedResults.Ok();
        })
            .WithName("public-api-mark-a-conversation-seen-by-the-contact").WithSummary("Public API: Mark a conversation seen by the contact").AnswersEmpty();

        var messages = inbox.MapGroup("/contacts/{contact_identifier}/conversations/{conversation_id}/messages");
        // A page of the latest PageSize messages, oldest first; ?before={id} for the page before it (the reference's MessageFinder).
        messages.MapGet("/", async (string inbox_identifier, string contact_identifier, string conversation_id, string? before, UniLinkDb db, ReadCache cache,
            AttachmentLinks links, CancellationToken ct) =>
        {
            if (await ConversationAsync(db, inbox_identifier, contact_identifier, conversation_id, ct) is not { } found) return ApiErrors.NotFound();
            int? beforeId = null;
            if (!string.IsNullOrEmpty(before))
            {
                if (!int.TryParse(before, out var b)) return ApiErrors.Invalid("before must be a message id", "before");
                beforeId = b;
            }
            var list = await LatestMessagesAsync(db, found.Conversation.Id, beforeId, ct);
            var senders = await MessageSenders.LoadAsync(db, cache, links, list, ct);
            return TypedResults.Json(list.Select(m => senders.ToJson(m, found.Conversation.DisplayId)), WireJson.Options);
        })
            .WithName("public-api-list-messages-of-a-conversation").WithSummary("Public API: List messages of a conversation").Answers<MessageJson[]>();
        messages.MapPost("/", async (string inbox_identifier, string contact_identifier, string conversation_id, HttpRequest request,
            UniLinkDb db, MessageService service, ReadCache cache, AttachmentLinks links, AttachmentStaging staging, CancellationToken ct) =>
        {
            if (await ConversationAsync(db, inbox_identifier, contact_identifier, conversation_id, ct) is not { } found) return ApiErrors.NotFound();
            var (upload, bad) = await MessageUpload.ReadAsync(request, staging);
            if (bad is not null) return bad;
            using var _ = upload;
            var input = MessageInput.FromContact(upload!.Body, upload.Files);
            if (upload.Body.Error is { } e) return e;
            return await (await service.CreateAsync(found.Conversation, input, Actor.Contact(found.Link.Contact), ct))
                .ToHttpAsync(async message => (await MessageSenders.LoadAsync(db, cache, links, [message], ct)).ToJson(message, found.Conversation.DisplayId));
        })
            .WithName("public-api-create-a-message-in-a-conversation").WithSummary("Public API: Create a message in a conversation").Answers<MessageJson>();

        // What the contact submitted in a form or options message (`submitted_values`: [{name, title, value}]).
        messages.MapPatch("/{message_id:int}", async (string inbox_identifier, string contact_identifier, string conversation_id, int message_id,
            HttpRequest request, UniLinkDb db, MessageService service, ReadCache cache, AttachmentLinks links, CancellationToken ct) =>
        {
            if (await ConversationAsync(db, inbox_identifier, contact_identifier, conversation_id, ct) is not { } found) return ApiErrors.NotFound();
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (body!.Json["submitted_values"] is not JsonArray values || values.Count > 50
                || values.Any(v => v is not JsonObject o || o.Any(p => p.Key is not ("name" or "title" or "value") || p.Value is JsonObject or JsonArray)))
                return ApiErrors.Invalid("Submitted values must be a list of at most 50 objects with name, title and value", "submitted_values");
            if (values.ToJsonString().Length > 16_384 || values.ToJsonString().Contains("\u0000"))
                return ApiErrors.Invalid("Submitted values are too large or hold U+0000", "submitted_values");
            if (await service.SubmitValuesAsync(found.Conversation, message_id, values, ct) is not { } message)
                return ApiErrors.NotFound();
            var senders = await MessageSenders.LoadAsync(db, cache, links, [message], ct);
            return TypedResults.Json(senders.ToJson(message, found.Conversation.DisplayId), WireJson.Options);
        })
            .WithName("public-api-submit-values-to-a-message").WithSummary("Public API: Submit values to a message").Answers<MessageJson>();

        return app;
    }

    /// <summary>How many messages one answer of the client API carries at most.</summary>
    public const int PageSize = 20;

    private static async Task<List<Message>> LatestMessagesAsync(UniLinkDb db, int conversationId, int? beforeId, CancellationToken ct)
    {
        var page = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId && !m.Private && (beforeId == null || m.Id < beforeId))
            .OrderByDescending(m => m.Id).Take(PageSize).ToListAsync(ct);
        page.Reverse();
        return page;
    }

    private static readonly string[] PublicContactFields = ["name", "email", "phone_number", "identifier", "custom_attributes"];

    /// <summary>The contact as its public caller sees it: what it sent, including claims kept aside as unverified.</summary>
    private static PublicContactJson PublicContact(Contact c, ContactInbox link)
    {
        var additional = JsonText.Object(c.AdditionalAttributes);
        var email = c.Email ?? (additional["unverified_email"] as JsonValue)?.GetValue<string>();
        return new(c.Id, link.SourceId, c.Name, email, c.PhoneNumber, link.PubsubToken);
    }

    private static async Task<PublicConversationJson> PublicConversationAsync(UniLinkDb db, ReadCache cache, AttachmentLinks links, Conversation c, Contact contact, CancellationToken ct)
    {
        var list = await LatestMessagesAsync(db, c.Id, null, ct);
        var senders = await MessageSenders.LoadAsync(db, cache, links, list, ct);
        return new(c.DisplayId, c.Uuid.ToString(), c.InboxId, UnixTime.SecondsOrZero(c.ContactLastSeenAt), ConversationReader.StatusName(c.Status),
            UnixTime.SecondsOrZero(c.AgentLastSeenAt), list.Select(m => senders.ToJson(m, c.DisplayId)),
            new(contact.Id, contact.Name, contact.Email ?? (JsonText.Object(contact.AdditionalAttributes)["unverified_email"] as JsonValue)?.GetValue<string>(), contact.PhoneNumber));
    }

    /// <summary>The contact as its public caller sees it.</summary>
    public sealed record PublicContactJson(int Id, string SourceId, string? Name, string? Email, string? PhoneNumber, string PubsubToken);

    /// <summary>A conversation as the public API shows it: its latest public messages and its contact.</summary>
    public sealed record PublicConversationJson(int Id, string Uuid, int InboxId, long ContactLastSeenAt, string Status, long AgentLastSeenAt,
        IEnumerable<MessageJson> Messages, PublicConversationJson.ContactRef Contact)
    {
        public sealed record ContactRef(int Id, string? Name, string? Email, string? PhoneNumber);
    }

    /// <summary>The inbox as the public API shows it (no working hours, no identity validation, no CSAT here).</summary>
    public sealed record PublicInboxJson(string Identifier, bool IdentityValidationEnabled, string Name, string Timezone, object[] WorkingHours,
        bool WorkingHoursEnabled, bool CsatSurveyEnabled, bool GreetingEnabled, string? GreetingMessage);

    /// <summary>Only API inboxes have the client API.</summary>
    private static Task<Inbox?> InboxAsync(UniLinkDb db, string identifier, CancellationToken ct) =>
        db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.InboxIdentifier == identifier && i.ChannelType == ChannelTypes.Api, ct);

    private static Task<ContactInbox?> LinkAsync(UniLinkDb db, string inboxIdentifier, string sourceId, CancellationToken ct) =>
        db.ContactInboxes.AsNoTracking().Include(l => l.Contact).Include(l => l.Inbox)
            .FirstOrDefaultAsync(l => l.SourceId == sourceId && l.Inbox.InboxIdentifier == inboxIdentifier && l.Inbox.ChannelType == ChannelTypes.Api, ct);

    private static async Task<(ContactInbox Link, Conversation Conversation)?> ConversationAsync(UniLinkDb db, string inboxIdentifier, string sourceId, string conversationId, CancellationToken ct)
    {
        if (!int.TryParse(conversationId, out var displayId) || await LinkAsync(db, inboxIdentifier, sourceId, ct) is not { } link) return null;
        var conversation = await db.Conversations.AsNoTracking()
            .FirstOrDefaultAsync(c => c.AccountId == link.Inbox.AccountId && c.DisplayId == displayId && c.ContactInboxId == link.Id, ct);
        return conversation is null ? null : (link, conversation);
    }
}
