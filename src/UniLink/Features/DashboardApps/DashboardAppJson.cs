namespace UniLink.Features.DashboardApps;

/// <summary>Exactly the reference's four fields.</summary>
public sealed record DashboardAppJson(int Id, string Title, IReadOnlyList<DashboardAppFrame> Content, string CreatedAt);

public static class DashboardAppMapping
{
    public static DashboardAppJson ToJson(this DashboardApp app) =>
        new(app.Id, app.Title, DashboardAppContent.Read(app.Content), UnixTime.IsoMillis(app.CreatedAt));
}
