using System.Text.Json.Nodes;
using UniLink.Features.Contacts;
using UniLink.Features.Messages;
using UniLink.Features.Webhooks;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Conversations;

/// <summary>What a new conversation starts with; validated by the caller.</summary>
public sealed record NewConversation(
    int InboxId,
    int ContactId,
    int? ContactInboxId = null,
    ConversationStatus Status = ConversationStatus.Open,
    int? AssigneeId = null,
    string? AdditionalAttributes = null,
    string? CustomAttributes = null,
    MessageDraft? FirstMessage = null);

/// <summary>Who a conversation goes to: an agent, a team or both (a part not changed is left as it is).</summary>
public sealed record Assignment(bool ChangesAgent, int? AgentId, bool ChangesTeam, int? TeamId)
{
    public static Assignment Agent(int? agentId) => new(true, agentId, false, null);

    public static Assignment Team(int? teamId) => new(false, null, true, teamId);
}

/// <summary>
/// Every conversation write goes through here, so that the API, the dashboard and apps behave alike: one
/// transaction per change, the activity message the reference writes, then a live event.
/// </summary>
public sealed class ConversationService(UniLinkDb db, LiveBus live, MessageService messages, Attachments.StoredFiles stored)
{
    /// <summary>
    /// A conversation as a client asks for it (<see cref="ConversationInput"/>): the inbox, the contact (found by its
    /// <c>source_id</c> in that inbox, or by id, and linked to the inbox if it was not) and the assignee must be the
    /// account's; nothing is written for a refused one.
    /// </summary>
    public async Task<WriteResult<Conversation>> CreateAsync(int accountId, ConversationInput input, Actor actor, CancellationToken ct = default)
    {
        var status = ConversationStatus.Open;
        if (input.Status is not null)
        {
            if (ConversationStatuses.Parse(input.Status) is not { } parsed) return UnknownStatus(input.Status);
            status = parsed;
        }
        if (!await db.Inboxes.AnyAsync(i => i.Id == input.InboxId && i.AccountId == accountId, ct))
            return new WriteProblem("Inbox is not an inbox of this account", "inbox_id");
        var contactInbox = input.SourceId is null ? null
            : await db.ContactInboxes.Include(ci => ci.Contact)
                .FirstOrDefaultAsync(ci => ci.InboxId == input.InboxId && ci.SourceId == input.SourceId && ci.Contact.AccountId == accountId, ct);
        var contact = contactInbox?.Contact
            ?? (input.ContactId is { } contactId ? await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId && c.AccountId == accountId, ct) : null);
        if (contact is null) return new WriteProblem("Contact is not a contact of this account", "contact_id");
        if (input.AssigneeId is { } assigneeId && !await db.AccountUsers.AnyAsync(m => m.AccountId == accountId && m.UserId == assigneeId, ct))
            return new WriteProblem("Assignee is not an agent of this account", "assignee_id");
        if (input.Message is { } message && MessageService.Problem(message) is { } messageProblem) return messageProblem;

