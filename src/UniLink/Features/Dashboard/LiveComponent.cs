using Microsoft.AspNetCore.Components;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Dashboard;

/// <summary>
/// A dashboard component that follows an account's <see cref="LiveBus"/> events: subclasses call
/// <see cref="FollowAccount"/> and override <see cref="OnLiveEventAsync"/>; the component re-renders after each.
/// Events are handled one at a time, in order.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    [Inject] private LiveBus Live { get; set; } = default!;
    private IDisposable? _subscription;
    private int _followedAccount = -1;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    protected void FollowAccount(int accountId)
    {
        if (_followedAccount == accountId) return;
        _subscription?.Dispose();
        _followedAccount = accountId;
        _subscription = Live.Subscribe(accountId, OnEventAsync);
    }

    /// <summary>Runs on the component's dispatcher; return false to skip the re-render.</summary>
    protected abstract Task<bool> OnLiveEventAsync(LiveEvent e);

    private async Task OnEventAsync(LiveEvent e)
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed) return;
            await InvokeAsync(async () =>
            {
                if (await OnLiveEventAsync(e)) StateHasChanged();
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
