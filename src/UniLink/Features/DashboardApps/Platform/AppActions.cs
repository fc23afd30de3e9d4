using System.Text.Json;
using System.Text.Json.Nodes;
using UniLink.Features.Labels;
using UniLink.Features.Messages;

namespace UniLink.Features.DashboardApps.Platform;

/// <summary>
/// The answer an app gets for every <c>unilink:action</c> it posts, with what the dashboard must do in the agent's
/// browser for a performed action that happens there (a draft, a toast, another conversation, a new tab).
/// </summary>
public sealed record AppActionResult(bool Ok, string? Error, string? InsertReply = null)
{
    /// <summary><c>insert_reply</c> with <c>replace: true</c>: <see cref="InsertReply"/> replaces the draft instead of being added to it.</summary>
    public bool ReplaceReply { get; init; }
    /// <summary><c>notify</c>: the toast to show the agent.</summary>
    public AppNotification? Notify { get; init; }
    /// <summary><c>open_conversation</c>: the display id to open.</summary>
    public int? OpenConversation { get; init; }
    /// <summary><c>open_url</c>: the URL to open in a new tab (never the dashboard's window).</summary>
    public string? OpenUrl { get; init; }

    public static AppActionResult Done() => new(true, null);
    public static AppActionResult Refused(string error) => new(false, error);
}

/// <summary>A toast an app asked the dashboard to show (<c>notify</c>).</summary>
public sealed record AppNotification(string AppTitle, string Message, string Level);

/// <summary>
/// Actions an app may ask the host to take on the open conversation, each only with the administrator's
/// permission. Denied or malformed requests change nothing; every performed action leaves an activity message
/// naming the app.
/// </summary>
public sealed class AppActions(UniLinkDb db, ConversationService conversations, MessageService messages)
{
    public const string InsertReply = "insert_reply";
    public const string AddPrivateNote = "add_private_note";
    public const string AddLabels = "add_labels";
    public const string RemoveLabels = "remove_labels";
    public const string SetCustomAttributes = "set_custom_attributes";
    public const string Assign = "assign";
    public const string SetStatus = "set_status";
    public const string SetPriority = "set_priority";
    /// <summary>Sends a reply to the customer at once: a stronger grant than <see cref="InsertReply"/>, where the agent still presses Send.</summary>
    public const string SendReply = "send_reply";
    public const string Notify = "notify";
    public const string OpenConversation = "open_conversation";
    public const string OpenUrl = "open_url";
    public static readonly string[] All = [InsertReply, AddPrivateNote, AddLabels, RemoveLabels, SetCustomAttributes,
        Assign, SetStatus, SetPriority, SendReply, Notify, OpenConversation, OpenUrl];
    /// <summary>Hooks an app may be granted: it is asked before the agent's reply leaves, or before the conversation is resolved.</summary>
    public const string BeforeSend = "before_send";
    public const string BeforeResolve = "before_resolve";
    public static readonly string[] Hooks = [BeforeSend, BeforeResolve];
    /// <summary>Every grant an administrator can give: the actions and the hooks.</summary>
    public static readonly string[] Grantable = [.. All, .. Hooks];
    public static readonly string[] NotifyLevels = ["info", "success", "warning", "error"];
    public const int MaxNotifyLength = 500;
    public const int MaxUrlLength = 2048;
    /// <summary>The furthest ahead a conversation can be snoozed by an app.</summary>
    public static readonly TimeSpan MaxSnooze = TimeSpan.FromDays(366);

    /// <summary>What the settings dialog and the consent screen call each action.</summary>
    public static string Describe(string action) => action switch
    {
        InsertReply => "Put text in the reply box",
        AddPrivateNote => "Add private notes",
        AddLabels => "Add labels",
        RemoveLabels => "Remove labels",
        SetCustomAttributes => "Set conversation custom attributes",
        Assign => "Assign the conversation to an agent or a team",
        SetStatus => "Change the status (open, pending, resolved, snoozed)",
        SetPriority => "Set the priority",
        SendReply => "Send replies to the customer without the agent pressing Send",
        Notify => "Show notifications to the agent",
        OpenConversation => "Open another conversation in the dashboard",
        OpenUrl => "Open web pages in a new tab",
        BeforeSend => "Check replies before they are sent (and block or change them)",
        BeforeResolve => "Check a conversation before it is resolved (and block it)",
        _ => action,
    };

    public const string NotInAudience = "The app is not shown to you";

