namespace UniLink.Features.Dashboard;

/// <summary>The list's filters as they travel in the address bar, so a filtered list can be linked and reloaded.</summary>
public sealed record ConversationListQuery(string Status, string Assignee, string? InboxId, string? Label, string? Search, int Page)
{
    /// <summary>The team filter (<c>team_id</c>), null for every team.</summary>
    public string? TeamId { get; init; }

    /// <summary>A saved filter of the user's (<c>custom_filter</c>, a <c>…/custom_filters</c> id) whose conditions the list runs.</summary>
    public int? CustomFilterId { get; init; }

    public static readonly string[] Statuses = ["open", "pending", "snoozed", "resolved", "all"];

    public static ConversationListQuery From(string? status, string? assignee, string? inbox, string? label, string? q, int? page) => new(
        status is not null && Statuses.Contains(status) ? status : "open",
        assignee is "me" or "unassigned" or "all" ? assignee : "all",
        string.IsNullOrEmpty(inbox) ? null : inbox,
        string.IsNullOrEmpty(label) ? null : label,
        string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
        page is > 0 ? page.Value : 1);

    public string ToQueryString()
    {
        var parts = new Dictionary<string, string?>
        {
            ["status"] = Status, ["assignee_type"] = Assignee, ["inbox_id"] = InboxId, ["team_id"] = TeamId, ["labels"] = Label, ["q"] = Search,
            ["custom_filter"] = CustomFilterId?.ToString(),
            ["page"] = Page > 1 ? Page.ToString() : null,
        };
        return string.Join("&", parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));
    }
}
