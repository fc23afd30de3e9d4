namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>
/// The attributes every app iframe gets — in a conversation (tab or sidebar) and in the app sandbox — written once
/// so the two can never differ. The sandbox keeps the app on its own origin and lets it do what the reference
/// (which sets no sandbox at all) lets it do: scripts, forms, pop-ups, downloads, and dialogs (<c>allow-modals</c>:
/// without it <c>confirm()</c> answers false at once, and apps guard destructive buttons with it).
/// </summary>
public static class AppFrameAttributes
{
    public const string Sandbox = "allow-scripts allow-same-origin allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox allow-downloads";
    public const string Allow = "clipboard-read; clipboard-write";
    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    /// <summary>For <c>@attributes</c> on an app's <c>&lt;iframe&gt;</c>.</summary>
    public static readonly IReadOnlyDictionary<string, object> All = new Dictionary<string, object>
    {
        ["sandbox"] = Sandbox,
        ["allow"] = Allow,
        ["referrerpolicy"] = ReferrerPolicy,
    };
}
