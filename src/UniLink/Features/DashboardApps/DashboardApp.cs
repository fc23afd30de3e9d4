namespace UniLink.Features.DashboardApps;

public class DashboardApp
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public int? UserId { get; set; }
    public required string Title { get; set; }
    /// <summary>JSON array text: <c>[{"type":"frame","url":"…"}]</c>.</summary>
    public required string Content { get; set; }
    /// <summary>
    /// The app's signing secret, encrypted with the data-protection keys (it must be readable to sign, so it is
    /// not hashed); null until an administrator generates one. Shown in clear only once, when generated.
    /// </summary>
    public string? SecretCiphertext { get; set; }
    /// <summary>Actions an administrator allowed the app to ask for (<see cref="Platform.AppActions.All"/>), comma-separated.</summary>
    public string Permissions { get; set; } = "";
    /// <summary>Inbox ids the app appears in, comma-separated; empty means every inbox.</summary>
    public string InboxIds { get; set; } = "";
    /// <summary><see cref="Platform.AppSettings.VisibleToAll"/>, <see cref="Platform.AppSettings.VisibleToAdministrators"/> or
    /// <see cref="Platform.AppSettings.VisibleToSelected"/> (<see cref="AudienceTeamIds"/> and <see cref="AudienceUserIds"/>).</summary>
    public string VisibleTo { get; set; } = Platform.AppSettings.VisibleToAll;
    /// <summary>Team ids whose members see the app when it is visible to selected teams and agents, comma-separated.</summary>
    public string AudienceTeamIds { get; set; } = "";
    /// <summary>User ids of the agents who see the app when it is visible to selected teams and agents, comma-separated.</summary>
    public string AudienceUserIds { get; set; } = "";
    /// <summary><see cref="Platform.AppSettings.Tab"/> or <see cref="Platform.AppSettings.Sidebar"/>.</summary>
    public string Placement { get; set; } = Platform.AppSettings.Tab;
    /// <summary>The app's iframe survives conversation switches and gets the new context instead of reloading.</summary>
    public bool KeepAlive { get; set; }
    /// <summary>
    /// Origins the app's frames may pass through besides their own (an SSO sign-in, http→https, apex→www),
    /// space-separated: added to the dashboard's <c>frame-src</c>, never sent a context.
    /// </summary>
    public string ExtraFrameOrigins { get; set; } = "";
    /// <summary>
    /// <see cref="Platform.ContextScopes"/> the app does not hold, comma-separated: empty (the default, and every app
    /// registered the reference's way) means its context holds everything.
    /// </summary>
    public string WithheldContextScopes { get; set; } = "";
    /// <summary>Where the app's manifest was fetched from (null: posted as a document, or registered with name and URL).</summary>
    public string? ManifestUrl { get; set; }
    /// <summary>The manifest an administrator consented to, normalised JSON; null for apps registered the reference's way.</summary>
    public string? Manifest { get; set; }
    /// <summary>A newer manifest that asks for more than was consented: stored, not in force until an administrator consents.</summary>
    public string? PendingManifest { get; set; }
    /// <summary>Host names the app may call through the host (<c>unilink:request</c>), space-separated: the granted ones.</summary>
    public string RequestDomains { get; set; } = "";
    /// <summary>The values of the settings form that are not secret, a JSON object; shown to administrators.</summary>
    public string? SettingValues { get; set; }
    /// <summary>The secret settings' values, a JSON object encrypted with the data-protection keys; never shown, never sent to a browser.</summary>
    public string? SecretSettingsCiphertext { get; set; }
    /// <summary>How long the dashboard waits for the app's answer to a hook (<c>before_send</c>, <c>before_resolve</c>), in
    /// milliseconds; null is <see cref="Platform.AppHooks.DefaultTimeoutMs"/>.</summary>
    public int? HookTimeoutMs { get; set; }
    /// <summary>What a hook the app did not answer in time does: false lets the reply go (or the conversation resolve), true blocks it.</summary>
    public bool HookTimeoutBlocks { get; set; }
    /// <summary>The app's own HTTPS endpoint that receives <see cref="EventTypes"/> through the webhooks' outbox; null: none.</summary>
    public string? EventEndpoint { get; set; }
    /// <summary>The <see cref="Events.AppEventTypes.Server"/> events sent to <see cref="EventEndpoint"/>, comma-separated.</summary>
    public string EventTypes { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
