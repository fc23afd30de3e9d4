namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>What the conversation view needs to embed an app: its title and every frame URL, in id order.</summary>
public sealed record DashboardAppView(int Id, string Title, IReadOnlyList<string> FrameUrls);
