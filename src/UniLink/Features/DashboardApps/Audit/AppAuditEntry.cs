namespace UniLink.Features.DashboardApps.Audit;

/// <summary>
/// One line of the apps' audit log: a change to an app (install, settings, permissions, consent, secret), something an
/// app did (an action, a request through the host), or that an app received a conversation's context for an agent
/// (sampled). Kept <see cref="AppAuditRetention.Days"/> days; the app's id and title are copied, so a deleted app's
/// lines stay readable.
/// </summary>
public class AppAuditEntry
{
    public long Id { get; set; }
    public int AccountId { get; set; }
    public int AppId { get; set; }
    public required string AppTitle { get; set; }
    /// <summary>One of <see cref="AppAuditEvents"/>.</summary>
    public required string Event { get; set; }
    /// <summary>The member who did it, or for whom the app acted; null for the system.</summary>
    public int? UserId { get; set; }
    public string? UserName { get; set; }
    /// <summary>The conversation's display id (what the API and the dashboard call its id).</summary>
    public int? ConversationId { get; set; }
    /// <summary>What the app asked for (JSON text, clipped).</summary>
    public string? Request { get; set; }
    /// <summary>"ok", the answer's status, or why it was refused.</summary>
    public string? Outcome { get; set; }
    /// <summary>Changed settings as a JSON object of <c>{"name": [before, after]}</c>; secret values never.</summary>
    public string? Changes { get; set; }
    /// <summary>For context receipts only: app, conversation, agent and hour, unique, so one line an hour whatever the nodes.</summary>
    public string? SampleKey { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class AppAuditEvents
{
    public const string Created = "app_created";
    public const string Installed = "app_installed";
    public const string Updated = "app_updated";
    public const string Deleted = "app_deleted";
    public const string ManifestUpdated = "manifest_updated";
    public const string ManifestPending = "manifest_update_pending";
    public const string ConsentGiven = "consent_given";
    public const string SettingsChanged = "settings_changed";
    public const string PermissionsChanged = "permissions_changed";
    public const string SettingValuesChanged = "setting_values_changed";
    public const string SecretRotated = "secret_rotated";
    public const string ActionPerformed = "action_performed";
    public const string ActionRefused = "action_refused";
    public const string RequestMade = "request_made";
    public const string ContextReceived = "context_received";
    /// <summary>A hook (before_send, before_resolve) the app blocked, or whose text it replaced.</summary>
    public const string HookAnswered = "hook_answered";

    public static readonly string[] All =
    [
        Created, Installed, Updated, Deleted, ManifestUpdated, ManifestPending, ConsentGiven, SettingsChanged, PermissionsChanged,
        SettingValuesChanged, SecretRotated, ActionPerformed, ActionRefused, RequestMade, ContextReceived, HookAnswered,
    ];

    /// <summary>The reference's <c>action</c> for a change of a record (create, update, destroy); what an app did keeps its own name.</summary>
    public static string ReferenceAction(string @event) => @event switch
    {
        Created or Installed => "create",
        Deleted => "destroy",
        ActionPerformed or ActionRefused or RequestMade or ContextReceived or HookAnswered => @event,
        _ => "update",
    };

    /// <summary>What happened, in words, for the settings page and the reference's <c>comment</c>.</summary>
    public static string Describe(string @event) => @event switch
    {
        Created => "Added the app",
        Installed => "Installed the app from a manifest",
        Updated => "Changed the app's name or frames",
        Deleted => "Deleted the app",
        ManifestUpdated => "Applied a manifest update",
        ManifestPending => "Received a manifest update that waits for consent",
        ConsentGiven => "Consented to a manifest update",
        SettingsChanged => "Changed the app's settings",
        PermissionsChanged => "Changed what the app may do",
        SettingValuesChanged => "Changed the app's setting values",
        SecretRotated => "Replaced the app's signing secret",
        ActionPerformed => "The app performed an action",
        HookAnswered => "The app blocked or changed what the agent was doing (a hook)",
        ActionRefused => "The app's action was refused",
        RequestMade => "The app made a request through UniLink",
        ContextReceived => "The app received the conversation's context",
        _ => @event,
    };
}
