using UniLink.Features.Attachments;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Caching;

namespace UniLink.Features.Conversations;

/// <summary>
/// What an open conversation shows, read once per change: the conversation (as <see cref="ConversationReader"/> loads it
/// for its wire shape), the loaded messages (oldest first), their senders and attachments. The page renders from it
/// and the apps' contexts are built from it (<see cref="DashboardApps.Embedding.AppContextBuilder"/>), so nothing of it
/// is read twice. Immutable: a change is a new view.
/// </summary>
public sealed record ConversationView(Conversation Conversation, IReadOnlyList<Message> Messages, bool AllLoaded, MessageSenders Senders)
{
    private IReadOnlyDictionary<string, string>? _senderNames;

    /// <summary>The names of the agents and bots who wrote the messages, by <c>"{sender type}:{id}"</c>.</summary>
    public IReadOnlyDictionary<string, string> SenderNames => _senderNames ??= Messages
        .Where(m => m.SenderType is SenderTypes.User or SenderTypes.AgentBot && m.SenderId is not null)
        .Select(m => (Key: $"{m.SenderType}:{m.SenderId}", Name: Senders.NameOf(m)))
        .Where(p => p.Name is not null).DistinctBy(p => p.Key).ToDictionary(p => p.Key, p => p.Name!);

    public ILookup<int, Attachment> Attachments => Senders.Attachments;
}

