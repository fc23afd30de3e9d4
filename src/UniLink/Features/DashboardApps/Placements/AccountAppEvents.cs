using UniLink.Features.Contacts;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.DashboardApps.Events;
using UniLink.Features.DashboardApps.Platform;

namespace UniLink.Features.DashboardApps.Placements;

/// <summary>
/// The events of the whole account for apps beside no conversation (an app's page, the background apps): each new
/// message of a conversation the agent may open (an inbox they work) and the app is shown in (its inboxes), as
/// <c>message.created</c> with the API's message record cut to the app's scopes. One per page or dashboard: it remembers
/// the newest message told per conversation, so each message is told once.
/// </summary>
public sealed class AccountAppEvents
{
    private const int MaxPerTurn = 20;
    private readonly Dictionary<int, int> _newestTold = [];

    /// <summary>The events for <paramref name="apps"/> after messages were created in the conversation <paramref name="displayId"/>.</summary>
    public async Task<List<QueuedAppEvent>> MessagesCreatedAsync(IServiceProvider services, int accountId, int userId, Func<int, Task<bool>> worksInbox, int displayId,
        IReadOnlyList<DashboardApp> apps, Func<long> nextSeq, CancellationToken ct = default)
    {
        if (apps.Count == 0) return [];
        var db = services.GetRequiredService<UniLinkDb>();
        var reader = services.GetRequiredService<ConversationReader>();
        var conversation = await reader.FindAsync(accountId, displayId, ct);
        if (conversation is null) return [];
        var targets = apps.Where(a => AppSettings.ShowsInInbox(a, conversation.InboxId)).ToList();
        if (targets.Count == 0 || !await worksInbox(conversation.InboxId)) return [];
        var after = _newestTold.GetValueOrDefault(displayId, -1);
        var query = db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id);
        var messages = after < 0
            ? await query.OrderByDescending(m => m.Id).Take(1).ToListAsync(ct)
            : (await query.Where(m => m.Id > after).OrderByDescending(m => m.Id).Take(MaxPerTurn).ToListAsync(ct)).OrderBy(m => m.Id).ToList();
        if (messages.Count == 0) return [];
        _newestTold[displayId] = messages.Max(m => m.Id);
        var json = await reader.ToJsonWithMessagesAsync(conversation, messages, false, null, ct);
        var agent = (await db.Users.AsNoTracking().FirstAsync(u => u.Id == userId, ct)).ToCurrentAgentJson();
        var data = new AppContextData(json, conversation.Contact is { } contact ? contact.ToJson() : new { }, agent, [], "light");
        var events = new List<QueuedAppEvent>();
        foreach (var app in targets)
        {
            var scoped = ContextScopes.Apply(data, app);
            foreach (var message in scoped.Conversation.Messages)
                events.Add(new QueuedAppEvent(nextSeq(), app.Id, AppEventTypes.MessageCreated, AppEventMessage.Serialize(AppEventTypes.MessageCreated, message)));
        }
        return events;
    }
}
