using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using UniLink.Features.Agents;
using UniLink.Features.Contacts;
using UniLink.Features.Conversations;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

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

    public async Task<BuiltEvent?> BuildAsync(OutboxEvent e, CancellationToken ct)
    {
        var row = await db.Accounts.AsNoTracking().Where(a => a.Id == e.AccountId).Select(a => new { a.Id, a.Name }).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        var account = new JsonObject { ["id"] = row.Id, ["name"] = row.Name };
        JsonObject payload;
        Conversation? conversation = null;
        string orderKey;
        if (e.Event is WebhookEvents.MessageCreated or WebhookEvents.MessageUpdated)
        {
            if (e.MessageId is not { } messageId) return null;
            var message = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == messageId, ct);
            if (message is null) return null;
            conversation = await reader.Query(e.AccountId).FirstOrDefaultAsync(c => c.Id == message.ConversationId, ct);
            if (conversation is null) return null;
            payload = await MessageDataAsync(message, conversation, account, ct);
            orderKey = $"conversation:{conversation.Id}";
        }
        else if (e.Event is WebhookEvents.ContactCreated or WebhookEvents.ContactUpdated)
        {
            if (e.ContactId is not { } contactId) return null;
            var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId, ct);
            if (contact is null) return null;
            payload = ContactData(contact, account);
            orderKey = $"contact:{contact.Id}";
        }
        else
        {
            if (e.ConversationId is not { } conversationId) return null;
            conversation = await reader.Query(e.AccountId).FirstOrDefaultAsync(c => c.Id == conversationId, ct);
            if (conversation is null) return null;
            payload = await ConversationDataAsync(conversation, ct);
            payload["account"] = account.DeepClone();
            payload["inbox"] = new JsonObject { ["id"] = conversation.Inbox.Id, ["name"] = conversation.Inbox.Name };
            orderKey = $"conversation:{conversation.Id}";
        }
        payload["event"] = e.Event;
        if (e.ChangedAttributes is { } changed) payload["changed_attributes"] = JsonNode.Parse(changed);
        return new BuiltEvent(payload, conversation?.InboxId, conversation, orderKey);
    }

    /// <summary>The conversation as the API shows it, plus the reference's <c>contact_inbox</c>.</summary>
    public async Task<JsonObject> ConversationDataAsync(Conversation c, CancellationToken ct)
    {
        var json = (await reader.ToJsonAsync([c], ct))[0];
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

    private async Task<JsonObject> MessageDataAsync(Message m, Conversation c, JsonObject account, CancellationToken ct)
    {
        var senders = await MessageSenders.LoadAsync(db, cache, links, [m], ct);
        JsonNode? sender = null;
        if (m.SenderType == SenderTypes.User && m.SenderId is { } userId)
            sender = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Id, u.Name, u.Email }).FirstOrDefaultAsync(ct) is { } u
                ? new JsonObject { ["id"] = u.Id, ["name"] = u.Name, ["email"] = u.Email, ["type"] = "user" }
                : null;
        else if (m.SenderType == SenderTypes.Contact && m.SenderId is { } contactId)
            sender = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == contactId, ct) is { } contact ? ContactData(contact, account) : null;
        else if (senders.For(m) is BotSenderJson bot)
            sender = new JsonObject { ["id"] = bot.Id, ["name"] = bot.Name, ["avatar_url"] = bot.AvatarUrl, ["type"] = "agent_bot" };
        var data = new JsonObject
        {
            ["account"] = account.DeepClone(),
            ["additional_attributes"] = new JsonObject(),
            ["content_attributes"] = JsonText.Object(m.ContentAttributes),
            ["content_type"] = m.ContentType,
            ["content"] = m.Content,
            ["conversation"] = await ConversationDataAsync(c, ct),
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
