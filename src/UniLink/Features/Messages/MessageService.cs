using UniLink.Features.Attachments;
using UniLink.Features.Webhooks;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Messages;

/// <summary>What a new message says; validated by the caller.</summary>
public sealed record MessageDraft(
    string? Content,
    MessageType Type,
    bool Private = false,
    string? ContentAttributes = null,
    string? SourceId = null,
    string ContentType = "text",
    IReadOnlyList<StagedFile>? Files = null);

/// <summary>Every message write goes through here: the API, the dashboard, apps and the public API alike.</summary>
public sealed class MessageService(UniLinkDb db, LiveBus live, IFileStore files, StoredFiles stored, WriteTracking tracking)
{
    private static readonly string[] ContentTypes = ["text", "input_text", "input_email", "cards", "input_select", "form", "article"];

    /// <summary>
    /// A message as a request states it: content may be blank only beside files; the type is outgoing (the default),
    /// incoming or template; an incoming message is the conversation's contact's, whoever posts it (the conversation
    /// must come with its contact).
    /// </summary>
    public async Task<WriteResult<Message>> CreateAsync(Conversation conversation, MessageInput input, Actor author, CancellationToken ct = default)
    {
        if (Problem(input) is { } problem) return problem;
        var type = input.Type!.Value;
        var sender = type != MessageType.Incoming || author.SenderType == SenderTypes.Contact ? author : Actor.Contact(conversation.Contact);
        var draft = new MessageDraft(string.IsNullOrEmpty(input.Content) ? null : input.Content, type, input.Private,
            input.ContentAttributes is null ? null : JsonText.Serialize(input.ContentAttributes), input.SourceId, input.ContentType, input.Files);
        return await CreateAsync(conversation, draft, sender, ct);
    }

    /// <summary>What is wrong with the message, before anything is written for it (a widget's first message starts a conversation).</summary>
    public static WriteProblem? Problem(MessageInput input)
    {
        if (input.Files.Count == 0 && string.IsNullOrWhiteSpace(input.Content)) return new WriteProblem("Content can't be blank", "content");
        if (input.Type is null)
            return new WriteProblem($"Message type '{input.MessageType}' is not one of outgoing, incoming, template", "message_type");
        if (!ContentTypes.Contains(input.ContentType)) return new WriteProblem($"Content type '{input.ContentType}' is not supported", "content_type");
        return null;
    }

    /// <summary>A message already checked (the dashboard's reply box, apps' actions, a conversation's first message).</summary>
    public async Task<Message> CreateAsync(Conversation conversation, MessageDraft draft, Actor sender, CancellationToken ct = default)
    {
        if (db is PostgresUniLinkDb && draft.Type != MessageType.Incoming && sender.SenderType != SenderTypes.Contact && draft.Files is not { Count: > 0 }
            && db.Conversations.Local.All(c => c.Id != conversation.Id))
            return await CreateInOneStatementAsync(conversation, draft, sender, UnixTime.Now(), ct);
        // SQLite: the write lock (BEGIN IMMEDIATE) before the time is taken and the conversation read, so that messages
        // posted at once to one conversation take their times in the order they commit and its last activity is its
        // newest message's; otherwise the last to commit could write an earlier time read before another's commit. Not
        // with files, whose upload must not hold the one write lock.
        await using var writeLock = db is SqliteUniLinkDb && db.Database.CurrentTransaction is null && draft.Files is not { Count: > 0 }
            ? await db.Database.BeginTransactionAsync(ct) : null;
        var now = UnixTime.Now();
        // A conversation this context tracks already is what the query would answer (EF gives back the tracked entity).
        var tracked = db.Conversations.Local.FirstOrDefault(c => c.Id == conversation.Id) ?? await TrackedConversation.For(db)(db, conversation.Id, ct);
        var message = NewMessage(tracked, draft, sender, now);
        db.Messages.Add(message);
        var statusBefore = tracked.Status;
        Touch(tracked, message, now);
        if (sender.SenderType == SenderTypes.Contact && sender.SenderId is { } contactId) await TouchContactAsync(tracked.AccountId, contactId, now, ct);
        // The files go to the store first and the rows after, in one transaction with the message: if anything fails the
        // stored files are removed again, so a message and its files exist together or not at all.
        var keys = new List<string>();
        try
        {
            foreach (var f in draft.Files ?? [])
            {
                var key = Guid.NewGuid().ToString("N");
                await files.PutAsync(key, f.Path, f.ContentType, ct);
                keys.Add(key);
                string? thumbKey = null;
                if (f.ThumbPath is not null)
                {
                    thumbKey = key + (f.ThumbContentType == "image/png" ? "-thumb-png" : "-thumb-jpg");
                    await files.PutAsync(thumbKey, f.ThumbPath, f.ThumbContentType!, ct);
                    keys.Add(thumbKey);
                }
                db.Attachments.Add(new Attachment
                {
                    AccountId = tracked.AccountId, Message = message, FileType = f.FileType, FileName = f.FileName, Extension = f.Extension,
                    ContentType = f.ContentType, FileSize = f.Size, Width = f.Width, Height = f.Height, StorageKey = key, ThumbKey = thumbKey,
                    CreatedAt = now,
                });
            }
            // Activity lines are not sent out (the reference's webhook_sendable?); the event commits with the message.
            if (message.MessageType != MessageType.Activity) Outbox.Message(db, message, WebhookEvents.MessageCreated);
            if (tracked.Status != statusBefore) RecordStatusChange(tracked);
            await db.SaveChangesAsync(ct);
            if (writeLock is not null) await writeLock.CommitAsync(ct);
        }
        catch
        {
            db.ChangeTracker.Clear();
            await stored.RemoveAsync(keys);
            throw;
        }
        live.Publish(new LiveEvent(tracked.AccountId, LiveEvent.MessageCreated, tracked.DisplayId));
        return message;
    }

