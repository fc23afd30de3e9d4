namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>
/// What the conversation view needs to embed an app: its title, every frame URL (URL variables already expanded),
/// in id order, where it shows and whether its frames outlive a conversation switch.
/// </summary>
public sealed record DashboardAppView(int Id, string Title, IReadOnlyList<string> FrameUrls,
    string Placement = Platform.AppSettings.Tab, bool KeepAlive = false, string Drafts = DashboardAppView.AllDrafts, bool Hooked = false)
{
    /// <summary>The app holds a hook (before_send, before_resolve): its frame loads with the conversation, tab or not, so it can answer.</summary>
    public static bool HasHooks(DashboardApp app) => Platform.AppActions.PermissionsOf(app).Intersect(Platform.AppActions.Hooks).Any();

    /// <summary><see cref="Drafts"/>: which reply-box drafts the app may hear of (<c>reply.draft_changed</c>), by its message scopes.</summary>
    public const string AllDrafts = "all", PublicDrafts = "public", NoDrafts = "none";

    public static string DraftsOf(DashboardApp app)
    {
        var granted = Platform.ContextScopes.GrantedOf(app);
        return granted.Contains(Platform.ContextScopes.MessagesAll) ? AllDrafts
            : granted.Contains(Platform.ContextScopes.MessagesPublic) ? PublicDrafts : NoDrafts;
    }

    public bool InSidebar => Placement == Platform.AppSettings.Sidebar;
    /// <summary>A button in the reply box opens it in a popover.</summary>
    public bool InComposer => Placement == Platform.AppSettings.Composer;
    /// <summary>A tab beside Messages (the reference's only placement).</summary>
    public bool InTab => Placement == Platform.AppSettings.Tab;
    /// <summary>A section of the contact panel.</summary>
    public bool InContactPanel => Placement == Platform.AppSettings.ContactPanel;
}
