using System.Text.Json;
using System.Text.Json.Nodes;
using UniLink.Features.Attachments;
using UniLink.Features.Contacts;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Features.Messages;
using UniLink.Features.Webhooks;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Config;

namespace UniLink.Features.DashboardApps.Events;

/// <summary>
/// <c>{"event":"unilink:event","type":…,"data":…,"account_id":…,"app_id":…}</c>: what an app's server receives, the
/// frame's event with the account and app it is for.
/// </summary>
public sealed record AppServerEventMessage(string Event, string Type, object Data, int AccountId, int AppId);

/// <summary>
/// Turns the outbox's events (the facts webhooks are made of) into the typed events apps' servers subscribed to: one
/// delivery per event and app, for the inboxes the app shows in, its data the API's wire record cut to the app's
/// context scopes — the same as its frame would get. They go out with the webhooks' deliveries (durable, retried, in
/// order per conversation, logged), to <see cref="DashboardApp.EventEndpoint"/>.
/// </summary>
public sealed class AppServerEvents
{
    private readonly UniLinkDb db;
    private readonly ReadCache cache;
    private readonly AttachmentLinks links;
    private readonly ConversationReader reader;

    public AppServerEvents(UniLinkDb db, ReadCache cache, AttachmentLinks links, UniLinkOptions options)
    {
        this.db = db;
        this.cache = cache;
        // Sent again unchanged for as long as retries last: files' links must outlive them (as webhooks').
        this.links = links.WithLifetime((long)(options.WebhookRetryHours * 3600) + options.FileUrlSeconds);
        reader = new ConversationReader(db, cache, this.links);
    }

    /// <summary>The typed events an outbox event stands for (a conversation update names what changed).</summary>
    public static IReadOnlyList<string> TypesOf(OutboxEvent e)
    {
        switch (e.Event)
        {
            case WebhookEvents.MessageCreated: return [AppEventTypes.MessageCreated];
            case WebhookEvents.MessageUpdated: return [AppEventTypes.MessageUpdated];
            case WebhookEvents.ConversationStatusChanged: return [AppEventTypes.StatusChanged];
            case WebhookEvents.ContactUpdated: return [AppEventTypes.ContactUpdated];
            case WebhookEvents.ConversationUpdated:
                var changed = ChangedNames(e);
                var types = new List<string>();
                if (changed.Contains("assignee_id") || changed.Contains("team_id")) types.Add(AppEventTypes.Assigned);
                if (changed.Contains("label_list")) types.Add(AppEventTypes.LabelsChanged);
                if (changed.Contains("custom_attributes")) types.Add(AppEventTypes.CustomAttributesChanged);
                return types;
            default: return [];
        }
    }

    private static HashSet<string> ChangedNames(OutboxEvent e) =>
        e.ChangedAttributes is { } text && JsonNode.Parse(text) is JsonArray list
            ? list.OfType<JsonObject>().SelectMany(o => o.Select(p => p.Key)).ToHashSet(StringComparer.Ordinal)
            : [];

    /// <summary>
    /// The contact's activity time moves with each of the contact's messages (the webhook's <c>contact_updated</c> names it,
    /// as the reference's does); for an app that message is the news, <c>message.created</c>, not a changed contact.
    /// </summary>
    public static bool NoNewsToApps(string contactField) => contactField == "last_activity_at";

    /// <summary>The contact fields each scope covers; a change to only withheld fields is no news to the app.</summary>
    private static string? ScopeOfContactField(string name) => name switch
    {
        "name" or "identifier" or "thumbnail" or "avatar_url" => ContextScopes.ContactIdentity,
        "email" or "phone_number" => ContextScopes.ContactEmailPhone,
        "custom_attributes" or "additional_attributes" => ContextScopes.ContactAttributes,
        _ => null,
    };

