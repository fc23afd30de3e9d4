namespace UniLink.Components;

/// <summary>How the dashboard writes a person's initials and a past moment, wherever it shows them.</summary>
public static class Display
{
    public static string Initials(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => char.IsLetterOrDigit(p[0])).Take(2).ToList();
        return parts.Count == 0 ? "?" : string.Concat(parts.Select(p => char.ToUpperInvariant(p[0])));
    }

    public static string Ago(DateTime at)
    {
        var span = DateTime.UtcNow - at;
        if (span < TimeSpan.FromMinutes(1)) return "now";
        if (span < TimeSpan.FromHours(1)) return $"{(int)span.TotalMinutes}m";
        if (span < TimeSpan.FromDays(1)) return $"{(int)span.TotalHours}h";
        if (span < TimeSpan.FromDays(30)) return $"{(int)span.TotalDays}d";
        return at.ToString("d MMM yyyy");
    }
}