    public static IReadOnlyList<string> PermissionsOf(DashboardApp app) =>
        app.Permissions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Actions that need no open conversation: an app on a contact's page, on its own page or in the background may take them.</summary>
    public static readonly string[] WithoutConversation = [Notify, OpenConversation, OpenUrl];

    /// <summary>The action <paramref name="requestJson"/> of the app, for the member <paramref name="userId"/> (who must be in
    /// the app's audience at this moment). <paramref name="conversationDisplayId"/> 0: the app is beside no conversation,
    /// and only <see cref="WithoutConversation"/> can be performed.</summary>
    public async Task<AppActionResult> PerformAsync(int accountId, int appId, int conversationDisplayId, int userId, string requestJson, CancellationToken ct = default)
    {
        JsonObject request;
        try { request = JsonNode.Parse(requestJson) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException) { return AppActionResult.Refused("The request is not a JSON object"); }
        var action = request["action"] is JsonValue a && a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : null;
        if (action is null || !All.Contains(action)) return AppActionResult.Refused($"Unknown action; expected one of {string.Join(", ", All)}");
        var payload = request["payload"] as JsonObject ?? [];

        var app = await db.DashboardApps.AsNoTracking().FirstOrDefaultAsync(x => x.Id == appId && x.AccountId == accountId, ct);
        if (app is null) return AppActionResult.Refused("The app no longer exists");
        // The audit line is added first, so the action's own save writes it in the same transaction; a refusal is saved alone.
        var entry = await Audit.AppAudit.AddAsync(db, app, Audit.AppAuditEvents.ActionPerformed, userId, ct, conversationDisplayId > 0 ? conversationDisplayId : null,
            request: new JsonObject { ["action"] = action, ["payload"] = payload.DeepClone() }.ToJsonString(), outcome: "ok");
        AppActionResult result;
        try
        {
            result = await PerformForAsync(app, action, payload, accountId, conversationDisplayId, userId, ct);
        }
        catch
        {
            if (db.Entry(entry).State == EntityState.Added) db.Entry(entry).State = EntityState.Detached;
            throw;
        }
        if (!result.Ok)
        {
            entry.Event = Audit.AppAuditEvents.ActionRefused;
            entry.Outcome = Audit.AppAudit.Clip(result.Error);
        }
        if (db.Entry(entry).State == EntityState.Added) await db.SaveChangesAsync(ct);
        return result;
    }

