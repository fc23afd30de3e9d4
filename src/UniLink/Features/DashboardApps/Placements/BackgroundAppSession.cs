using UniLink.Features.DashboardApps.Platform;

namespace UniLink.Features.DashboardApps.Placements;

/// <summary>
/// One signed-in dashboard's (circuit's) link between its background apps and the conversation open in it: the
/// conversation page says which one is open (and lets a background app's draft reach its reply box); background apps
/// act on it, or on none.
/// </summary>
public sealed class BackgroundAppSession
{
    private object? _owner;

    /// <summary>The open conversation (display id and inbox), if any.</summary>
    public (int DisplayId, int InboxId)? OpenConversation { get; private set; }

    /// <summary>Does in the open conversation's page what a performed action asks of it (a draft in the reply box).</summary>
    public Func<AppActionResult, Task>? ApplyInPage { get; private set; }

    public void Open(object owner, int displayId, int inboxId, Func<AppActionResult, Task> applyInPage)
    {
        _owner = owner;
        OpenConversation = (displayId, inboxId);
        ApplyInPage = applyInPage;
    }

    /// <summary>The page <paramref name="owner"/> closed (or lost the conversation): nothing is open any more, unless another page opened since.</summary>
    public void Close(object owner)
    {
        if (!ReferenceEquals(_owner, owner)) return;
        _owner = null;
        OpenConversation = null;
        ApplyInPage = null;
    }
}
