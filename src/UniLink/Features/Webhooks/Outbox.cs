using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using UniLink.Features.Contacts;
using UniLink.Features.Messages;

namespace UniLink.Features.Webhooks;

/// <summary>
/// Adds outbox rows to the caller's unit of work, so they commit (or roll back) with the change itself. Only the
/// facts are stored; the worker builds the payload from the wire records when it fans the event out.
/// </summary>
public static class Outbox
{
    public static void Conversation(UniLinkDb db, Conversation c, string evt, string? changedAttributes = null) =>
        db.Set<OutboxEvent>().Add(new OutboxEvent
        {
            AccountId = c.AccountId, Event = evt, ConversationId = c.Id, ChangedAttributes = changedAttributes, CreatedAt = UnixTime.Now(),
        });

    /// <summary>
    /// The reference's <c>conversation_typing_on</c>/<c>_off</c>: who (an agent, a bot or the contact) and whether it is a
    /// private note being typed; the payload names them as the reference's <c>user.webhook_data</c>.
    /// </summary>
    public static void Typing(UniLinkDb db, Conversation c, bool on, Actor who, bool isPrivate) =>
        db.Set<OutboxEvent>().Add(new OutboxEvent
        {
            AccountId = c.AccountId, Event = on ? WebhookEvents.ConversationTypingOn : WebhookEvents.ConversationTypingOff, ConversationId = c.Id,
            Detail = new JsonObject { ["sender_type"] = who.SenderType, ["sender_id"] = who.SenderId, ["name"] = who.Name, ["is_private"] = isPrivate }.ToJsonString(),
            CreatedAt = UnixTime.Now(),
        });

    /// <summary>
    /// The reference's <c>webwidget_triggered</c>: a visitor opened the website widget. The payload is the contact inbox's
    /// <c>webhook_data</c> (contact, inbox, account, current conversation, source_id) with the widget's <c>event_info</c>.
    /// </summary>
    public static void WidgetTriggered(UniLinkDb db, int accountId, ContactInbox link, JsonObject eventInfo) =>
        db.Set<OutboxEvent>().Add(new OutboxEvent
        {
            AccountId = accountId, Event = WebhookEvents.WebwidgetTriggered, ContactId = link.ContactId,
            Detail = new JsonObject { ["contact_inbox_id"] = link.Id, ["event_info"] = eventInfo.DeepClone() }.ToJsonString(),
            CreatedAt = UnixTime.Now(),
        });

    /// <summary>The message may be unsaved: EF fills its id in the same SaveChanges.</summary>
    public static void Message(UniLinkDb db, Message m, string evt) =>
        db.Set<OutboxEvent>().Add(new OutboxEvent
        {
            AccountId = m.AccountId, Event = evt, ConversationId = m.ConversationId, Message = m, CreatedAt = UnixTime.Now(),
        });

    /// <summary>The contact may be unsaved: EF fills its id in the same SaveChanges.</summary>
    public static void Contact(UniLinkDb db, Contact c, string evt, string? changedAttributes = null) =>
        db.Set<OutboxEvent>().Add(new OutboxEvent
        {
            AccountId = c.AccountId, Event = evt, Contact = c, ChangedAttributes = changedAttributes, CreatedAt = UnixTime.Now(),
        });

    /// <summary>
    /// The reference's <c>changed_attributes</c>: <c>[{"status": {"previous_value": "open", "current_value": "resolved"}}]</c>,
    /// from what EF sees modified on <paramref name="entry"/> (wire names; <c>updated_at</c> is left out). Null when nothing changed.
    /// </summary>
    public static string? ChangedAttributes(EntityEntry entry, params string[] ignored)
    {
        var changes = new JsonArray();
        foreach (var p in entry.Properties)
        {
            if (!p.IsModified || Equals(p.OriginalValue, p.CurrentValue)) continue;
            var name = WireName(p.Metadata.Name);
            if (name is "updated_at" || ignored.Contains(name)) continue;
            changes.Add(new JsonObject
            {
                [name] = new JsonObject { ["previous_value"] = WireValue(p.OriginalValue), ["current_value"] = WireValue(p.CurrentValue) },
            });
        }
        return changes.Count == 0 ? null : changes.ToJsonString();
    }

    private static string WireName(string property) => property switch
    {
        "AssigneeId" => "assignee_id",
        _ => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(property),
    };

    private static JsonNode? WireValue(object? value) => value switch
    {
        null => null,
        ConversationStatus s => ConversationReader.StatusName(s),
        DateTime d => UnixTime.Seconds(d),
        string s when s.StartsWith('{') => JsonText.Object(s),
        string s => s,
        bool b => b,
        int i => i,
        long l => l,
        _ => value.ToString(),
    };
}
