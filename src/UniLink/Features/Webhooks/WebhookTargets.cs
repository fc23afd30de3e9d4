using UniLink.Infrastructure.Caching;

namespace UniLink.Features.Webhooks;

/// <summary>Where a delivery goes and the key that signs it, read at each attempt (an edited URL applies to what is still queued);
/// a Dashboard App's server is signed its own way (<see cref="App"/>, <see cref="DashboardApps.Events.AppEventSigning"/>).</summary>
public sealed record WebhookTarget(string Url, string Secret, DashboardApps.Events.AppEventTarget? App = null);

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

    /// <summary>The endpoints of a batch of deliveries in one query per kind (signing secrets made for endpoints that have none yet).</summary>
    /// <param name="cache">Webhooks' URLs and secrets are taken from it (read again once the table is written).</param>
    public static async Task<Dictionary<(int AccountId, string Kind, int Id), WebhookTarget>> ResolveManyAsync(UniLinkDb db, ReadCache cache,
        IEnumerable<(int AccountId, string Kind, int Id)> wanted, CancellationToken ct)
    {
        var list = wanted.Distinct().ToList();
        var found = new Dictionary<(int, string, int), WebhookTarget>();
        int[] Ids(string kind) => list.Where(w => w.Kind == kind).Select(w => w.Id).Distinct().ToArray();
        var hookIds = Ids(DeliveryTargets.Webhook);
        if (hookIds.Length > 0)
            foreach (var (id, (accountId, target)) in await FanOutLookups.HookTargetsAsync(db, cache, hookIds, ct))
                found[(accountId, DeliveryTargets.Webhook, id)] = target;
        var inboxIds = Ids(DeliveryTargets.ApiInbox);
        var botIds = Ids(DeliveryTargets.AgentBot);
        var save = false;
        if (inboxIds.Length > 0)
            foreach (var inbox in await db.Inboxes.Where(i => inboxIds.Contains(i.Id)).ToListAsync(ct))
            {
                if (inbox is not { WebhookUrl: { Length: > 0 } url }) continue;
                if (inbox.Secret is null) { inbox.Secret = Tokens.New(24); save = true; }
                found[(inbox.AccountId, DeliveryTargets.ApiInbox, inbox.Id)] = new WebhookTarget(url, inbox.Secret);
            }
        if (botIds.Length > 0)
            foreach (var bot in await db.AgentBots.Where(b => botIds.Contains(b.Id)).ToListAsync(ct))
            {
                if (bot is not { OutgoingUrl: { Length: > 0 } url } || bot.AccountId is not { } accountId) continue;
                if (bot.Secret is null) { bot.Secret = Tokens.New(24); save = true; }
                found[(accountId, DeliveryTargets.AgentBot, bot.Id)] = new WebhookTarget(url, bot.Secret);
            }
        var appIds = Ids(DeliveryTargets.DashboardApp);
        if (appIds.Length > 0)
            foreach (var app in await db.DashboardApps.AsNoTracking().Where(a => appIds.Contains(a.Id)).ToListAsync(ct))
                if (app is { EventEndpoint: { Length: > 0 } appUrl })
                    found[(app.AccountId, DeliveryTargets.DashboardApp, app.Id)] = new WebhookTarget(appUrl, "", new(app.Id, app.SecretCiphertext));
        if (save) await db.SaveChangesAsync(ct);
        // Only an endpoint of the delivery's own account.
        return list.Where(found.ContainsKey).ToDictionary(w => w, w => found[w]);
    }
}