    /// <summary>
    /// PostgreSQL, a reply, note or template without files (what agents, bots and integrations post most): the
    /// conversation's activity, the message and its <c>message_created</c> event in one statement, committed on its own,
    /// nothing read first. 16 posts to one conversation queue on its row's lock, which the unit of work held across four
    /// round trips (the UPDATE, the message, the event, the COMMIT, each waiting for the server's threads under load);
    /// here from within the statement to its commit. The row is still locked before the message and the event take their
    /// ids, so that one conversation's messages and events commit in the order of their ids (the worker sends events in
    /// that order; a client pages messages by id). The conversation's columns are set from the row as locked, not as
    /// read: the last activity is the newest message's, the first reply the first committed.
    /// </summary>
    private async Task<Message> CreateInOneStatementAsync(Conversation conversation, MessageDraft draft, Actor sender, DateTime now, CancellationToken ct)
    {
        var message = NewMessage(conversation, draft, sender, now);
        // As Touch: an activity line moves only updated_at, a public reply ends the wait and may be the first reply.
        var activity = draft.Type == MessageType.Activity;
        var reply = draft.Type == MessageType.Outgoing && !draft.Private;
        var ids = await db.Database.SqlQuery<int>($"""
            WITH c AS (
              UPDATE "Conversations" SET "UpdatedAt" = GREATEST("UpdatedAt", {now}),
                "LastActivityAt" = CASE WHEN {activity} THEN "LastActivityAt" ELSE GREATEST("LastActivityAt", {now}) END,
                "WaitingSince" = CASE WHEN {reply} THEN NULL ELSE "WaitingSince" END,
                "FirstReplyCreatedAt" = CASE WHEN {reply} THEN coalesce("FirstReplyCreatedAt", {now}) ELSE "FirstReplyCreatedAt" END
              WHERE "Id" = {message.ConversationId}
              RETURNING "Id"),
            m AS (
              INSERT INTO "Messages" ("AccountId", "InboxId", "ConversationId", "Content", "MessageType", "ContentType", "ContentAttributes",
                "Private", "SourceId", "Status", "SenderType", "SenderId", "CreatedAt", "UpdatedAt", "HasAttachments")
              SELECT {message.AccountId}, {message.InboxId}, "Id", {message.Content}::text, {(int)message.MessageType},
                {message.ContentType}, {message.ContentAttributes}, {message.Private}, {message.SourceId}::text, {message.Status}, {message.SenderType}::text,
                {message.SenderId}::integer, {now}, {now}, FALSE FROM c
              RETURNING "Id"),
            e AS (
              INSERT INTO "OutboxEvents" ("AccountId", "Event", "ConversationId", "MessageId", "CreatedAt")
              SELECT {message.AccountId}, {WebhookEvents.MessageCreated}, {message.ConversationId}, "Id", {now} FROM m WHERE NOT {activity})
            SELECT "Id" AS "Value" FROM m
            """).ToListAsync(ct);
        tracking.StatementOver(db);
        message.Id = ids.Single();
        live.Publish(new LiveEvent(conversation.AccountId, LiveEvent.MessageCreated, conversation.DisplayId));
        return message;
    }

