using Microsoft.EntityFrameworkCore;
using UniLink.Features.Agents;
using UniLink.Features.Contacts;
using UniLink.Features.Conversations;
using UniLink.Features.CustomAttributes;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Db;

namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>Builds the <c>appContext</c> an agent's open conversation hands to its apps.</summary>
public sealed class AppContextBuilder(UniLinkDb db, ConversationReader reader)
{
    public async Task<AppContextData?> BuildAsync(int accountId, int displayId, int agentId, IReadOnlyList<Message> loadedMessages,
        bool allMessagesLoaded, string theme, CancellationToken ct = default)
    {
        var conversation = await reader.FindAsync(accountId, displayId, ct);
        if (conversation is null) return null;
        var agent = await db.Users.AsNoTracking().FirstAsync(u => u.Id == agentId, ct);
        var definitions = await db.CustomAttributeDefinitions.AsNoTracking()
            .Where(d => d.AccountId == accountId).OrderBy(d => d.Id).ToListAsync(ct);
        var json = await reader.ToJsonWithMessagesAsync(conversation, loadedMessages, allMessagesLoaded, ct);
        return new AppContextData(
            json,
            conversation.Contact is { } contact ? contact.ToJson() : new { },
            agent.ToCurrentAgentJson(),
            definitions.Select(d => d.ToJson()).ToList(),
            theme == "dark" ? "dark" : "light");
    }
}
