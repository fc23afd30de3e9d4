using Microsoft.EntityFrameworkCore;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Infrastructure.Db;

namespace UniLink.Features.DashboardApps.Sandbox;

/// <summary>A conversation the sandbox offers, labelled as the agent knows it.</summary>
public sealed record SandboxConversation(int DisplayId, string Label);

/// <summary>The real <c>appContext</c> for the sandbox: built as the conversation view builds it, for the same conversation.</summary>
public static class SandboxContext
{
    /// <summary>As many messages as the conversation view loads at first.</summary>
    private const int PageSize = 50;

    public static async Task<List<SandboxConversation>> ConversationsAsync(UniLinkDb db, int accountId) =>
        (await db.Conversations.AsNoTracking().Where(c => c.AccountId == accountId)
            .OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.DisplayId).Take(200)
            .Select(c => new { c.DisplayId, c.Contact.Name, c.Contact.Email }).ToListAsync())
        .Select(c => new SandboxConversation(c.DisplayId, c.Name ?? c.Email ?? "Unknown contact")).ToList();

    /// <summary>The serialised message, with a token when <paramref name="signingApp"/> has a secret; null when the conversation is gone.</summary>
    public static async Task<string?> BuildAsync(IServiceScopeFactory scopes, int accountId, int displayId, int userId, DashboardApp? signingApp, string issuer)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.AccountId == accountId && c.DisplayId == displayId);
        if (conversation is null) return null;
        var latest = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id)
            .OrderByDescending(m => m.Id).Take(PageSize + 1).ToListAsync();
        var theme = await db.Users.Where(u => u.Id == userId).Select(u => u.Theme).FirstAsync();
        var data = await scope.ServiceProvider.GetRequiredService<AppContextBuilder>().BuildAsync(accountId, displayId, userId,
            latest.Take(PageSize).OrderBy(m => m.Id).ToList(), latest.Count <= PageSize, theme);
        if (data is null) return null;
        if (signingApp is not null)
        {
            var role = await db.AccountUsers.Where(m => m.AccountId == accountId && m.UserId == userId).Select(m => m.Role).FirstAsync();
            var signer = await scope.ServiceProvider.GetRequiredService<Signing.ContextSigningKeys>().CurrentAsync();
            return System.Text.Encoding.UTF8.GetString(new SealedContexts(scope.ServiceProvider.GetRequiredService<AppSecrets>())
                .For(data, signingApp, role, signer, issuer, DateTime.UtcNow));
        }
        return AppContextMessage.Of(data).Serialize();
    }
}
