using UniLink.Features.Attachments;
using UniLink.Features.Contacts;
using UniLink.Infrastructure.Caching;

namespace UniLink.Features.Messages;

public static class MessagesEndpoints
{
    public const int PageSize = 20;

    public static RouteGroupBuilder MapMessages(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/conversations/{display_id:int}/messages").WithTags("Messages");
        Inboxes.InboxAccess.OnlyConversationsOfOwnInboxes(group);

        // Oldest first; `before` pages back through older messages (20), `after` forward through newer ones (100), both: the
        // messages between them (up to 1,000), as the reference's MessageFinder.
        group.MapGet("/", async (AccountScope scope, int display_id, HttpRequest request, UniLinkDb db,
            ConversationReader reader, ReadCache cache, AttachmentLinks links, CancellationToken ct) =>
        {
            if (await reader.FindAsync(scope.AccountId, display_id, ct) is not { } c) return ApiErrors.NotFound();
            var query = db.Messages.AsNoTracking().Where(m => m.ConversationId == c.Id);
            int? beforeId = null, afterId = null;
            if (request.Query["before"].ToString() is { Length: > 0 } before)
            {
                if (!int.TryParse(before, out var b)) return ApiErrors.Invalid("Before must be a message id", "before");
                beforeId = b;
                query = query.Where(m => m.Id < b);
            }
            if (request.Query["after"].ToString() is { Length: > 0 } after)
            {
                if (!int.TryParse(after, out var a)) return ApiErrors.Invalid("After must be a message id", "after");
                afterId = a;
                query = beforeId is null ? query.Where(m => m.Id > a) : query.Where(m => m.Id >= a);
            }
            var page = afterId is null
                ? (await query.OrderByDescending(m => m.Id).Take(PageSize).ToListAsync(ct)).OrderBy(m => m.Id).ToList()
                : await query.OrderBy(m => m.Id).Take(beforeId is null ? 100 : 1000).ToListAsync(ct);
            var senders = await MessageSenders.LoadAsync(db, cache, links, page, ct);
            var assignee = await reader.AssigneeJsonAsync(c, ct);
            return TypedResults.Json(new MessagePageJson(
                new(c.Labels.Select(l => l.Title).Order(StringComparer.Ordinal), JsonText.Object(c.AdditionalAttributes), c.Contact.ToJson(), assignee,
                    UnixTime.SecondsOrZero(c.AgentLastSeenAt), UnixTime.SecondsOrZero(c.AssigneeLastSeenAt)),
                page.Select(m => senders.ToJson(m, c.DisplayId))), WireJson.Options);
        }).WithName("list-messages-of-a-conversation").WithSummary("A page of the conversation's messages, oldest first (before: older, after: newer)").Answers<MessagePageJson>();

        // JSON, URL-encoded or multipart/form-data (the reference's clients send files, and some every message, as a form).
        group.MapPost("/", async (AccountScope scope, int display_id, HttpRequest request, UniLinkDb db,
            ConversationReader reader, MessageService messages, ReadCache cache, AttachmentLinks links, AttachmentStaging staging, CancellationToken ct) =>
        {
            if (await reader.FindAsync(scope.AccountId, display_id, ct) is not { } c) return ApiErrors.NotFound();
            var (upload, bad) = await MessageUpload.ReadAsync(request, staging);
            if (bad is not null) return bad;
            using var _ = upload;
            var input = MessageInput.From(upload!.Body, upload.Files);
            if (upload.Body.Error is { } e) return e;
            // An incoming message is the contact's: only the others need the caller's name (a query).
            var author = input.Type == MessageType.Incoming ? Actor.Contact(c.Contact) : await ConversationsEndpoints.ActorAsync(scope, db, ct);
            // A message made without files has no attachments to read back.
            return await (await messages.CreateAsync(c, input, author, ct))
                .ToHttpAsync(async message => (await MessageSenders.LoadAsync(db, cache, links, [message], input.Files.Count == 0 ? [] : null, [], [], ct))
                    .ToJson(message, c.DisplayId));
        }).AllowBots().WithName("create-a-message-in-a-conversation").WithSummary("Send a reply or note, or record an incoming message (JSON or multipart with attachments)").Answers<MessageJson>();

        // An API inbox's integration reports what became of a message it delivered (sent, delivered, read, failed).
        group.MapPatch("/{message_id:int}", async (AccountScope scope, int display_id, int message_id, HttpRequest request, UniLinkDb db,
            ConversationReader reader, MessageService messages, ReadCache cache, AttachmentLinks links, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (await reader.FindAsync(scope.AccountId, display_id, ct) is not { } c) return ApiErrors.NotFound();
            if (c.Inbox.ChannelType != Inboxes.ChannelTypes.Api)
                return TypedResults.Json(new ErrorJson("Message status update is only allowed for API inboxes"), WireJson.Options, statusCode: 403);
            var status = body!.String("status", 16, required: true);
            var externalError = body.String("external_error", 1000);
            if (body.Error is { } e) return e;
            if (status is not ("sent" or "delivered" or "read" or "failed"))
                return ApiErrors.Invalid($"Status '{status}' is not one of sent, delivered, read, failed", "status");
            if (await messages.SetStatusAsync(c, message_id, status, externalError, ct) is not { } updated)
                return ApiErrors.NotFound();
            var senders = await MessageSenders.LoadAsync(db, cache, links, [updated], ct);
            return TypedResults.Json(senders.ToJson(updated, c.DisplayId), WireJson.Options);
        }).AllowBots().WithName("update-the-delivery-status-of-a-message").WithSummary("Report what became of a message an API inbox delivered (sent, delivered, read, failed)").Answers<MessageJson>();

        group.MapDelete("/{message_id:int}", async (AccountScope scope, int display_id, int message_id, UniLinkDb db,
            ConversationReader reader, MessageService messages, ReadCache cache, AttachmentLinks links, CancellationToken ct) =>
        {
            if (await reader.FindAsync(scope.AccountId, display_id, ct) is not { } c) return ApiErrors.NotFound();
            if (await messages.DeleteAsync(c, message_id, ct) is not { } deleted) return ApiErrors.NotFound();
            var senders = await MessageSenders.LoadAsync(db, cache, links, [deleted], ct);
            return TypedResults.Json(senders.ToJson(deleted, c.DisplayId), WireJson.Options);
        }).WithName("delete-a-message-of-a-conversation").WithSummary("Delete a message (its content is replaced, as the reference)").Answers<MessageJson>();

        return account;
    }

    /// <summary>A page of a conversation's messages, with what the reference's list puts beside them.</summary>
    public sealed record MessagePageJson(MessagePageJson.MetaJson Meta, IEnumerable<MessageJson> Payload)
    {
        public sealed record MetaJson(IEnumerable<string> Labels, System.Text.Json.Nodes.JsonObject AdditionalAttributes, Contacts.ContactJson Contact,
            Agents.AgentJson? Assignee, long AgentLastSeenAt, long AssigneeLastSeenAt);
    }
}
