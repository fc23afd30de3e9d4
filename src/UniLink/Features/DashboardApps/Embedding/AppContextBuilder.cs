using Microsoft.EntityFrameworkCore;
using UniLink.Features.Agents;
using UniLink.Features.Contacts;
using UniLink.Features.Conversations;
using UniLink.Features.CustomAttributes;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Db;

namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>Builds the <c>appContext</c> an agent's open conversation hands to its apps.</summary>
public sealed class AppContextBuilder(UniLinkDb db, ConversationReader reader, ReadCache cache)
{
    private sealed record AgentKey(int UserId);
    private sealed record DefinitionsKey(int AccountId);
    private static readonly Type[] AgentReadsFrom = [typeof(User)];
    private static readonly Type[] DefinitionsReadFrom = [typeof(CustomAttributeDefinition)];

    /// <summary>The most messages a context carries: the latest ones the agent has loaded.</summary>
    public const int MaxMessages = 10_000;
    /// <summary>The most characters of message content a context carries (about 1 MB); older messages are left out.</summary>
    public const int MaxContentCharacters = 1_000_000;

    public async Task<AppContextData?> BuildAsync(int accountId, int displayId, int agentId, IReadOnlyList<Message> loadedMessages,
        bool allMessagesLoaded, string theme, CancellationToken ct = default)
    {
        var carried = Cap(loadedMessages);
        if (carried.Count < loadedMessages.Count) (loadedMessages, allMessagesLoaded) = (carried, false);
        var conversation = await reader.FindAsync(accountId, displayId, ct);
        if (conversation is null) return null;
        // The conversation is read afresh each time (it is why the context is being built); who the agent is and the
        // account's attribute definitions change rarely.
        var agent = await cache.GetOrReadAsync(new AgentKey(agentId), AgentReadsFrom,
            async c => (await db.Users.AsNoTracking().FirstAsync(u => u.Id == agentId, c)).ToCurrentAgentJson(), ct);
        var definitions = await cache.GetOrReadAsync(new DefinitionsKey(accountId), DefinitionsReadFrom,
            async c => (await db.CustomAttributeDefinitions.AsNoTracking().Where(d => d.AccountId == accountId)
                .OrderBy(d => d.Id).ToListAsync(c)).Select(d => d.ToJson()).ToList(), ct);
        var json = await reader.ToJsonWithMessagesAsync(conversation, loadedMessages, allMessagesLoaded, ct);
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
