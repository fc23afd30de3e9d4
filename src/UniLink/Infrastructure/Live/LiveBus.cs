using System.Collections.Concurrent;

namespace UniLink.Infrastructure.Live;

/// <summary>A small fact published after a write has committed: what changed, in which account.</summary>
public sealed record LiveEvent(int AccountId, string Kind, int? ConversationDisplayId = null)
{
    public const string ConversationChanged = "conversation.changed";
    public const string MessageCreated = "message.created";
    public const string ContactChanged = "contact.changed";
    public const string DashboardAppsChanged = "dashboard_apps.changed";
    public const string CustomAttributesChanged = "custom_attributes.changed";
    public const string LabelsChanged = "labels.changed";
    public const string AgentsChanged = "agents.changed";
}

/// <summary>
/// Delivers <see cref="LiveEvent"/>s to the subscribers of an account on this node (Blazor circuits).
/// Handlers run outside the publisher's request; a failing handler never fails the write.
/// </summary>
public sealed class LiveBus(ILogger<LiveBus> logger)
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Guid, Func<LiveEvent, Task>>> _subscribers = new();

    public IDisposable Subscribe(int accountId, Func<LiveEvent, Task> handler)
    {
        var id = Guid.NewGuid();
        _subscribers.GetOrAdd(accountId, _ => new()).TryAdd(id, handler);
        return new Subscription(() =>
        {
            if (_subscribers.TryGetValue(accountId, out var handlers)) handlers.TryRemove(id, out _);
        });
    }

    public void Publish(LiveEvent e)
    {
        if (!_subscribers.TryGetValue(e.AccountId, out var handlers)) return;
        foreach (var handler in handlers.Values)
        {
            _ = Task.Run(async () =>
            {
                try { await handler(e); }
                catch (Exception ex) { logger.LogWarning(ex, "Live subscriber failed on {Kind}", e.Kind); }
            });
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