    private async Task<AppActionResult> PerformForAsync(DashboardApp app, string action, JsonObject payload, int accountId, int conversationDisplayId, int userId,
        CancellationToken ct)
    {
        if (await AppViewer.LoadAsync(db, accountId, userId, ct) is not { } viewer || !AppAudience.Includes(app, viewer))
            return AppActionResult.Refused(NotInAudience);
        if (!PermissionsOf(app).Contains(action)) return AppActionResult.Refused($"The app is not allowed to {action.Replace('_', ' ')}");
        if (conversationDisplayId <= 0 && !WithoutConversation.Contains(action))
            return AppActionResult.Refused($"{action} needs an open conversation; the app is not beside one");
        var conversation = conversationDisplayId <= 0 ? null : await db.Conversations.AsNoTracking().Include(c => c.Labels)
            .FirstOrDefaultAsync(c => c.AccountId == accountId && c.DisplayId == conversationDisplayId, ct);
        if (conversation is null && conversationDisplayId > 0) return AppActionResult.Refused("The conversation no longer exists");
        if (conversation is null) return await PerformWithoutConversationAsync(app, action, payload, accountId, userId, ct);

        var actor = Actor.App(app.Title);

        switch (action)
        {
            case InsertReply:
                if (Text(payload, "text") is not { } text) return AppActionResult.Refused("payload.text must be a non-empty string of at most 10000 characters");
                if (payload["replace"] is { } replaceNode && (replaceNode is not JsonValue rv || rv.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)))
                    return AppActionResult.Refused("payload.replace must be true or false");
                var replace = payload["replace"]?.GetValue<bool>() == true;
                await messages.AddActivityAsync(conversation, $"{app.Title} (app) {(replace ? "replaced the draft in" : "put a draft in")} the reply box", ct);
                return new AppActionResult(true, null, text) { ReplaceReply = replace };
            case AddPrivateNote:
                if (Text(payload, "content") is not { } note) return AppActionResult.Refused("payload.content must be a non-empty string of at most 10000 characters");
                await messages.CreateAsync(conversation, new MessageDraft(note, MessageType.Outgoing, Private: true), actor, ct);
                await messages.AddActivityAsync(conversation, $"{app.Title} (app) added a private note", ct);
                return AppActionResult.Done();
            case AddLabels or RemoveLabels:
                if (payload["labels"] is not JsonArray list || list.Count is 0 or > 20
                    || list.Any(l => l is not JsonValue v || v.GetValueKind() != JsonValueKind.String || !LabelRules.IsValidTitle(v.GetValue<string>())))
                    return AppActionResult.Refused("payload.labels must be a list of 1 to 20 label names (letters, digits, '-' and '_')");
                var names = list.Select(l => l!.GetValue<string>().ToLowerInvariant()).ToHashSet();
                var current = conversation.Labels.Select(l => l.Title).ToHashSet();
                var next = action == AddLabels ? current.Union(names).ToList() : current.Except(names).ToList();
                await conversations.SetLabelsAsync(conversation, next, new Actor($"{app.Title} (app)", null, null), ct);
                return AppActionResult.Done();
            case Assign:
                return await AssignAsync(app, conversation, payload, ct);
            case SetStatus:
                return await SetStatusAsync(conversation, payload, new Actor($"{app.Title} (app)", null, null), ct);
            case SetPriority:
                var priorityRule = $"payload.priority must be one of {string.Join(", ", ConversationPriorities.All)}, or null to remove it";
                if (!payload.ContainsKey("priority") || payload["priority"] is not null && (payload["priority"] is not JsonValue p || p.GetValueKind() != JsonValueKind.String))
                    return AppActionResult.Refused(priorityRule);
                return await conversations.SetPriorityAsync(conversation, payload["priority"]?.GetValue<string>(), new Actor($"{app.Title} (app)", null, null), ct)
                    is WriteResult<Conversation>.Rejected ? AppActionResult.Refused(priorityRule) : AppActionResult.Done();
            case SendReply:
                if (Text(payload, "content") is not { } content) return AppActionResult.Refused("payload.content must be a non-empty string of at most 10000 characters");
                if (await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Name).FirstOrDefaultAsync(ct) is not { } agentName)
                    return AppActionResult.Refused(NotInAudience);
                // The reply goes out as the agent the app acts for (the customer sees who answers them), and the activity names the app.
                await messages.CreateAsync(conversation, new MessageDraft(content, MessageType.Outgoing, Private: false), Actor.Agent(userId, agentName), ct);
                await messages.AddActivityAsync(conversation, $"{app.Title} (app) sent a reply for {agentName}", ct);
                return AppActionResult.Done();
            case Notify or OpenConversation or OpenUrl:
                return await PerformWithoutConversationAsync(app, action, payload, accountId, userId, ct);
            default: // SetCustomAttributes
                if (payload["custom_attributes"] is not JsonObject attributes || attributes.Count is 0 or > 50 || attributes.ToJsonString().Length > 16_384
                    || JsonLimits.Depth(attributes) > JsonLimits.MaxDepth)
                    return AppActionResult.Refused("payload.custom_attributes must be an object with 1 to 50 keys");
                await conversations.MergeCustomAttributesAsync(conversation, attributes, actor, ct);
                await messages.AddActivityAsync(conversation, $"{app.Title} (app) set {string.Join(", ", attributes.Select(p => p.Key))}", ct);
                return AppActionResult.Done();
        }
    }

    /// <summary>The actions that act on the agent's dashboard, not on a conversation: <see cref="WithoutConversation"/>.</summary>
    private async Task<AppActionResult> PerformWithoutConversationAsync(DashboardApp app, string action, JsonObject payload, int accountId, int userId, CancellationToken ct)
    {
        switch (action)
        {
        case Notify:
            if (Text(payload, "message") is not { Length: <= MaxNotifyLength } notice)
                return AppActionResult.Refused($"payload.message must be a non-empty string of at most {MaxNotifyLength} characters");
            var level = payload["level"] is null ? "info" : payload["level"] is JsonValue l && l.GetValueKind() == JsonValueKind.String ? l.GetValue<string>() : "";
            if (!NotifyLevels.Contains(level)) return AppActionResult.Refused($"payload.level must be one of {string.Join(", ", NotifyLevels)}");
            return AppActionResult.Done() with { Notify = new AppNotification(app.Title, notice, level) };
        case OpenConversation:
            if (payload["conversation_id"] is not JsonValue idValue || idValue.GetValueKind() != JsonValueKind.Number || !idValue.TryGetValue<int>(out var target) || target <= 0)
                return AppActionResult.Refused("payload.conversation_id must be a conversation's id (a positive whole number)");
            var other = await db.Conversations.AsNoTracking().Where(c => c.AccountId == accountId && c.DisplayId == target).Select(c => new { c.InboxId }).FirstOrDefaultAsync(ct);
            if (other is null || !await WorksInboxAsync(accountId, userId, other.InboxId, ct))
                return AppActionResult.Refused($"There is no conversation {target} you can open");
            return AppActionResult.Done() with { OpenConversation = target };
        case OpenUrl:
            if (payload["url"] is not JsonValue u || u.GetValueKind() != JsonValueKind.String || u.GetValue<string>() is not { Length: > 0 and <= MaxUrlLength } url
                || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0)
                return AppActionResult.Refused($"payload.url must be an absolute http:// or https:// URL of at most {MaxUrlLength} characters, without credentials");
            return AppActionResult.Done() with { OpenUrl = uri.AbsoluteUri };
            default:
                return AppActionResult.Refused($"{action} needs an open conversation; the app is not beside one");
        }
    }

    private async Task<AppActionResult> AssignAsync(DashboardApp app, Conversation conversation, JsonObject payload, CancellationToken ct)
    {
        if (!payload.ContainsKey("assignee_id") && !payload.ContainsKey("team_id"))
            return AppActionResult.Refused("payload needs assignee_id (an agent's id, or null to unassign), team_id (a team's id, or null), or both");
        int? Id(string key, out bool bad)
        {
            bad = false;
            if (payload[key] is null) return null;
            if (payload[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var id) && id > 0) return id;
            bad = true;
            return null;
        }
        var assignee = Id("assignee_id", out var badAssignee);
        if (badAssignee) return AppActionResult.Refused("payload.assignee_id must be an agent's id or null");
        var teamId = Id("team_id", out var badTeam);
        if (badTeam) return AppActionResult.Refused("payload.team_id must be a team's id or null");
        var change = new Assignment(payload.ContainsKey("assignee_id"), assignee, payload.ContainsKey("team_id"), teamId);
        return await conversations.AssignAsync(conversation, change, new Actor($"{app.Title} (app)", null, null), ct) switch
        {
            WriteResult<Conversation>.Rejected { Field: "team_id" } => AppActionResult.Refused($"payload.team_id: team {teamId} is not a team of this account"),
            WriteResult<Conversation>.Rejected => AppActionResult.Refused($"payload.assignee_id: agent {assignee} is not a member of this account"),
            _ => AppActionResult.Done(),
        };
    }

    private async Task<AppActionResult> SetStatusAsync(Conversation conversation, JsonObject payload, Actor actor, CancellationToken ct)
    {
        var name = payload["status"] is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : null;
        var status = ConversationStatuses.Parse(name);
        if (status is null) return AppActionResult.Refused("payload.status must be one of open, pending, resolved, snoozed");
        DateTime? until = null;
        if (payload["snoozed_until"] is { } untilNode)
        {
            if (status != ConversationStatus.Snoozed) return AppActionResult.Refused("payload.snoozed_until applies only to the status snoozed");
            if (untilNode is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<long>(out var seconds))
                return AppActionResult.Refused("payload.snoozed_until must be a time in unix seconds");
            var now = DateTime.UtcNow;
            until = seconds > 0 && seconds < 32_503_680_000 ? DateTime.UnixEpoch.AddSeconds(seconds) : null;
            if (until is null || until <= now || until > now + MaxSnooze)
                return AppActionResult.Refused("payload.snoozed_until must be in the future, at most a year ahead");
        }
        await conversations.SetStatusAsync(conversation, status.Value, until, actor, ct);
        return AppActionResult.Done();
    }

    private async Task<bool> WorksInboxAsync(int accountId, int userId, int inboxId, CancellationToken ct)
    {
        var role = await db.AccountUsers.AsNoTracking().Where(m => m.AccountId == accountId && m.UserId == userId).Select(m => m.Role).FirstOrDefaultAsync(ct);
        if (role is null) return false;
        if (role == Accounts.Roles.Administrator) return true;
        return await db.InboxMembers.AnyAsync(m => m.InboxId == inboxId && m.UserId == userId, ct);
    }

    private static string? Text(JsonObject payload, string key) =>
        payload[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 and <= 10_000 } s && s.Trim().Length > 0 ? s : null;
}
