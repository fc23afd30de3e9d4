using System.Text.Json;
using System.Text.Json.Serialization;
using UniLink.Features.Contacts;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Features.Messages;

namespace UniLink.Features.DashboardApps.Events;

/// <summary>The typed events an app's frame can subscribe to (<c>unilink:subscribe</c>) and receive as <c>unilink:event</c>.</summary>
public static class AppEventTypes
{
    public const string MessageCreated = "message.created";
    public const string MessageUpdated = "message.updated";
    public const string StatusChanged = "conversation.status_changed";
    public const string Assigned = "conversation.assigned";
    public const string LabelsChanged = "conversation.labels_changed";
    public const string CustomAttributesChanged = "conversation.custom_attributes_changed";
    public const string ContactUpdated = "contact.updated";
    /// <summary>Sent by the browser itself (debounced), from the reply box.</summary>
    public const string DraftChanged = "reply.draft_changed";
    public const string Switched = "conversation.switched";

    public static readonly string[] All =
        [MessageCreated, MessageUpdated, StatusChanged, Assigned, LabelsChanged, CustomAttributesChanged, ContactUpdated, DraftChanged, Switched];

    /// <summary>The events an app's server can subscribe to (<see cref="DashboardApp.EventEndpoint"/>): those about the
    /// account's data; the draft and the switch belong to one agent's browser.</summary>
    public static readonly string[] Server =
        [MessageCreated, MessageUpdated, StatusChanged, Assigned, LabelsChanged, CustomAttributesChanged, ContactUpdated];
}

/// <summary><c>{"event":"unilink:event","type":…,"data":…}</c>: data is the API's wire record (a message, a conversation, a contact).</summary>
public sealed record AppEventMessage(string Event, string Type, object Data)
{
    public const string Name = "unilink:event";
    public static string Serialize(string type, object data) => JsonSerializer.Serialize(new AppEventMessage(Name, type, data), WireJson.Options);
}

/// <summary>One event for one app: its type and the message to post.</summary>
public sealed record AppEvent(string Type, string Json);

/// <summary>
/// The events of one agent's open conversation, found by comparing each context built for its apps with the one
/// before (so every way a conversation changes — API, dashboard, another agent, an app, a rule — is seen the same
/// way), then cut to what each app may see: an app only hears of a message, contact field or attribute that its
/// <see cref="ContextScopes"/> would show it, and the event carries the record as its context would.
/// </summary>
public sealed class AppEventSource
{
    private sealed record Change(string Type, int MessageId = 0);

    private int? _conversationId;
    private int _newestMessageId;
    private Dictionary<int, string> _messageKeys = [];
    private string _status = "", _assignment = "", _labels = "", _attributes = "", _contact = "";
    private readonly Dictionary<int, string> _contactByApp = [];
    private IReadOnlyList<Change> _changes = [];

    /// <summary>Forgets the last context (no app has a frame any more): the next one is a new start, not a change.</summary>
    public void Reset()
    {
        _conversationId = null;
        _changes = [];
    }

