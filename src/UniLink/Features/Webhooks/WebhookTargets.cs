using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;

namespace UniLink.Features.Webhooks;

/// <summary>Where a delivery goes and the key that signs it, read at each attempt (an edited URL applies to what is still queued).</summary>
public sealed record WebhookTarget(string Url, string Secret);

public static class WebhookTargets
{
    public static async Task<WebhookTarget?> ResolveAsync(UniLinkDb db, int accountId, string kind, int id, CancellationToken ct)
    {
        switch (kind)
        {
            case DeliveryTargets.Webhook:
                return await db.Webhooks.AsNoTracking().Where(w => w.Id == id && w.AccountId == accountId)
                    .Select(w => new WebhookTarget(w.Url, w.Secret)).FirstOrDefaultAsync(ct);
            case DeliveryTargets.ApiInbox:
                var inbox = await db.Inboxes.FirstOrDefaultAsync(i => i.Id == id && i.AccountId == accountId, ct);
                if (inbox is not { WebhookUrl: { Length: > 0 } url }) return null;
                if (inbox.Secret is null)
                {
                    inbox.Secret = Tokens.New(24);
                    await db.SaveChangesAsync(ct);
                }
                return new WebhookTarget(url, inbox.Secret);
            case DeliveryTargets.AgentBot:
                var bot = await db.AgentBots.FirstOrDefaultAsync(b => b.Id == id && b.AccountId == accountId, ct);
                if (bot is not { OutgoingUrl: { Length: > 0 } botUrl }) return null;
                if (bot.Secret is null)
                {
                    bot.Secret = Tokens.New(24);
                    await db.SaveChangesAsync(ct);
                }
                return new WebhookTarget(botUrl, bot.Secret);
            default:
                return null;
        }
    }
}
