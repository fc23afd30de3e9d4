
namespace UniLink.Features.DashboardApps.Platform;

/// <summary>A member of an account as an app's audience sees them: who, their role, the account's teams they are in.</summary>
public sealed record AppViewer(int UserId, string Role, IReadOnlySet<int> TeamIds)
{
    public bool IsAdministrator => Role == Roles.Administrator;

    /// <summary>The member as they are now, or null when they are not (or no longer) a member of the account.</summary>
    public static async Task<AppViewer?> LoadAsync(UniLinkDb db, int accountId, int userId, CancellationToken ct = default)
    {
        var role = await db.AccountUsers.AsNoTracking().Where(m => m.AccountId == accountId && m.UserId == userId).Select(m => m.Role).FirstOrDefaultAsync(ct);
        if (role is null) return null;
        return new AppViewer(userId, role, await TeamIdsAsync(db, accountId, userId, ct));
    }

    /// <summary>The member whose scope the dashboard has resolved (<see cref="Infrastructure.Auth.DashboardActor"/>): only their teams are read.</summary>
    public static async Task<AppViewer> LoadAsync(UniLinkDb db, Infrastructure.Auth.AccountScope scope, CancellationToken ct = default)
    {
        var userId = scope.UserId ?? throw new ArgumentException("A user's scope", nameof(scope));
        var teams = await TeamIdsAsync(db, scope.AccountId, userId, ct);
        return new AppViewer(userId, scope.Role ?? "", teams);
    }

    private static async Task<IReadOnlySet<int>> TeamIdsAsync(UniLinkDb db, int accountId, int userId, CancellationToken ct) =>
        (await db.TeamMembers.AsNoTracking()
            .Where(tm => tm.UserId == userId && db.Teams.Any(t => t.Id == tm.TeamId && t.AccountId == accountId))
            .Select(tm => tm.TeamId).ToListAsync(ct)).ToHashSet();
}

/// <summary>
/// To whom an app shows (<see cref="DashboardApp.VisibleTo"/>): every member, administrators only, or the members of
/// chosen teams and chosen agents (administrators always included: they configure the app and can open it in the
/// sandbox anyway). The one rule for the tabs, the context and its tokens, the actions, the host's requests and the API's
/// reads: a member outside the audience gets none of them.
/// </summary>
public static class AppAudience
{
    public static bool Includes(DashboardApp app, AppViewer viewer) => app.VisibleTo switch
    {
        AppSettings.VisibleToAll => true,
        AppSettings.VisibleToSelected => viewer.IsAdministrator
            || AppSettings.IdsOf(app.AudienceUserIds).Contains(viewer.UserId)
            || AppSettings.IdsOf(app.AudienceTeamIds).Any(viewer.TeamIds.Contains),
        _ => viewer.IsAdministrator,
    };
}
