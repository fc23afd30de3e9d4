using System.Globalization;

namespace UniLink.Infrastructure.Http;

/// <summary>The account a dashboard address belongs to: <c>/app/accounts/{id}/…</c>, with or without the leading slash.</summary>
public static class DashboardPaths
{
    public static int? AccountIdOf(string? path)
    {
        var segments = (path ?? "").Split(['/', '?', '#'], StringSplitOptions.RemoveEmptyEntries);
        return segments is ["app", "accounts", var id, ..] && int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var accountId)
            ? accountId
            : null;
    }

    /// <summary>The dashboard's address of a conversation.</summary>
    public static string Conversation(int accountId, int displayId) =>
        string.Create(CultureInfo.InvariantCulture, $"/app/accounts/{accountId}/conversations/{displayId}");
}
