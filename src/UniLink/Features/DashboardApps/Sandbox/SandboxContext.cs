using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.DashboardApps.Platform;

namespace UniLink.Features.DashboardApps.Sandbox;

/// <summary>A conversation the sandbox offers, labelled as the agent knows it.</summary>
public sealed record SandboxConversation(int DisplayId, string Label);

/// <summary>The real <c>appContext</c> for the sandbox: built from the same <see cref="Conversations.OpenConversation"/> as the
/// conversation view, opened for the same conversation (its first page of messages).</summary>
public static class SandboxContext
{
    public static async Task<List<SandboxConversation>> ConversationsAsync(UniLinkDb db, int accountId) =>
        (await db.Conversations.AsNoTracking().Where(c => c.AccountId == accountId)
            .OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.DisplayId).Take(200)
            .Select(c => new { c.DisplayId, c.Contact.Name, c.Contact.Email }).ToListAsync())
        .Select(c => new SandboxConversation(c.DisplayId, c.Name ?? c.Email ?? "Unknown contact")).ToList();

    /// <summary>The serialised message, with a token when <paramref name="signingApp"/> has a secret; null when the conversation is gone
    /// (or not the user's to open).</summary>
    public static async Task<string?> BuildAsync(IServiceScopeFactory scopes, int accountId, int displayId, int userId, DashboardApp? signingApp, string issuer)
    {
        await using var scope = scopes.CreateAsyncScope();
        var open = scope.ServiceProvider.GetRequiredService<Conversations.OpenConversation>();
        if (await open.OpenAsync(accountId, displayId, userId) is not { } view) return null;
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        var theme = await db.Users.Where(u => u.Id == userId).Select(u => u.Theme).FirstAsync();
        var data = await scope.ServiceProvider.GetRequiredService<AppContextBuilder>().BuildAsync(view, userId, theme);
        if (signingApp is not null)
        {
            var signer = await scope.ServiceProvider.GetRequiredService<Signing.ContextSigningKeys>().CurrentAsync();
            return System.Text.Encoding.UTF8.GetString(new SealedContexts(scope.ServiceProvider.GetRequiredService<AppSecrets>())
                .For(data, signingApp, open.Scope?.Role ?? "", signer, issuer, DateTime.UtcNow));
        }
        return AppContextMessage.Of(data).Serialize();
    }
}