    public async Task<List<WebhookDelivery>> DeliveriesAsync(IReadOnlyList<OutboxEvent> events, DateTime now, long nowMs, long retryUntil, CancellationToken ct)
    {
        var typed = events.Select(e => (Event: e, Types: TypesOf(e))).Where(x => x.Types.Count > 0).ToList();
        if (typed.Count == 0) return [];
        var accountIds = typed.Select(x => x.Event.AccountId).Distinct().ToArray();
        var apps = await db.DashboardApps.AsNoTracking()
            .Where(a => accountIds.Contains(a.AccountId) && a.EventEndpoint != null && a.EventEndpoint != "" && a.EventTypes != "").OrderBy(a => a.Id).ToListAsync(ct);
        if (apps.Count == 0) return [];
        var subscriptions = apps.ToDictionary(a => a.Id, a => AppSettings.EventTypesOf(a).ToHashSet(StringComparer.Ordinal));
        typed = typed.Where(x => apps.Any(a => a.AccountId == x.Event.AccountId && x.Types.Any(subscriptions[a.Id].Contains))).ToList();
        if (typed.Count == 0) return [];

        var messageIds = typed.Select(x => x.Event.MessageId).OfType<int>().Distinct().ToArray();
        var messages = messageIds.Length == 0 ? [] : await db.Messages.AsNoTracking().Where(m => messageIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var conversations = new Dictionary<int, (Conversation Entity, ConversationJson Json)>();
        foreach (var group in typed.Where(x => x.Event.ConversationId is not null).GroupBy(x => x.Event.AccountId))
        {
            var ids = group.Select(x => x.Event.ConversationId!.Value).Distinct().ToArray();
            var found = await reader.Query(group.Key).Where(c => ids.Contains(c.Id)).ToListAsync(ct);
            var json = await reader.ToJsonAsync(found, ct);
            for (var i = 0; i < found.Count; i++) conversations[found[i].Id] = (found[i], json[i]);
        }
        var senders = await MessageSenders.LoadAsync(db, cache, links, messages.Values, ct);
        var contactIds = typed.Where(x => x.Event.Event == WebhookEvents.ContactUpdated).Select(x => x.Event.ContactId).OfType<int>().Distinct().ToArray();
        var contacts = contactIds.Length == 0 ? [] : await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var contactInboxes = contactIds.Length == 0 ? [] : (await db.ContactInboxes.AsNoTracking().Where(l => contactIds.Contains(l.ContactId))
                .Select(l => new { l.ContactId, l.InboxId }).ToListAsync(ct))
            .GroupBy(l => l.ContactId).ToDictionary(g => g.Key, g => g.Select(l => l.InboxId).ToHashSet());

        var deliveries = new List<WebhookDelivery>();
        foreach (var (e, types) in typed)
        {
            foreach (var app in apps.Where(a => a.AccountId == e.AccountId))
            {
                var withheld = ContextScopes.WithheldOf(app);
                foreach (var type in types.Where(subscriptions[app.Id].Contains))
                {
                    if (DataFor(e, type, app, withheld) is not var (data, orderKey)) continue;
                    var payload = JsonSerializer.Serialize(new AppServerEventMessage(AppEventMessage.Name, type, data, e.AccountId, app.Id), WireJson.Options);
                    deliveries.Add(new WebhookDelivery
                    {
                        AccountId = e.AccountId, EventId = e.Id, Event = type, TargetKind = DeliveryTargets.DashboardApp, TargetId = app.Id,
                        OrderKey = orderKey, DeliveryKey = Guid.NewGuid().ToString(), Payload = payload, NextAttemptAt = nowMs, RetryUntil = retryUntil,
                        CreatedAt = now,
                    });
                }
            }
        }
        return deliveries;

        (object Data, string OrderKey)? DataFor(OutboxEvent e, string type, DashboardApp app, IReadOnlySet<string> withheld)
        {
            if (type == AppEventTypes.ContactUpdated)
            {
                if (e.ContactId is not { } contactId || !contacts.TryGetValue(contactId, out var contact) || contact.AccountId != e.AccountId) return null;
                var inboxes = AppSettings.InboxIdsOf(app);
                if (inboxes.Count > 0 && !(contactInboxes.TryGetValue(contactId, out var its) && inboxes.Any(its.Contains))) return null;
                var changed = ChangedNames(e);
                if (changed.Count > 0 && changed.All(n => NoNewsToApps(n) || ScopeOfContactField(n) is { } scope && withheld.Contains(scope))) return null;
                return (ContextScopes.Contact(contact.ToJson(), withheld), $"contact:{contact.Id}");
            }
            if (e.ConversationId is not { } conversationId || !conversations.TryGetValue(conversationId, out var c)) return null;
            if (!AppSettings.ShowsInInbox(app, c.Entity.InboxId)) return null;
            var orderKey = $"conversation:{conversationId}";
            switch (type)
            {
                case AppEventTypes.MessageCreated or AppEventTypes.MessageUpdated:
                    if (e.MessageId is not { } messageId || !messages.TryGetValue(messageId, out var message) || message.ConversationId != conversationId) return null;
                    var json = senders.ToJson(message, c.Entity.DisplayId);
                    return ContextScopes.Shows(json, withheld) ? (ContextScopes.Message(json, withheld), orderKey) : null;
                case AppEventTypes.CustomAttributesChanged when withheld.Contains(ContextScopes.ConversationAttributes):
                    return null;
                default:
                    return (AppEventSource.ConversationRecord(ContextScopes.Conversation(c.Json, withheld)), orderKey);
            }
        }
    }
}