/// <summary>
/// One agent's open conversation in a dashboard (the conversation page, the app sandbox): opened for an agent who is a
/// member of the account and works the conversation's inbox (checked again at every load, from the read cache, so a
/// removed agent's open page gets nothing new), its messages a page at a time, newer ones as they come, older ones on
/// demand (one load at a time), and the agent's seen mark. One per page (transient): a page's circuit lives for hours,
/// so each read opens its own context.
/// </summary>
public sealed class OpenConversation(IDbContextFactory<UniLinkDb> dbs, DashboardActor actor, ReadCache cache, AttachmentLinks links,
    SeenMarks seenMarks)
{
    /// <summary>Messages per page: the first page when a conversation opens, and each older page.</summary>
    public const int PageSize = 50;

    public int AccountId { get; private set; }
    public int DisplayId { get; private set; }
    public int UserId { get; private set; }

    /// <summary>The agent's scope in the account at the last load (null: not a member).</summary>
    public AccountScope? Scope { get; private set; }

    /// <summary>What is shown; null when the conversation is not there for the agent (missing, not a member, not their inbox).</summary>
    public ConversationView? View { get; private set; }

    /// <summary>What the agent may no longer do here, or null (see <see cref="ProblemAsync"/>).</summary>
    public const string NoLongerMember = "You are no longer a member of this account.";

    /// <summary>How a reload treats the messages already shown.</summary>
    public enum Reload
    {
        /// <summary>The latest page only (a conversation just opened).</summary>
        FirstPage,
        /// <summary>Only new messages came in: appended to what is shown.</summary>
        Newer,
        /// <summary>Something else changed (a deletion, the conversation): newer and changed messages replace what is shown; older pages stay.</summary>
        Shown,
    }

    /// <summary>Opens the conversation for the agent, with its latest page of messages.</summary>
    public Task<ConversationView?> OpenAsync(int accountId, int displayId, int userId, CancellationToken ct = default)
    {
        (AccountId, DisplayId, UserId) = (accountId, displayId, userId);
        // What was shown stays, without its messages, until the new conversation is in: a page switching conversations
        // keeps its tabs (and keep-alive apps' frames) meanwhile.
        if (View is { } shown) View = new ConversationView(shown.Conversation, [], true, shown.Senders);
        return LoadAsync(Reload.FirstPage, ct);
    }

    /// <summary>Reads the conversation again (membership and inbox checked again) and its messages as <paramref name="reload"/> says.</summary>
    public async Task<ConversationView?> LoadAsync(Reload reload, CancellationToken ct = default)
    {
        var (accountId, displayId) = (AccountId, DisplayId);
        await using var db = await dbs.CreateDbContextAsync(ct);
        Scope = await actor.ScopeForAsync(accountId, UserId, ct);
        var reader = new ConversationReader(db, cache, links);
        var conversation = Scope is null ? null : await reader.FindAsync(accountId, displayId, ct);
        // An agent opens only the conversations of inboxes they work.
        if (conversation is not null && !await actor.WorksInboxAsync(Scope!, conversation.InboxId, ct)) conversation = null;
        // Another conversation may have opened meanwhile.
        if ((AccountId, DisplayId) != (accountId, displayId)) return View;
        if (conversation is null) return View = null;
        var same = View?.Conversation.Id == conversation.Id;
        var shown = same ? View!.Messages : [];
        List<Message> messages;
        var allLoaded = same && View!.AllLoaded;
        if (reload == Reload.FirstPage || !same || shown.Count == 0 && reload == Reload.Shown)
        {
            var latest = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id)
                .OrderByDescending(m => m.Id).Take(PageSize + 1).ToListAsync(ct);
            allLoaded = latest.Count <= PageSize;
            messages = latest.Take(PageSize).OrderBy(m => m.Id).ToList();
        }
        else if (reload == Reload.Newer)
        {
            // New messages only: a deletion comes as a change of the conversation, which reloads what is shown.
            var newest = shown.Count == 0 ? 0 : shown[^1].Id;
            var added = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id && m.Id > newest)
                .OrderBy(m => m.Id).ToListAsync(ct);
            shown = Shown(conversation);
            var shownNewest = shown.Count == 0 ? 0 : shown[^1].Id;
            messages = [.. shown, .. added.Where(m => m.Id > shownNewest)];
        }
        else
        {
            var oldest = shown[0].Id;
            var current = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id && m.Id >= oldest)
                .OrderBy(m => m.Id).ToListAsync(ct);
            // An older page may have come in meanwhile (the agent scrolled up): it stays.
            messages = [.. Shown(conversation).TakeWhile(m => m.Id < oldest), .. current];
        }
        var senders = await SendersAsync(db, conversation, messages, ct);
        if ((AccountId, DisplayId) != (accountId, displayId)) return View;
        return View = new ConversationView(conversation, messages, allLoaded, senders);
    }

    /// <summary>
    /// The page older than <paramref name="before"/>, the oldest message the agent's page showed when it asked: the
    /// scroll-to-top loader and the button may ask at once, and an ask made before the previous page arrived is for a
    /// page already shown (both would otherwise prepend the same page). False when nothing was added.
    /// </summary>
    public async Task<bool> LoadOlderAsync(int before, CancellationToken ct = default)
    {
        if (_loadingOlder || View is not { Messages.Count: > 0, AllLoaded: false } view || view.Messages[0].Id != before) return false;
        _loadingOlder = true;
        try
        {
            var conversation = view.Conversation;
            await using var db = await dbs.CreateDbContextAsync(ct);
            var older = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id && m.Id < before)
                .OrderByDescending(m => m.Id).Take(PageSize + 1).ToListAsync(ct);
            // Another conversation may have opened meanwhile, or a reload replaced what is shown.
            if (View?.Conversation.Id != conversation.Id) return false;
            var shown = View.Messages;
            var shownOldest = shown.Count == 0 ? int.MaxValue : shown[0].Id;
            List<Message> messages = [.. older.Take(PageSize).Where(m => m.Id < shownOldest).OrderBy(m => m.Id), .. shown];
            var senders = await SendersAsync(db, View.Conversation, messages, ct);
            if (View?.Conversation.Id != conversation.Id) return false;
            View = new ConversationView(View.Conversation, messages, older.Count <= PageSize, senders);
            return true;
        }
        finally
        {
            _loadingOlder = false;
        }
    }

    private bool _loadingOlder;

    private IReadOnlyList<Message> Shown(Conversation conversation) => View?.Conversation.Id == conversation.Id ? View.Messages : [];

    /// <summary>The senders (agents and bots from the read cache; the conversation's contact and assignee as loaded) and attachments of the messages.</summary>
    private Task<MessageSenders> SendersAsync(UniLinkDb db, Conversation conversation, IReadOnlyList<Message> messages, CancellationToken ct) =>
        MessageSenders.LoadAsync(db, cache, links, messages, null, [conversation.Contact],
            conversation.Assignee is { } assignee ? [assignee] : [], ct);

    /// <summary>The agent has seen what is shown (one write per conversation and agent, however many pages show it).</summary>
    public Task MarkSeenAsync() => View is { } view
        ? seenMarks.MarkAsync(view.Conversation, UserId, view.Messages.Count == 0 ? view.Conversation.CreatedAt : view.Messages[^1].CreatedAt)
        : Task.CompletedTask;

    /// <summary>
    /// Why the agent may not act on the conversation now (null: they may). Rights are checked at each write, not only
    /// when the page opened: a removed agent's open page writes nothing.
    /// </summary>
    public async Task<string?> ProblemAsync(CancellationToken ct = default)
    {
        if (await actor.ScopeForAsync(AccountId, UserId, ct) is not { } scope) return NoLongerMember;
        if (View is { } view && !await actor.WorksInboxAsync(scope, view.Conversation.InboxId, ct)) return "You no longer work this conversation's inbox.";
        return null;
    }
}