        contactInbox ??= await db.ContactInboxes.FirstOrDefaultAsync(ci => ci.ContactId == contact.Id && ci.InboxId == input.InboxId, ct);
        if (contactInbox is null)
        {
            contactInbox = new ContactInbox
            {
                ContactId = contact.Id, InboxId = input.InboxId, SourceId = input.SourceId ?? Guid.NewGuid().ToString(), CreatedAt = UnixTime.Now(),
            };
            db.ContactInboxes.Add(contactInbox);
            await db.SaveChangesAsync(ct);
        }
        return await CreateAsync(accountId, new NewConversation(input.InboxId, contact.Id, contactInbox.Id, status, input.AssigneeId,
            input.AdditionalAttributes is null ? null : JsonText.Serialize(input.AdditionalAttributes),
            input.CustomAttributes is null ? null : JsonText.Serialize(input.CustomAttributes),
            input.Message is { } first ? new MessageDraft(first.Content, MessageType.Outgoing) : null), actor, ct);
    }

    /// <summary>A conversation whose parts the caller has checked (the widget's and the public API's own).</summary>
    public async Task<Conversation> CreateAsync(int accountId, NewConversation input, Actor actor, CancellationToken ct = default)
    {
        var now = UnixTime.Now();
        // As the reference: while an agent bot is connected to the inbox, a new conversation waits for it (pending).
        var status = await db.Inboxes.AnyAsync(i => i.Id == input.InboxId && i.AgentBotId != null, ct) ? ConversationStatus.Pending : input.Status;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var displayId = await NextDisplayIdAsync(accountId, ct);
        var assigneeId = input.AssigneeId
            ?? (status == ConversationStatus.Open ? await AutoAssignment.PickAsync(db, accountId, input.InboxId, ct) : null);
        var conversation = new Conversation
        {
            AccountId = accountId,
            DisplayId = displayId,
            InboxId = input.InboxId,
            ContactId = input.ContactId,
            ContactInboxId = input.ContactInboxId,
            Status = status,
            AssigneeId = assigneeId,
            AdditionalAttributes = input.AdditionalAttributes ?? "{}",
            CustomAttributes = input.CustomAttributes ?? "{}",
            LastActivityAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Conversations.Add(conversation);
        await db.SaveChangesAsync(ct);
        Outbox.Conversation(db, conversation, WebhookEvents.ConversationCreated);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.ConversationChanged, displayId));
        if (input.FirstMessage is { } first) await messages.CreateAsync(conversation, first, actor, ct);
        return conversation;
    }

    /// <summary>Bumps the account's counter inside the caller's transaction; two nodes never get the same id.</summary>
    private async Task<int> NextDisplayIdAsync(int accountId, CancellationToken ct)
    {
        var ids = await db.Database.SqlQuery<int>(
            $"""UPDATE "Accounts" SET "LastConversationDisplayId" = "LastConversationDisplayId" + 1 WHERE "Id" = {accountId} RETURNING "LastConversationDisplayId" AS "Value" """)
            .ToListAsync(ct);
        return ids.Single();
    }

    private static WriteProblem UnknownStatus(string name) => new($"Status '{name}' is not one of open, resolved, pending, snoozed", "status");

    /// <summary>
    /// The reference's toggle_status: the status asked for (a snooze until the time given, if any), or without one an open
    /// conversation resolved and any other reopened.
    /// </summary>
    public async Task<WriteResult<Conversation>> ToggleStatusAsync(Conversation conversation, StatusChange change, Actor actor, CancellationToken ct = default)
    {
        ConversationStatus status;
        if (change.Status is null) status = conversation.Status == ConversationStatus.Open ? ConversationStatus.Resolved : ConversationStatus.Open;
        else if (ConversationStatuses.Parse(change.Status) is { } parsed) status = parsed;
        else return UnknownStatus(change.Status);
        DateTime? until = null;
        if (change.SnoozedUntil is { } unix)
        {
            if (unix is < 0 or > 253402300799) return new WriteProblem("Snoozed until is not a valid unix time", "snoozed_until");
            until = DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime;
        }
        return await SetStatusAsync(conversation, status, until, actor, ct);
    }

    /// <summary>
    /// A contact ends their conversation (the public API's and the widget's toggle_status): it is resolved, as by an agent,
    /// with the same activity message and events; an already resolved one stays as it is (a contact never reopens it).
    /// </summary>
    public async Task<Conversation> ResolveForContactAsync(Conversation conversation, Actor contact, CancellationToken ct = default) =>
        conversation.Status == ConversationStatus.Resolved ? conversation
            : await SetStatusAsync(conversation, ConversationStatus.Resolved, null, contact, ct);

    public async Task<Conversation> SetStatusAsync(Conversation conversation, ConversationStatus status, DateTime? snoozedUntil, Actor actor, CancellationToken ct = default) =>
        await ChangeAsync(conversation, actor, (c, now) =>
        {
            if (c.Status == status && c.SnoozedUntil == snoozedUntil) return null;
            c.Status = status;
            c.SnoozedUntil = status == ConversationStatus.Snoozed ? snoozedUntil : null;
            return status switch
            {
                ConversationStatus.Resolved => $"Conversation was marked resolved by {actor.Name}",
                ConversationStatus.Pending => $"Conversation was marked as pending by {actor.Name}",
                ConversationStatus.Snoozed => $"Conversation was snoozed by {actor.Name}",
                _ => $"Conversation was reopened by {actor.Name}",
            };
        }, ct);

    /// <summary>Sets the priority; null or "none" clears it, and anything but the reference's priorities is refused.</summary>
    public async Task<WriteResult<Conversation>> SetPriorityAsync(Conversation conversation, string? priority, Actor actor, CancellationToken ct = default)
    {
        if (priority is "none") priority = null;
        if (priority is not null && !ConversationPriorities.All.Contains(priority))
            return new WriteProblem($"Priority '{priority}' is not one of none, {string.Join(", ", ConversationPriorities.All)}", "priority");
        return await ChangeAsync(conversation, actor, (c, _) =>
        {
            var previous = c.Priority;
            if (previous == priority) return null;
            c.Priority = priority;
            return (previous, priority) switch
            {
                (_, null) => $"{actor.Name} removed the priority",
                (null, _) => $"{actor.Name} set the priority to {priority}",
                _ => $"{actor.Name} changed the priority from {previous} to {priority}",
            };
        }, ct);
    }

    /// <summary>
    /// Assigns an agent and/or a team of the conversation's account (null or 0 takes the conversation from its agent or team);
    /// anyone or any team of another account is refused and nothing changes. The answer's <see cref="Conversation.Assignee"/>
    /// and <see cref="Conversation.Team"/> are loaded.
    /// </summary>
    public async Task<WriteResult<Conversation>> AssignAsync(Conversation conversation, Assignment change, Actor actor, CancellationToken ct = default)
    {
        var agentId = change.AgentId is 0 ? null : change.AgentId;
        var teamId = change.TeamId is 0 ? null : change.TeamId;
        var agent = change.ChangesAgent && agentId is not null
            ? await db.AccountUsers.Where(m => m.AccountId == conversation.AccountId && m.UserId == agentId).Select(m => m.User).FirstOrDefaultAsync(ct)
            : null;
        if (change.ChangesAgent && agentId is not null && agent is null) return new WriteProblem("Assignee is not an agent of this account", "assignee_id");
        var team = change.ChangesTeam && teamId is not null
            ? await db.Teams.FirstOrDefaultAsync(t => t.Id == teamId && t.AccountId == conversation.AccountId, ct)
            : null;
        if (change.ChangesTeam && teamId is not null && team is null) return new WriteProblem("Team is not a team of this account", "team_id");
        if (change.ChangesTeam) conversation = await SetTeamAsync(conversation, team, actor, ct);
        if (change.ChangesAgent) conversation = await SetAgentAsync(conversation, agent, actor, ct);
        return conversation;
    }

    private async Task<Conversation> SetAgentAsync(Conversation conversation, User? agent, Actor actor, CancellationToken ct) =>
        await ChangeAsync(conversation, actor, (c, _) =>
        {
            c.Assignee = agent;
            if (c.AssigneeId == agent?.Id) return null;
            c.AssigneeId = agent?.Id;
            c.AssigneeLastSeenAt = null;
            if (agent is null) return $"Conversation unassigned by {actor.Name}";
            return actor.SenderType == SenderTypes.User && actor.SenderId == agent.Id
                ? $"{actor.Name} self-assigned this conversation"
                : $"Assigned to {agent.Name} by {actor.Name}";
        }, ct);

    private async Task<Conversation> SetTeamAsync(Conversation conversation, Teams.Team? team, Actor actor, CancellationToken ct)
    {
        var previous = conversation.TeamId is { } previousId && previousId != team?.Id
            ? await db.Teams.Where(t => t.Id == previousId).Select(t => t.Name).FirstOrDefaultAsync(ct)
            : null;
        return await ChangeAsync(conversation, actor, (c, _) =>
        {
            c.Team = team;
            if (c.TeamId == team?.Id) return null;
            c.TeamId = team?.Id;
            return team is null
                ? $"Unassigned from {previous} by {actor.Name}"
                : $"Assigned to {team.Name} by {actor.Name}";
        }, ct);
    }

    /// <summary>Replaces the labels; the activity line names what was added and removed.</summary>
    public async Task<WriteResult<Conversation>> SetLabelsAsync(Conversation conversation, IReadOnlyCollection<string> labels, Actor actor, CancellationToken ct = default)
    {
        if (labels.FirstOrDefault(l => !Labels.LabelRules.IsValidTitle(l)) is { } invalid)
            return new WriteProblem($"Label '{invalid}' may only contain letters, digits, '-' and '_'", "labels");
        labels = labels.Select(l => l.ToLowerInvariant()).Distinct().ToList();
        var now = UnixTime.Now();
        var tracked = await db.Conversations.Include(c => c.Labels).FirstAsync(c => c.Id == conversation.Id, ct);
        var before = tracked.Labels.Select(l => l.Title).ToHashSet(StringComparer.Ordinal);
        var after = labels.ToHashSet(StringComparer.Ordinal);
        var added = after.Except(before).Order(StringComparer.Ordinal).ToList();
        var removed = before.Except(after).Order(StringComparer.Ordinal).ToList();
        if (added.Count == 0 && removed.Count == 0) return tracked;
        tracked.Labels.RemoveAll(l => removed.Contains(l.Title));
        tracked.Labels.AddRange(added.Select(t => new ConversationLabel { ConversationId = tracked.Id, Title = t }));
        tracked.UpdatedAt = now;
        if (added.Count > 0) messages.AddActivity(tracked, $"{actor.Name} added {string.Join(", ", added)}", now);
        if (removed.Count > 0) messages.AddActivity(tracked, $"{actor.Name} removed {string.Join(", ", removed)}", now);
        Outbox.Conversation(db, tracked, WebhookEvents.ConversationUpdated, new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["label_list"] = new System.Text.Json.Nodes.JsonObject
            {
                ["previous_value"] = new System.Text.Json.Nodes.JsonArray([.. before.Order(StringComparer.Ordinal).Select(t => (System.Text.Json.Nodes.JsonNode?)t)]),
                ["current_value"] = new System.Text.Json.Nodes.JsonArray([.. after.Order(StringComparer.Ordinal).Select(t => (System.Text.Json.Nodes.JsonNode?)t)]),
            },
        }).ToJsonString());
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(tracked.AccountId, LiveEvent.ConversationChanged, tracked.DisplayId));
        return tracked;
    }

    /// <summary>Merges the given keys into the conversation's custom attributes (a null value removes the key).</summary>
    public async Task<Conversation> MergeCustomAttributesAsync(Conversation conversation, JsonObject changes, Actor actor, CancellationToken ct = default) =>
        await ChangeAsync(conversation, actor, (c, _) =>
        {
            var attributes = JsonText.Object(c.CustomAttributes);
            foreach (var (key, value) in changes)
            {
                if (value is null) attributes.Remove(key);
                else attributes[key] = value.DeepClone();
            }
            c.CustomAttributes = JsonText.Serialize(attributes);
            return null;
        }, ct, alwaysSave: true);

    /// <summary>The agent has seen the conversation: unread counts drop to zero, and the visitor's widget shows it read.</summary>
    public async Task<Conversation> MarkSeenAsync(Conversation conversation, int userId, CancellationToken ct = default) =>
        await ChangeAsync(conversation, Actor.System, (c, now) =>
        {
            c.AgentLastSeenAt = now;
            if (c.AssigneeId == userId) c.AssigneeLastSeenAt = now;
            return null;
        }, ct, alwaysSave: true, touch: false, kind: LiveEvent.ConversationSeen, events: false, whoType: SenderTypes.User);

    public async Task<Conversation> SetMutedAsync(Conversation conversation, bool muted, Actor actor, CancellationToken ct = default) =>
        await ChangeAsync(conversation, actor, (c, _) =>
        {
            if (c.Muted == muted) return null;
            c.Muted = muted;
            if (!muted) return $"{actor.Name} has unmuted the conversation";
            c.Status = ConversationStatus.Resolved;
            c.SnoozedUntil = null;
            return $"{actor.Name} has muted the conversation";
        }, ct);

    /// <summary>The contact has seen the conversation (the client API's update_last_seen).</summary>
    public async Task<Conversation> MarkContactSeenAsync(Conversation conversation, CancellationToken ct = default) =>
        await ChangeAsync(conversation, Actor.System, (c, now) =>
        {
            c.ContactLastSeenAt = now;
            return null;
        }, ct, alwaysSave: true, touch: false, kind: LiveEvent.ConversationSeen);

    /// <summary>
    /// Deletes the conversation with its messages, labels and files (as the reference's destroy): the files' keys are read in
    /// the deleting transaction and the bytes removed once it committed.
    /// </summary>
    public async Task DeleteAsync(Conversation conversation, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = db.Conversations.Where(c => c.Id == conversation.Id && c.AccountId == conversation.AccountId);
        var keys = await Attachments.StoredFiles.KeysOfAsync(Attachments.StoredFiles.InConversations(db, row.Select(c => c.Id)), ct);
        await row.ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        await stored.RemoveAsync(keys);
        live.Publish(new LiveEvent(conversation.AccountId, LiveEvent.ConversationChanged, conversation.DisplayId));
    }

    /// <summary>
    /// Someone is typing (or stopped): open dashboards show it, and the reference's <c>conversation_typing_on</c>/<c>_off</c>
    /// goes to the account's webhooks and the API inbox's webhook_url (not to agent bots, as the reference).
    /// </summary>
    public async Task TypingAsync(Conversation conversation, bool on, Actor who, bool isPrivate, CancellationToken ct = default)
    {
        Outbox.Typing(db, conversation, on, who, isPrivate);
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(conversation.AccountId, on ? LiveEvent.TypingOn : LiveEvent.TypingOff, conversation.DisplayId, who.Name, who.SenderType));
    }

    /// <summary>Loads the row, applies the change, writes its activity line (if any) and publishes.</summary>
    private async Task<Conversation> ChangeAsync(Conversation conversation, Actor actor, Func<Conversation, DateTime, string?> change,
        CancellationToken ct, bool alwaysSave = false, bool touch = true, string kind = LiveEvent.ConversationChanged, bool events = true,
        string? whoType = null)
    {
        var now = UnixTime.Now();
        var tracked = await db.Conversations.FirstAsync(c => c.Id == conversation.Id, ct);
        var statusBefore = tracked.Status;
        var activity = change(tracked, now);
        if (activity is null && !alwaysSave) return tracked;
        if (touch) tracked.UpdatedAt = now;
        if (activity is not null) messages.AddActivity(tracked, activity, now);
        // The reference's conversation_updated (and conversation_status_changed), in this transaction.
        if (events && Outbox.ChangedAttributes(db.Entry(tracked)) is { } changed)
        {
            if (tracked.Status != statusBefore) Outbox.Conversation(db, tracked, WebhookEvents.ConversationStatusChanged, changed);
            Outbox.Conversation(db, tracked, WebhookEvents.ConversationUpdated, changed);
        }
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(tracked.AccountId, kind, tracked.DisplayId, WhoType: whoType));
        return tracked;
    }
}
