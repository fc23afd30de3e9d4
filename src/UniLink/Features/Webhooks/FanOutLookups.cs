using Microsoft.EntityFrameworkCore;
using UniLink.Features.Accounts;
using UniLink.Features.Inboxes;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Webhooks;

/// <summary>An account's webhooks as the fan-out matches them: id and the event names subscribed to.</summary>
public sealed record HookSubscription(int Id, int AccountId, IReadOnlySet<string?> Subscriptions);

/// <summary>An inbox that sends events somewhere of its own: an API inbox's webhook URL, or its agent bot.</summary>
public sealed record InboxTarget(int Id, int AccountId, string ChannelType, string? WebhookUrl, int? AgentBotId);

/// <summary>
/// What every fan-out and claim round looks up and that hardly ever changes — an account's webhooks and inboxes with
/// endpoints, the webhooks' URLs and secrets, the account's name — from the <see cref="ReadCache"/>: they are read
/// again once their table is written (an edited URL or secret applies to the next attempt, as before), and not a few
/// hundred times a second while events flow.
/// </summary>
public static class FanOutLookups
{
    private sealed record HooksKey(int AccountId);
    private sealed record InboxTargetsKey(int AccountId);
    private sealed record HookTargetKey(int Id);
    private sealed record AccountNameKey(int AccountId);
    private static readonly Type[] HooksReadFrom = [typeof(Webhook)];
    private static readonly Type[] InboxesReadFrom = [typeof(Inbox)];
    private static readonly Type[] AccountsReadFrom = [typeof(Account)];

    public static async Task<List<HookSubscription>> HooksAsync(UniLinkDb db, ReadCache cache, IEnumerable<int> accountIds, CancellationToken ct)
    {
        var all = new List<HookSubscription>();
        foreach (var accountId in accountIds)
            all.AddRange(await cache.GetOrReadAsync(new HooksKey(accountId), HooksReadFrom, async c =>
                (await db.Webhooks.AsNoTracking().Where(w => w.AccountId == accountId).Select(w => new { w.Id, w.AccountId, w.Subscriptions }).ToListAsync(c))
                    .Select(w => new HookSubscription(w.Id, w.AccountId, JsonText.Array(w.Subscriptions).Select(n => n?.ToString()).ToHashSet())).ToList(), ct));
        return all;
    }

    public static async Task<List<InboxTarget>> InboxTargetsAsync(UniLinkDb db, ReadCache cache, IEnumerable<int> accountIds, CancellationToken ct)
    {
        var all = new List<InboxTarget>();
        foreach (var accountId in accountIds)
            all.AddRange(await cache.GetOrReadAsync(new InboxTargetsKey(accountId), InboxesReadFrom, c =>
                db.Inboxes.AsNoTracking().Where(i => i.AccountId == accountId
                        && ((i.ChannelType == ChannelTypes.Api && i.WebhookUrl != null && i.WebhookUrl != "") || i.AgentBotId != null))
                    .Select(i => new InboxTarget(i.Id, i.AccountId, i.ChannelType, i.WebhookUrl, i.AgentBotId)).ToListAsync(c), ct));
        return all;
    }

    /// <summary>Webhooks' URLs and secrets by id (with their account, which the caller checks).</summary>
    public static async Task<Dictionary<int, (int AccountId, WebhookTarget Target)>> HookTargetsAsync(UniLinkDb db, ReadCache cache, int[] ids, CancellationToken ct) =>
        (await cache.GetManyAsync(ids, id => new HookTargetKey(id), HooksReadFrom, async (missing, c) =>
                (await db.Webhooks.AsNoTracking().Where(w => missing.Contains(w.Id)).ToListAsync(c))
                    .ToDictionary(w => w.Id, w => Tuple.Create(w.AccountId, new WebhookTarget(w.Url, w.Secret))), ct))
            .ToDictionary(p => p.Key, p => (p.Value.Item1, p.Value.Item2));

    /// <summary>The accounts' names (an account's <c>{"id", "name"}</c> in every payload).</summary>
    public static Task<Dictionary<int, string>> AccountNamesAsync(UniLinkDb db, ReadCache cache, int[] ids, CancellationToken ct) =>
        cache.GetManyAsync(ids, id => new AccountNameKey(id), AccountsReadFrom, async (missing, c) =>
            await db.Accounts.AsNoTracking().Where(a => missing.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, c), ct);
}
