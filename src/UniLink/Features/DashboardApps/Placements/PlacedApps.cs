using UniLink.Features.Contacts;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.DashboardApps.Platform;

namespace UniLink.Features.DashboardApps.Placements;

/// <summary>The apps of one placement that one member sees, as a page outside a conversation loads them.</summary>
public sealed record PlacedApps(IReadOnlyList<DashboardApp> Rows, IReadOnlyList<DashboardAppView> Views, string Role)
{
    public static readonly PlacedApps None = new([], [], "");

    /// <summary>
    /// The account's apps placed at <paramref name="placement"/> whose audience holds the member, their URL variables
    /// filled in (the contact's, when there is one; no conversation's). Inbox restrictions are about conversations: they
    /// do not apply here. A non-member sees none.
    /// </summary>
    public static async Task<PlacedApps> LoadAsync(UniLinkDb db, int accountId, int userId, string placement, Contact? contact, CancellationToken ct = default)
    {
        var member = await db.AccountUsers.AsNoTracking().Where(m => m.AccountId == accountId && m.UserId == userId)
            .Select(m => new { m.Role, m.User.Email }).FirstOrDefaultAsync(ct);
        if (member is null || await AppViewer.LoadAsync(db, accountId, userId, ct) is not { } viewer) return None;
        var rows = (await db.DashboardApps.AsNoTracking().Where(a => a.AccountId == accountId && a.Placement == placement).OrderBy(a => a.Id).ToListAsync(ct))
            .Where(a => AppAudience.Includes(a, viewer)).ToList();
        var values = FrameUrlValues.For(accountId, null, contact, userId, member.Email);
        return new PlacedApps(rows, rows.Select(a => View(a, values)).ToList(), member.Role);
    }

    /// <summary>What a page needs to embed the app, its URL variables expanded within its scopes.</summary>
    public static DashboardAppView View(DashboardApp app, IReadOnlyDictionary<string, string?> values) =>
        new(app.Id, app.Title,
            JsonText.Array(app.Content).Select(f => f?["url"]?.ToString()).Where(u => u is not null)
                .Select(u => FrameUrlTemplate.FrameSource(u!, ContextScopes.UrlValues(values, app))).ToList(),
            app.Placement, app.KeepAlive, DashboardAppView.DraftsOf(app), DashboardAppView.HasHooks(app));
}
