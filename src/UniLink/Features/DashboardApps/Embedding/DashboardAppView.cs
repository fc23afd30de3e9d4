namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>
/// What the conversation view needs to embed an app: its title, every frame URL (URL variables already expanded),
/// in id order, where it shows and whether its frames outlive a conversation switch.
/// </summary>
public sealed record DashboardAppView(int Id, string Title, IReadOnlyList<string> FrameUrls,
    string Placement = Platform.AppSettings.Tab, bool KeepAlive = false)
{
    public bool InSidebar => Placement == Platform.AppSettings.Sidebar;
}
