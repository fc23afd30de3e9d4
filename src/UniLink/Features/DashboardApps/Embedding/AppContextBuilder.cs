using UniLink.Features.Contacts;
using UniLink.Features.CustomAttributes;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Caching;

namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>
/// Builds the <c>appContext</c> an agent's open conversation hands to its apps, from what the conversation page has
/// already read (<see cref="ConversationView"/>): the conversation and the messages' senders are not read again. A
/// context per read (<see cref="IDbContextFactory{TContext}"/>): it is used from circuits that live for hours.
/// </summary>
public sealed class AppContextBuilder(IDbContextFactory<UniLinkDb> dbs, ReadCache cache, Attachments.AttachmentLinks links)
{
    private sealed record AgentKey(int UserId);
    private sealed record DefinitionsKey(int AccountId);
    private static readonly Type[] AgentReadsFrom = [typeof(User)];
    private static readonly Type[] DefinitionsReadFrom = [typeof(CustomAttributeDefinition)];

    /// <summary>The most messages a context carries: the latest ones the agent has loaded.</summary>
    public const int MaxMessages = 10_000;
    /// <summary>The most characters of message content a context carries (about 1 MB); older messages are left out.</summary>
    public const int MaxContentCharacters = 1_000_000;

    /// <summary>The context for a conversation read here (for callers without an open conversation, such as the benchmarks).</summary>
    public async Task<AppContextData?> BuildAsync(int accountId, int displayId, int agentId, IReadOnlyList<Message> loadedMessages,
        bool allMessagesLoaded, string theme, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var conversation = await new ConversationReader(db, cache, links).FindAsync(accountId, displayId, ct);
        if (conversation is null) return null;
        var carried = Cap(loadedMessages);
        var senders = await MessageSenders.LoadAsync(db, cache, links, carried, null, [conversation.Contact],
            conversation.Assignee is { } assignee ? [assignee] : [], ct);
        return await BuildAsync(new ConversationView(conversation, carried, allMessagesLoaded && carried.Count == loadedMessages.Count, senders), agentId, theme, ct);
    }

    /// <summary>The context of the conversation as <paramref name="view"/> shows it (its conversation and senders as read
    /// for the page); only the conversation's counters and its latest non-activity message are read here.</summary>
    public async Task<AppContextData> BuildAsync(ConversationView view, int agentId, string theme, CancellationToken ct = default)
    {
        var (loadedMessages, allMessagesLoaded) = (view.Messages, view.AllLoaded);
        var carried = Cap(loadedMessages);
        if (carried.Count < loadedMessages.Count) (loadedMessages, allMessagesLoaded) = (carried, false);
        var conversation = view.Conversation;
        await using var db = await dbs.CreateDbContextAsync(ct);
        // Who the agent is and the account's attribute definitions change rarely.
        var agent = await cache.GetOrReadAsync(new AgentKey(agentId), AgentReadsFrom,
            async c => (await db.Users.AsNoTracking().FirstAsync(u => u.Id == agentId, c)).ToCurrentAgentJson(), ct);
        var definitions = await cache.GetOrReadAsync(new DefinitionsKey(conversation.AccountId), DefinitionsReadFrom,
            async c => (await db.CustomAttributeDefinitions.AsNoTracking().Where(d => d.AccountId == conversation.AccountId)
                .OrderBy(d => d.Id).ToListAsync(c)).Select(d => d.ToJson()).ToList(), ct);
        var json = await new ConversationReader(db, cache, links).ToJsonWithMessagesAsync(conversation, loadedMessages, allMessagesLoaded, view.Senders, ct);
        return new AppContextData(
            json,
            conversation.Contact is { } contact ? contact.ToJson() : new { },
            agent,
            definitions,
            theme == "dark" ? "dark" : "light");
    }

    /// <summary>
    /// The latest loaded messages within <see cref="MaxMessages"/> and <see cref="MaxContentCharacters"/> (always the
    /// latest one), so that a conversation flooded through the public API cannot make every context megabytes long.
    /// </summary>
    public static IReadOnlyList<Message> Cap(IReadOnlyList<Message> loaded)
    {
        if (loaded.Count > 1 && loaded[0].Id > loaded[^1].Id) loaded = loaded.OrderBy(m => m.Id).ToList();
        var total = 0L;
        var kept = 0;
        for (var i = loaded.Count - 1; i >= 0 && kept < MaxMessages; i--)
        {
            total += loaded[i].Content?.Length ?? 0;
            if (kept > 0 && total > MaxContentCharacters) break;
            kept++;
        }
        return kept == loaded.Count ? loaded : loaded.Skip(loaded.Count - kept).ToList();
    }
}
