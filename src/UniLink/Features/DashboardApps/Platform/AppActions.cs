using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using UniLink.Features.Conversations;
using UniLink.Features.Labels;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.DashboardApps.Platform;

/// <summary>The answer an app gets for every <c>unilink:action</c> it posts.</summary>
public sealed record AppActionResult(bool Ok, string? Error, string? InsertReply = null)
{
    public static AppActionResult Done() => new(true, null);
    public static AppActionResult Refused(string error) => new(false, error);
}

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
    public static readonly string[] All = [InsertReply, AddPrivateNote, AddLabels, RemoveLabels, SetCustomAttributes];

    public const string NotInAudience = "The app is not shown to you";

    public static IReadOnlyList<string> PermissionsOf(DashboardApp app) =>
        app.Permissions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The action <paramref name="requestJson"/> of the app, for the member <paramref name="userId"/> (who must be in
    /// the app's audience at this moment).</summary>
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
        var entry = await Audit.AppAudit.AddAsync(db, app, Audit.AppAuditEvents.ActionPerformed, userId, ct, conversationDisplayId,
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
        var conversation = await db.Conversations.AsNoTracking().Include(c => c.Labels)
            .FirstOrDefaultAsync(c => c.AccountId == accountId && c.DisplayId == conversationDisplayId, ct);
        if (conversation is null) return AppActionResult.Refused("The conversation no longer exists");
        var actor = Actor.App(app.Title);

        switch (action)
        {
            case InsertReply:
                if (Text(payload, "text") is not { } text) return AppActionResult.Refused("payload.text must be a non-empty string of at most 10000 characters");
                await messages.AddActivityAsync(conversation, $"{app.Title} (app) put a draft in the reply box", ct);
                return new AppActionResult(true, null, text);
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
            default: // SetCustomAttributes
                if (payload["custom_attributes"] is not JsonObject attributes || attributes.Count is 0 or > 50 || attributes.ToJsonString().Length > 16_384
                    || JsonLimits.Depth(attributes) > JsonLimits.MaxDepth)
                    return AppActionResult.Refused("payload.custom_attributes must be an object with 1 to 50 keys");
                await conversations.MergeCustomAttributesAsync(conversation, attributes, actor, ct);
                await messages.AddActivityAsync(conversation, $"{app.Title} (app) set {string.Join(", ", attributes.Select(p => p.Key))}", ct);
                return AppActionResult.Done();
        }
    }

    private static string? Text(JsonObject payload, string key) =>
        payload[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 and <= 10_000 } s && s.Trim().Length > 0 ? s : null;
}
