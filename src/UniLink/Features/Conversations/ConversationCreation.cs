using Microsoft.EntityFrameworkCore;
using UniLink.Features.Contacts;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Conversations;

/// <summary><c>POST …/conversations</c>: a conversation for a contact in an inbox, optionally with its first message.</summary>
public static class ConversationCreation
{
    public static async Task<IResult> HandleAsync(AccountScope scope, HttpRequest request, UniLinkDb db,
        ConversationService service, ConversationReader reader, Inboxes.InboxAccess access, CancellationToken ct)
    {
        var (body, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        var inboxId = body!.Int("inbox_id", required: true);
        var contactId = body.Int("contact_id");
        var sourceId = body.String("source_id", 255);
        var statusName = body.String("status", 32);
        var assigneeId = body.Int("assignee_id");
        var additional = body.Object("additional_attributes");
        var custom = body.Object("custom_attributes");
        var message = body.Json["message"] is System.Text.Json.Nodes.JsonObject m ? RequestBody.FromObject(m) : null;
        if (body.Json["message"] is not null && message is null) body.Problem("message", "must be an object with content");
        if (contactId is null && sourceId is null) body.Problem("contact_id", "can't be blank");
        if (body.Error is { } e) return e;

        ConversationStatus status = ConversationStatus.Open;
        if (statusName is not null)
        {
            if (ConversationStatuses.Parse(statusName) is not { } s)
                return ApiErrors.Invalid($"Status '{statusName}' is not one of open, resolved, pending, snoozed", "status");
            status = s;
        }
        if (!await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.AccountId == scope.AccountId, ct))
            return ApiErrors.Invalid("Inbox is not an inbox of this account", "inbox_id");
        // An agent opens conversations only in the inboxes they work (the reference authorizes the inbox).
        if (!await access.CanSeeInboxAsync(scope, inboxId!.Value, ct)) return ApiErrors.NotAllowed();

        ContactInbox? contactInbox = null;
        if (sourceId is not null)
            contactInbox = await db.ContactInboxes.Include(ci => ci.Contact)
                .FirstOrDefaultAsync(ci => ci.InboxId == inboxId && ci.SourceId == sourceId && ci.Contact.AccountId == scope.AccountId, ct);
        var contact = contactInbox?.Contact
            ?? (contactId is { } cid ? await db.Contacts.FirstOrDefaultAsync(c => c.Id == cid && c.AccountId == scope.AccountId, ct) : null);
        if (contact is null) return ApiErrors.Invalid("Contact is not a contact of this account", "contact_id");
        if (assigneeId is { } aid && !await db.AccountUsers.AnyAsync(x => x.AccountId == scope.AccountId && x.UserId == aid, ct))
            return ApiErrors.Invalid("Assignee is not an agent of this account", "assignee_id");

        MessageDraft? first = null;
        if (message is not null)
        {
            var content = message.String("content", 150_000, required: true, trim: false);
            if (message.Error is { } me) return me;
            first = new MessageDraft(content, MessageType.Outgoing);
        }

        if (contactInbox is null)
        {
            contactInbox = await db.ContactInboxes.FirstOrDefaultAsync(ci => ci.ContactId == contact.Id && ci.InboxId == inboxId, ct);
            if (contactInbox is null)
            {
                contactInbox = new ContactInbox { ContactId = contact.Id, InboxId = inboxId!.Value, SourceId = sourceId ?? Guid.NewGuid().ToString(), CreatedAt = UnixTime.Now() };
                db.ContactInboxes.Add(contactInbox);
                await db.SaveChangesAsync(ct);
            }
        }

        var actor = await ConversationsEndpoints.ActorAsync(scope, db, ct);
        var created = await service.CreateAsync(scope.AccountId, new NewConversation(
            inboxId!.Value, contact.Id, contactInbox.Id, status, assigneeId,
            additional is null ? null : JsonText.Serialize(additional), custom is null ? null : JsonText.Serialize(custom), first), actor, ct);
        var loaded = await reader.FindAsync(scope.AccountId, created.DisplayId, ct);
        return Results.Json((await reader.ToJsonAsync([loaded!], ct))[0], WireJson.Options);
    }
}