    private static Message NewMessage(Conversation conversation, MessageDraft draft, Actor sender, DateTime now) => new()
    {
        AccountId = conversation.AccountId,
        InboxId = conversation.InboxId,
        ConversationId = conversation.Id,
        Content = draft.Content,
        MessageType = draft.Type,
        ContentType = draft.ContentType,
        ContentAttributes = draft.ContentAttributes ?? "{}",
        Private = draft.Private,
        SourceId = draft.SourceId,
        SenderType = sender.SenderType,
        SenderId = sender.SenderId,
        CreatedAt = now,
        UpdatedAt = now,
        HasAttachments = draft.Files is { Count: > 0 },
    };

    /// <summary>Adds a system activity line (status, assignment, labels …) in the caller's transaction.</summary>
    internal void AddActivity(Conversation tracked, string content, DateTime now)
    {
        db.Messages.Add(new Message
        {
            AccountId = tracked.AccountId,
            InboxId = tracked.InboxId,
            ConversationId = tracked.Id,
            Content = content,
            MessageType = MessageType.Activity,
            CreatedAt = now,
            UpdatedAt = now,
        });
    }

    /// <summary>A standalone activity line (what an app did), saved and published.</summary>
    public async Task AddActivityAsync(Conversation conversation, string content, CancellationToken ct = default)
    {
        var tracked = await db.Conversations.FirstAsync(c => c.Id == conversation.Id, ct);
        var now = UnixTime.Now();
        AddActivity(tracked, content, now);
        tracked.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(tracked.AccountId, LiveEvent.MessageCreated, tracked.DisplayId));
    }

    /// <summary>As the reference: the content is replaced and the message flagged deleted; the row stays.</summary>
    public async Task<Message?> DeleteAsync(Conversation conversation, int messageId, CancellationToken ct = default)
    {
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId && m.ConversationId == conversation.Id, ct);
        if (message is null) return null;
        message.Content = "This message was deleted";
        var attributes = JsonText.Object(message.ContentAttributes);
        attributes["deleted"] = true;
        message.ContentAttributes = JsonText.Serialize(attributes);
        message.ContentType = "text";
        message.UpdatedAt = UnixTime.Now();
        // As the reference: the message's files go with its content.
        var attachments = await db.Attachments.Where(a => a.MessageId == message.Id).ToListAsync(ct);
        db.Attachments.RemoveRange(attachments);
        message.HasAttachments = false;
        if (message.MessageType != MessageType.Activity) Outbox.Message(db, message, WebhookEvents.MessageUpdated);
        await db.SaveChangesAsync(ct);
        await stored.RemoveAsync(attachments.SelectMany(a => new[] { a.StorageKey, a.ThumbKey }));
        live.Publish(new LiveEvent(conversation.AccountId, LiveEvent.ConversationChanged, conversation.DisplayId));
        return message;
    }

    /// <summary>A customer's message reopened the conversation: the same events as a status change by hand.</summary>
    private void RecordStatusChange(Conversation tracked)
    {
        var changed = Outbox.ChangedAttributes(db.Entry(tracked), "last_activity_at", "waiting_since", "snoozed_until");
        Outbox.Conversation(db, tracked, WebhookEvents.ConversationStatusChanged, changed);
        Outbox.Conversation(db, tracked, WebhookEvents.ConversationUpdated, changed);
    }

    /// <summary>The delivery status of an API inbox's message, as its integration reports it (<c>failed</c> keeps the reason).</summary>
    public async Task<Message?> SetStatusAsync(Conversation conversation, int messageId, string status, string? externalError, CancellationToken ct = default)
    {
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId && m.ConversationId == conversation.Id, ct);
        if (message is null) return null;
        message.Status = status;
        var attributes = JsonText.Object(message.ContentAttributes);
        if (status == "failed" && externalError is not null) attributes["external_error"] = externalError;
        else attributes.Remove("external_error");
        message.ContentAttributes = JsonText.Serialize(attributes);
        message.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(conversation.AccountId, LiveEvent.ConversationChanged, conversation.DisplayId));
        return message;
    }

    /// <summary>
    /// The contact has read the conversation up to <paramref name="upTo"/>: the messages they were sent before it (agents',
    /// bots', activity) that are <c>sent</c> or <c>delivered</c> become <c>read</c>, as the reference's UpdateMessageStatusJob.
    /// </summary>
    public async Task<int> MarkReadByContactAsync(Conversation conversation, DateTime upTo, CancellationToken ct = default)
    {
        var read = await db.Messages.Where(m => m.ConversationId == conversation.Id && m.MessageType != MessageType.Incoming
                && (m.Status == "sent" || m.Status == "delivered") && m.CreatedAt <= upTo)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.Status, "read"), ct);
        if (read > 0) live.Publish(new LiveEvent(conversation.AccountId, LiveEvent.ConversationChanged, conversation.DisplayId));
        return read;
    }

    /// <summary>What a contact filled into a form or picked from options (the public API's <c>submitted_values</c>).</summary>
    public async Task<Message?> SubmitValuesAsync(Conversation conversation, int messageId, System.Text.Json.Nodes.JsonArray values, CancellationToken ct = default)
    {
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId && m.ConversationId == conversation.Id && !m.Private, ct);
        if (message is null) return null;
        var attributes = JsonText.Object(message.ContentAttributes);
        attributes["submitted_values"] = values.DeepClone();
        message.ContentAttributes = JsonText.Serialize(attributes);
        message.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(conversation.AccountId, LiveEvent.ConversationChanged, conversation.DisplayId));
        return message;
    }

    // Compiled: every message reads its conversation to update it (no LINQ translated per message).
    private static readonly CompiledPerModel<Func<UniLinkDb, int, CancellationToken, Task<Conversation>>> TrackedConversation = new(() =>
        EF.CompileAsyncQuery((UniLinkDb db, int id, CancellationToken ct) => db.Conversations.First(c => c.Id == id)));

    /// <summary>
    /// A contact's message is the contact's latest activity, as the reference's <c>Message#update_contact_activity</c>:
    /// the contacts list is ordered by it, and the change is a <c>contact_updated</c> naming <c>last_activity_at</c>.
    /// </summary>
    private async Task TouchContactAsync(int accountId, int contactId, DateTime now, CancellationToken ct)
    {
        var contact = db.Contacts.Local.FirstOrDefault(c => c.Id == contactId)
            ?? await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId && c.AccountId == accountId, ct);
        if (contact is null) return;
        contact.LastActivityAt = now;
        contact.UpdatedAt = now;
        if (Outbox.ChangedAttributes(db.Entry(contact)) is { } changed) Outbox.Contact(db, contact, WebhookEvents.ContactUpdated, changed);
    }

    private static void Touch(Conversation c, Message m, DateTime now)
    {
        c.UpdatedAt = now;
        if (m.MessageType == MessageType.Activity) return;
        c.LastActivityAt = now;
        if (m.MessageType == MessageType.Incoming)
        {
            c.WaitingSince ??= now;
            // A customer writing into a resolved or snoozed conversation reopens it, as the reference does.
            if (c.Status is ConversationStatus.Resolved or ConversationStatus.Snoozed && !c.Muted)
            {
                c.Status = ConversationStatus.Open;
                c.SnoozedUntil = null;
            }
        }
        else if (m.MessageType == MessageType.Outgoing && !m.Private)
        {
            c.FirstReplyCreatedAt ??= now;
            c.WaitingSince = null;
        }
    }
}
