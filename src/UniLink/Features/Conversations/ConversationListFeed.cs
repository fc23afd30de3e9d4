using UniLink.Infrastructure.Live;

namespace UniLink.Features.Conversations;

/// <summary>
/// Where every dashboard's conversation list comes from. The dashboards showing the same list (same agent, same
/// filters) share one <see cref="ConversationListSnapshot"/>; a burst of live events refreshes each watched list
/// once, <see cref="BurstDelay"/> after the burst began, and only the dashboards whose list changed re-render.
/// </summary>
/// <remarks>
/// The delay is deliberate: reloading and re-rendering every open list on every event (hundreds per message with a
/// large team) starved the open conversation and its apps, which must show a message at once; a list that follows
/// a fraction of a second later goes unnoticed.
/// </remarks>
public sealed class ConversationListFeed(LiveBus live, IDbContextFactory<UniLinkDb> dbFactory, Infrastructure.Auth.DashboardActor actor,
    ILogger<ConversationListFeed> logger)
{
    public static readonly TimeSpan BurstDelay = TimeSpan.FromMilliseconds(300);

    private readonly Lock _gate = new();
    private readonly Dictionary<ConversationListKey, Watched> _lists = [];
    private readonly Dictionary<int, Account> _accounts = [];

    private sealed class Watched
    {
        public Task<ConversationListSnapshot>? Current;
        public readonly List<Func<ConversationListSnapshot, Task>> Watchers = [];
    }

    private sealed class Account
    {
        public IDisposable? Subscription;
        public int Lists;
        public bool RefreshScheduled;
    }

    /// <summary>Calls <paramref name="onChange"/> with the list's new snapshot whenever live events change it, until disposed.</summary>
    public IDisposable Watch(ConversationListKey key, Func<ConversationListSnapshot, Task> onChange)
    {
        lock (_gate)
        {
            if (!_lists.TryGetValue(key, out var watched))
            {
                _lists[key] = watched = new Watched();
                if (!_accounts.TryGetValue(key.AccountId, out var account)) _accounts[key.AccountId] = account = new Account();
                account.Lists++;
                account.Subscription ??= live.Subscribe(key.AccountId, OnLiveEventAsync, Shows);
            }
            watched.Watchers.Add(onChange);
        }
        return new Unwatch(() => Forget(key, onChange));
    }

    /// <summary>The list as last loaded for its watchers, or loaded now when nobody watches it yet.</summary>
    public Task<ConversationListSnapshot> GetAsync(ConversationListKey key)
    {
        lock (_gate)
        {
            if (!_lists.TryGetValue(key, out var watched)) return LoadAsync(key);
            if (watched.Current is null || watched.Current.IsFaulted || watched.Current.IsCanceled) watched.Current = LoadAsync(key);
            return watched.Current;
        }
    }

    private void Forget(ConversationListKey key, Func<ConversationListSnapshot, Task> onChange)
    {
        lock (_gate)
        {
            if (!_lists.TryGetValue(key, out var watched)) return;
            watched.Watchers.Remove(onChange);
            if (watched.Watchers.Count > 0) return;
            _lists.Remove(key);
            var account = _accounts[key.AccountId];
            if (--account.Lists > 0) return;
            account.Subscription?.Dispose();
            _accounts.Remove(key.AccountId);
        }
    }

    private async Task<ConversationListSnapshot> LoadAsync(ConversationListKey key)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await LoadAsync(db, key);
    }

    /// <summary>The list as the agent's <see cref="Infrastructure.Auth.AccountScope"/> lets them see it now (none once they left the account).</summary>
    private async Task<ConversationListSnapshot> LoadAsync(UniLinkDb db, ConversationListKey key) =>
        await actor.ScopeForAsync(key.AccountId, key.UserId) is { } scope
            ? await ConversationListSnapshot.LoadAsync(db, key, scope)
            : ConversationListSnapshot.Empty;

    private static bool Shows(LiveEvent e) =>
        e.Kind is LiveEvent.MessageCreated or LiveEvent.ConversationChanged or LiveEvent.ConversationSeen or LiveEvent.ContactChanged
            or LiveEvent.LabelsChanged;

    private async Task OnLiveEventAsync(LiveEvent e)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(e.AccountId, out var account) || account.RefreshScheduled) return;
            account.RefreshScheduled = true;
        }
        await Task.Delay(BurstDelay);
        List<ConversationListKey> keys;
        lock (_gate)
        {
            if (!_accounts.TryGetValue(e.AccountId, out var account)) return;
            // Events from here on schedule the next refresh: this one may already have read past them.
            account.RefreshScheduled = false;
            keys = _lists.Keys.Where(k => k.AccountId == e.AccountId).ToList();
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        foreach (var key in keys) await RefreshAsync(db, key);
    }

    private async Task RefreshAsync(UniLinkDb db, ConversationListKey key)
    {
        var fresh = await LoadAsync(db, key);
        Func<ConversationListSnapshot, Task>[] watchers;
        lock (_gate)
        {
            if (!_lists.TryGetValue(key, out var watched)) return;
            if (watched.Current is { IsCompletedSuccessfully: true } current && current.Result.Equals(fresh)) return;
            watched.Current = Task.FromResult(fresh);
            watchers = [.. watched.Watchers];
        }
        // One dashboard at a time: a list is background work, and must leave the other cores to open conversations.
        foreach (var watcher in watchers) await NotifyAsync(watcher, fresh);
    }

    private async Task NotifyAsync(Func<ConversationListSnapshot, Task> watcher, ConversationListSnapshot snapshot)
    {
        try { await watcher(snapshot); }
        catch (Exception ex) { logger.LogWarning(ex, "A conversation list failed to show its new rows"); }
    }

    private sealed class Unwatch(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
