using System.Text.Json;
using System.Text.Json.Nodes;
using UniLink.Features.Contacts;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Caching;

namespace UniLink.Features.Webhooks;

/// <summary>What an event is about, once read: its payload and what decides who receives it.</summary>
public sealed record BuiltEvent(JsonObject Payload, int? InboxId, Conversation? Conversation, string OrderKey);

/// <summary>
/// The reference's webhook payloads (<c>webhook_data</c> of message, conversation and contact, with <c>event</c> and
/// <c>changed_attributes</c>), made from the wire records the API answers with (<see cref="ConversationReader"/>).
/// </summary>
public sealed class WebhookPayloads
{
    private readonly UniLinkDb db;
    private readonly ConversationReader reader;
    private readonly ReadCache cache;
    private readonly Attachments.AttachmentLinks links;

    public WebhookPayloads(UniLinkDb db, ReadCache cache, Attachments.AttachmentLinks links, Infrastructure.Config.UniLinkOptions options)
    {
        this.db = db;
        this.cache = cache;
        // A payload is sent again unchanged for as long as its retries last: its data_url/thumb_url must outlive them.
        this.links = links.WithLifetime((long)(options.WebhookRetryHours * 3600) + options.FileUrlSeconds);
        reader = new ConversationReader(db, cache, this.links);
    }

    public async Task<BuiltEvent?> BuildAsync(OutboxEvent e, CancellationToken ct) =>
        (await BuildManyAsync([e], ct)).GetValueOrDefault(e.Id);

    /// <summary>
    /// Builds a batch of events' payloads with a fixed number of queries, whatever the batch's size: accounts, messages,
    /// contacts, conversations (one query per account) and their API records, senders and attachments are read once for
    /// all. Events whose subject is gone are left out.
    /// </summary>
    public async Task<Dictionary<long, BuiltEvent>> BuildManyAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        var built = new Dictionary<long, BuiltEvent>();
        if (events.Count == 0) return built;
        var accountIds = events.Select(e => e.AccountId).Distinct().ToArray();
        var accounts = (await FanOutLookups.AccountNamesAsync(db, cache, accountIds, ct))
            .ToDictionary(a => a.Key, a => new JsonObject { ["id"] = a.Key, ["name"] = a.Value });

