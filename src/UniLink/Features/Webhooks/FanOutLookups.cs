using UniLink.Infrastructure.Caching;

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

    public static Task<List<HookSubscription>> HooksAsync(UniLinkDb db, ReadCache cache, IEnumerable<int> accountIds, CancellationToken ct) =>
        PerAccountAsync(cache, accountIds, id => new HooksKey(id), HooksReadFrom, async (accountId, c) =>
            (await db.Webhooks.AsNoTracking().Where(w => w.AccountId == accountId).Select(w => new { w.Id, w.AccountId, w.Subscriptions }).ToListAsync(c))
                .Select(w => new HookSubscription(w.Id, w.AccountId, JsonText.Array(w.Subscriptions).Select(n => n?.ToString()).ToHashSet())).ToList(), ct);

    public static Task<List<InboxTarget>> InboxTargetsAsync(UniLinkDb db, ReadCache cache, IEnumerable<int> accountIds, CancellationToken ct) =>
        PerAccountAsync(cache, accountIds, id => new InboxTargetsKey(id), InboxesReadFrom, (accountId, c) =>
            db.Inboxes.AsNoTracking().Where(i => i.AccountId == accountId
                    && ((i.ChannelType == ChannelTypes.Api && i.WebhookUrl != null && i.WebhookUrl != "") || i.AgentBotId != null))
                .Select(i => new InboxTarget(i.Id, i.AccountId, i.ChannelType, i.WebhookUrl, i.AgentBotId)).ToListAsync(c), ct);

    /// <summary>Each account's list from the cache (read when missing), all of them in one list.</summary>
    private static async Task<List<T>> PerAccountAsync<T>(ReadCache cache, IEnumerable<int> accountIds, Func<int, object> keyOf, Type[] readsFrom,
        Func<int, CancellationToken, Task<List<T>>> read, CancellationToken ct)
    {
        var all = new List<T>();
        foreach (var accountId in accountIds)
            all.AddRange(await cache.GetOrReadAsync(keyOf(accountId), readsFrom, c => read(accountId, c), ct));
        return all;
    }

    /// <summary>A webhook's URL and secret with its account, which the caller checks.</summary>
    public sealed record AccountHookTarget(int AccountId, WebhookTarget Target);

    /// <summary>Webhooks' URLs and secrets by id.</summary>
    public static Task<Dictionary<int, AccountHookTarget>> HookTargetsAsync(UniLinkDb db, ReadCache cache, int[] ids, CancellationToken ct) =>
        cache.GetManyAsync(ids, id => new HookTargetKey(id), HooksReadFrom, async (missing, c) =>
            (await db.Webhooks.AsNoTracking().Where(w => missing.Contains(w.Id)).ToListAsync(c))
                .ToDictionary(w => w.Id, w => new AccountHookTarget(w.AccountId, new WebhookTarget(w.Url, w.Secret))), ct);

    /// <summary>The accounts' names (an account's <c>{"id", "name"}</c> in every payload).</summary>
    public static Task<Dictionary<int, string>> AccountNamesAsync(UniLinkDb db, ReadCache cache, int[] ids, CancellationToken ct) =>
        cache.GetManyAsync(ids, id => new AccountNameKey(id), AccountsReadFrom, async (missing, c) =>
            await db.Accounts.AsNoTracking().Where(a => missing.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, c), ct);
}