    /// <summary>Takes the next context of the open conversation (unscoped) and finds what changed since the last one.</summary>
    public void Next(AppContextData data)
    {
        var c = data.Conversation;
        var messageKeys = c.Messages.ToDictionary(m => m.Id, MessageKey);
        var status = $"{c.Status}|{c.SnoozedUntil}";
        var assignment = $"{c.Meta.Assignee?.Id}|{c.Meta.Team?.Id}";
        var labels = string.Join(',', c.Labels);
        var attributes = c.CustomAttributes.ToJsonString();
        // As AppServerEvents.NoNewsToApps: the activity time alone changing is not a contact.updated.
        var contact = JsonSerializer.Serialize(data.Contact is ContactJson known ? known with { LastActivityAt = null } : data.Contact, WireJson.Options);
        var changes = new List<Change>();
        if (_conversationId is { } previous && previous != c.Id) changes.Add(new Change(AppEventTypes.Switched));
        else if (_conversationId is not null)
        {
            foreach (var m in c.Messages)
            {
                if (m.Id > _newestMessageId) changes.Add(new Change(AppEventTypes.MessageCreated, m.Id));
                else if (_messageKeys.TryGetValue(m.Id, out var before) && before != messageKeys[m.Id]) changes.Add(new Change(AppEventTypes.MessageUpdated, m.Id));
            }
            if (status != _status) changes.Add(new Change(AppEventTypes.StatusChanged));
            if (assignment != _assignment) changes.Add(new Change(AppEventTypes.Assigned));
            if (labels != _labels) changes.Add(new Change(AppEventTypes.LabelsChanged));
            if (attributes != _attributes) changes.Add(new Change(AppEventTypes.CustomAttributesChanged));
            if (contact != _contact) changes.Add(new Change(AppEventTypes.ContactUpdated));
        }
        var newest = c.Messages.Count == 0 ? 0 : c.Messages.Max(m => m.Id);
        if (_conversationId != c.Id)
        {
            _contactByApp.Clear();
            _newestMessageId = newest;
        }
        else _newestMessageId = Math.Max(_newestMessageId, newest);
        _conversationId = c.Id;
        (_messageKeys, _status, _assignment, _labels, _attributes, _contact) = (messageKeys, status, assignment, labels, attributes, contact);
        _changes = changes;
    }

    /// <summary>The last changes as <paramref name="app"/> may hear of them, given its context (<paramref name="scoped"/>, already cut to its scopes).</summary>
    public IReadOnlyList<AppEvent> For(DashboardApp app, AppContextData scoped)
    {
        var contact = JsonSerializer.Serialize(scoped.Contact, WireJson.Options);
        var contactBefore = _contactByApp.GetValueOrDefault(app.Id);
        _contactByApp[app.Id] = contact;
        if (_changes.Count == 0) return [];
        var withheld = ContextScopes.WithheldOf(app);
        var events = new List<AppEvent>();
        foreach (var change in _changes)
        {
            switch (change.Type)
            {
                case AppEventTypes.MessageCreated or AppEventTypes.MessageUpdated:
                    if (scoped.Conversation.Messages.FirstOrDefault(m => m.Id == change.MessageId) is { } message)
                        events.Add(new AppEvent(change.Type, AppEventMessage.Serialize(change.Type, message)));
                    break;
                case AppEventTypes.CustomAttributesChanged when withheld.Contains(ContextScopes.ConversationAttributes):
                    break;
                case AppEventTypes.ContactUpdated:
                    // Only when what the app sees of the contact changed (a withheld field changing is no news to it).
                    if (contactBefore is not null && contactBefore != contact)
                        events.Add(new AppEvent(change.Type, AppEventMessage.Serialize(change.Type, scoped.Contact)));
                    break;
                default:
                    events.Add(new AppEvent(change.Type, AppEventMessage.Serialize(change.Type, ConversationRecord(scoped.Conversation))));
                    break;
            }
        }
        return events;
    }

    /// <summary>The API's conversation record: <c>messages</c> holds the latest message only, without the dashboard's flags.</summary>
    public static ConversationJson ConversationRecord(ConversationJson c) =>
        c with { Messages = c.Messages.Count == 0 ? [] : [c.Messages[^1]], ClientFlags = null };

    /// <summary>What makes a message "changed": everything but its sender (a contact's edit is its own event) and its
    /// files' links (signed anew each time).</summary>
    private static string MessageKey(MessageJson m) =>
        JsonSerializer.Serialize(m with { Sender = null, Attachments = null }, WireJson.Options)
        + "|" + string.Join(',', m.Attachments?.Select(a => a.Id) ?? []);
}

/// <summary>An event waiting to be posted to an app's frames, in the order they happened (<see cref="Seq"/>).</summary>
public sealed record QueuedAppEvent(long Seq, int AppId, string Type, string Json);