        static bool IsMessage(OutboxEvent e) => e.Event is WebhookEvents.MessageCreated or WebhookEvents.MessageUpdated;
        static bool IsContact(OutboxEvent e) => e.Event is WebhookEvents.ContactCreated or WebhookEvents.ContactUpdated;
        static bool IsTyping(OutboxEvent e) => e.Event is WebhookEvents.ConversationTypingOn or WebhookEvents.ConversationTypingOff;
        var typists = events.Where(IsTyping).ToDictionary(e => e.Id, e => JsonText.Object(e.Detail ?? "{}"));
        int? TypistId(long eventId, string type) =>
            typists.TryGetValue(eventId, out var d) && d["sender_type"]?.GetValue<string>() == type ? d["sender_id"]?.GetValue<int>() : null;
        static bool IsWidget(OutboxEvent e) => e.Event is WebhookEvents.WebwidgetTriggered;
        // webwidget_triggered: the contact inbox (and its inbox) and its latest conversation, the reference's current_conversation.
        var widgetDetails = events.Where(IsWidget).ToDictionary(e => e.Id, e => JsonText.Object(e.Detail ?? "{}"));
        var linkIds = widgetDetails.Values.Select(d => d["contact_inbox_id"] is JsonValue v && v.TryGetValue<int>(out var id) ? id : (int?)null)
            .OfType<int>().Distinct().ToArray();
        var contactInboxes = linkIds.Length == 0 ? [] : await db.ContactInboxes.AsNoTracking().Include(l => l.Inbox).Where(l => linkIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        var currentConversations = linkIds.Length == 0 ? [] : await db.Conversations.AsNoTracking().Where(c => c.ContactInboxId != null && linkIds.Contains(c.ContactInboxId.Value))
            .GroupBy(c => c.ContactInboxId!.Value).Select(g => new { LinkId = g.Key, Id = g.Max(c => c.Id) }).ToDictionaryAsync(x => x.LinkId, x => x.Id, ct);
        ContactInbox? LinkOf(OutboxEvent e) =>
            widgetDetails.TryGetValue(e.Id, out var d) && d["contact_inbox_id"] is JsonValue v && v.TryGetValue<int>(out var id) && contactInboxes.TryGetValue(id, out var l)
                && l.Inbox.AccountId == e.AccountId ? l : null;
        int? ConversationOf(OutboxEvent e) => IsWidget(e)
            ? (LinkOf(e) is { } l && currentConversations.TryGetValue(l.Id, out var cid) ? cid : null)
            : e.ConversationId;
        var messageIds = events.Where(IsMessage).Select(e => e.MessageId).OfType<int>().Distinct().ToArray();
        var messages = messageIds.Length == 0 ? [] : await db.Messages.AsNoTracking().Where(m => messageIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);

        // Conversations, per account (the reader's query is an account's), with their API records made together.
        var conversations = new Dictionary<int, Conversation>();
        var conversationData = new Dictionary<int, JsonObject>();
        foreach (var group in events.GroupBy(e => e.AccountId))
        {
            var ids = group.Where(e => !IsContact(e)).Select(e => IsMessage(e) ? (e.MessageId is { } mid && messages.TryGetValue(mid, out var m) ? m.ConversationId : null) : ConversationOf(e))
                .OfType<int>().Distinct().ToArray();
            if (ids.Length == 0) continue;
            var found = await reader.Query(group.Key).Where(c => ids.Contains(c.Id)).ToListAsync(ct);
            var json = await reader.ToJsonAsync(found, ct);
            for (var i = 0; i < found.Count; i++)
            {
                conversations[found[i].Id] = found[i];
                conversationData[found[i].Id] = ConversationData(found[i], json[i]);
            }
        }

        // Senders: users (webhook_data has their e-mail), contacts (also the subjects of contact events), bots; attachments.
        var senders = await MessageSenders.LoadAsync(db, cache, links, messages.Values, ct);
        var userIds = messages.Values.Where(m => m.SenderType == SenderTypes.User).Select(m => m.SenderId)
            .Concat(typists.Keys.Select(id => TypistId(id, SenderTypes.User))).OfType<int>().Distinct().ToArray();
        var users = userIds.Length == 0 ? [] : await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => new JsonObject { ["id"] = u.Id, ["name"] = u.Name, ["email"] = u.Email, ["type"] = "user" }, ct);
        var contactIds = messages.Values.Where(m => m.SenderType == SenderTypes.Contact).Select(m => m.SenderId)
            .Concat(events.Where(e => IsContact(e) || IsWidget(e)).Select(e => e.ContactId)).Concat(typists.Keys.Select(id => TypistId(id, SenderTypes.Contact)))
            .OfType<int>().Distinct().ToArray();
        var contacts = contactIds.Length == 0 ? [] : await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);

        foreach (var e in events)
        {
            if (!accounts.TryGetValue(e.AccountId, out var account)) continue;
            JsonObject payload;
            Conversation? conversation = null;
            string orderKey;
            if (IsMessage(e))
            {
                if (e.MessageId is not { } messageId || !messages.TryGetValue(messageId, out var message)
                    || !conversations.TryGetValue(message.ConversationId, out conversation)) continue;
                JsonNode? sender = message.SenderType switch
                {
                    SenderTypes.User when message.SenderId is { } id => users.GetValueOrDefault(id)?.DeepClone(),
                    SenderTypes.Contact when message.SenderId is { } id => contacts.TryGetValue(id, out var c) && c.AccountId == e.AccountId ? ContactData(c, account) : null,
                    _ => senders.For(message) is BotSenderJson bot
                        ? new JsonObject { ["id"] = bot.Id, ["name"] = bot.Name, ["avatar_url"] = bot.AvatarUrl, ["type"] = "agent_bot" }
                        : null,
                };
                payload = MessageData(message, conversation, account, sender, senders, conversationData[conversation.Id]);
                orderKey = $"conversation:{conversation.Id}";
            }
            else if (IsContact(e))
            {
                if (e.ContactId is not { } contactId || !contacts.TryGetValue(contactId, out var contact) || contact.AccountId != e.AccountId) continue;
                payload = ContactData(contact, account);
                orderKey = $"contact:{contact.Id}";
            }
            else if (IsWidget(e))
            {
                // As the reference: the contact inbox's webhook_data, with event_info (what the widget and its browser said).
                if (LinkOf(e) is not { } link || !contacts.TryGetValue(link.ContactId, out var contact) || contact.AccountId != e.AccountId) continue;
                if (ConversationOf(e) is { } current) conversations.TryGetValue(current, out conversation);
                payload = new JsonObject
                {
                    ["id"] = link.Id,
                    ["contact"] = ContactData(contact, account),
                    ["inbox"] = new JsonObject { ["id"] = link.Inbox.Id, ["name"] = link.Inbox.Name },
                    ["account"] = account.DeepClone(),
                    ["current_conversation"] = conversation is null ? null : conversationData[conversation.Id].DeepClone(),
                    ["source_id"] = link.SourceId,
                    ["event_info"] = widgetDetails[e.Id]["event_info"]?.DeepClone(),
                };
                orderKey = $"contact:{contact.Id}";
                built[e.Id] = new BuiltEvent(Stamp(payload, e), link.InboxId, conversation, orderKey);
                continue;
            }
            else if (IsTyping(e))
            {
                // As the reference: {event, user, conversation, is_private}, the user as its webhook_data (an agent, a bot or the contact).
                if (e.ConversationId is not { } conversationId || !conversations.TryGetValue(conversationId, out conversation)) continue;
                var detail = typists[e.Id];
                var id = detail["sender_id"]?.GetValue<int>();
                JsonNode? user = detail["sender_type"]?.GetValue<string>() switch
                {
                    SenderTypes.User when id is { } u => users.GetValueOrDefault(u)?.DeepClone(),
                    SenderTypes.Contact when id is { } c => contacts.TryGetValue(c, out var contact) && contact.AccountId == e.AccountId ? ContactData(contact, account) : null,
                    SenderTypes.AgentBot when id is { } b => new JsonObject { ["id"] = b, ["name"] = detail["name"]?.GetValue<string>(), ["type"] = "agent_bot" },
                    _ => null,
                };
                payload = new JsonObject
                {
                    ["user"] = user,
                    ["conversation"] = conversationData[conversation.Id].DeepClone(),
                    ["is_private"] = detail["is_private"]?.GetValue<bool>() ?? false,
                };
                orderKey = $"conversation:{conversation.Id}";
            }
            else
            {
                if (e.ConversationId is not { } conversationId || !conversations.TryGetValue(conversationId, out conversation)) continue;
                payload = conversationData[conversation.Id].DeepClone().AsObject();
                payload["account"] = account.DeepClone();
                payload["inbox"] = new JsonObject { ["id"] = conversation.Inbox.Id, ["name"] = conversation.Inbox.Name };
                orderKey = $"conversation:{conversation.Id}";
            }
            built[e.Id] = new BuiltEvent(Stamp(payload, e), conversation?.InboxId, conversation, orderKey);
        }
        return built;
    }

    private static JsonObject Stamp(JsonObject payload, OutboxEvent e)
    {
        payload["event"] = e.Event;
        if (e.ChangedAttributes is { } changed) payload["changed_attributes"] = JsonNode.Parse(changed);
        return payload;
    }

    /// <summary>The conversation as the API shows it, plus the reference's <c>contact_inbox</c>.</summary>
    public async Task<JsonObject> ConversationDataAsync(Conversation c, CancellationToken ct) =>
        ConversationData(c, (await reader.ToJsonAsync([c], ct))[0]);

    private static JsonObject ConversationData(Conversation c, ConversationJson json)
    {
        var data = JsonSerializer.SerializeToNode(json, WireJson.Options)!.AsObject();
        if (c.ContactInbox is { } ci)
            data["contact_inbox"] = new JsonObject
            {
                ["id"] = ci.Id, ["contact_id"] = ci.ContactId, ["inbox_id"] = ci.InboxId, ["source_id"] = ci.SourceId,
                ["created_at"] = UnixTime.IsoMillis(ci.CreatedAt), ["updated_at"] = UnixTime.IsoMillis(ci.CreatedAt),
                ["hmac_verified"] = ci.HmacVerified, ["pubsub_token"] = ci.PubsubToken,
            };
        data["channel"] = c.Inbox.ChannelType;
        return data;
    }

    private static JsonObject MessageData(Message m, Conversation c, JsonObject account, JsonNode? sender, MessageSenders senders, JsonObject conversation)
    {
        var data = new JsonObject
        {
            ["account"] = account.DeepClone(),
            ["additional_attributes"] = new JsonObject(),
            ["content_attributes"] = JsonText.Object(m.ContentAttributes),
            ["content_type"] = m.ContentType,
            ["content"] = m.Content,
            ["conversation"] = conversation.DeepClone(),
            ["created_at"] = UnixTime.IsoMillis(m.CreatedAt),
            ["id"] = m.Id,
            ["inbox"] = new JsonObject { ["id"] = c.Inbox.Id, ["name"] = c.Inbox.Name },
            ["message_type"] = m.MessageType switch
            {
                MessageType.Incoming => "incoming",
                MessageType.Outgoing => "outgoing",
                MessageType.Template => "template",
                _ => "activity",
            },
            ["private"] = m.Private,
            ["sender"] = sender,
            ["source_id"] = m.SourceId,
        };
        // As the reference: the attachments' push_event_data, only when the message has any.
        if (senders.ToJson(m, c.DisplayId).Attachments is { Count: > 0 } attachments)
            data["attachments"] = JsonSerializer.SerializeToNode(attachments, WireJson.Options);
        return data;
    }

    /// <summary>The reference's contact <c>webhook_data</c>: the API's contact, with its account and <c>type</c>.</summary>
    private static JsonObject ContactData(Contact c, JsonObject account)
    {
        var data = JsonSerializer.SerializeToNode(c.ToJson(), WireJson.Options)!.AsObject();
        data["account"] = account.DeepClone();
        data["avatar"] = c.Thumbnail;
        data["type"] = "contact";
        return data;
    }
}
