using Microsoft.AspNetCore.Components;
using UniLink.Infrastructure.Live;

namespace UniLink.Components;

/// <summary>
/// A dashboard component that follows an account's <see cref="LiveBus"/> events: subclasses call
/// <see cref="FollowAccount"/> and override <see cref="OnLiveEventsAsync"/>; the component re-renders after each turn.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    [Inject] private LiveBus Live { get; set; } = default!;
    private IDisposable? _subscription;
    private int _followedAccount = -1;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<LiveEvent> _pending = [];
    private bool _disposed;

    protected void FollowAccount(int accountId)
    {
        if (_followedAccount == accountId) return;
        _subscription?.Dispose();
        _followedAccount = accountId;
        _subscription = Live.Subscribe(accountId, OnEventAsync, Wants);
    }

    /// <summary>
    /// Runs on the component's dispatcher with every event that arrived since the last turn, in order (a burst, such as
    /// every agent marking a conversation seen, costs one reload, not one per event); return false to skip the re-render.
    /// </summary>
    protected abstract Task<bool> OnLiveEventsAsync(IReadOnlyList<LiveEvent> events);

    /// <summary>Which events reach <see cref="OnLiveEventsAsync"/> at all; asked on the publisher's thread, so quick and thread-safe.</summary>
    protected virtual bool Wants(LiveEvent e) => true;

    private async Task OnEventAsync(LiveEvent e)
    {
        lock (_pending) _pending.Add(e);
        await _gate.WaitAsync();
        try
        {
            LiveEvent[] batch;
            lock (_pending)
            {
                batch = [.. _pending];
                _pending.Clear();
            }
            // Empty: an earlier turn took this event along with its own.
            if (_disposed || batch.Length == 0) return;
            await InvokeAsync(async () =>
            {
                if (await OnLiveEventsAsync(batch)) StateHasChanged();
            });
        }
        finally { _gate.Release(); }
    }

    public virtual void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
