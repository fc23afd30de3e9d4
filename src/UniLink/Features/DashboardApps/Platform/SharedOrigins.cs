using UniLink.Features.DashboardApps.Embedding;

namespace UniLink.Features.DashboardApps.Platform;

/// <summary>
/// The browser's unit of trust is the origin: apps framed from one origin can read each other's storage, messages
/// and tokens. Apps sharing an origin while differing in what they may do (permissions) or how they are verified
/// (signing secret) get a warning the administrator sees beside them.
/// </summary>
public static class SharedOrigins
{
    public static IReadOnlyDictionary<int, string> Warnings(IReadOnlyList<DashboardApp> apps)
    {
        var byOrigin = apps
            .SelectMany(a => DashboardAppContent.Read(a.Content).Select(f => FrameSourcePolicy.OriginOf(f.Url)).OfType<string>().Distinct()
                .Select(origin => (Origin: origin, App: a)))
            .GroupBy(x => x.Origin, x => x.App);
        var warnings = new Dictionary<int, string>();
        foreach (var group in byOrigin)
        {
            foreach (var app in group)
            {
                var differing = group.Where(other => other.Id != app.Id && !SameTrust(app, other)).Select(o => $"“{o.Title}”").ToList();
                if (differing.Count > 0 && !warnings.ContainsKey(app.Id))
                    warnings[app.Id] = $"Shares the origin {group.Key} with {string.Join(", ", differing)}, which may do other things or is signed "
                                       + "differently: the browser lets apps on one origin read each other's data and tokens.";
            }
        }
        return warnings;
    }

    private static bool SameTrust(DashboardApp a, DashboardApp b) =>
        AppActions.PermissionsOf(a).Order().SequenceEqual(AppActions.PermissionsOf(b).Order())
        && (a.SecretCiphertext is null) == (b.SecretCiphertext is null);
}
