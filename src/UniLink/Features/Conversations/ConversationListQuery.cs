using System.Text.Json.Nodes;

namespace UniLink.Features.Conversations;

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

    /// <summary>
    /// The list's filters as the reference's filter payload (<c>{"payload": [conditions]}</c>), kept by "Save view" as a
    /// saved filter that the reference's clients read too. The search is not a condition of the reference's filters and is
    /// not kept; "Mine" is kept as the user's own id.
    /// </summary>
    public JsonObject ToFilterPayload(int userId)
    {
        var conditions = new List<JsonObject> { Condition("status", "equal_to", Status) };
        if (Assignee == "me") conditions.Add(Condition("assignee_id", "equal_to", userId));
        else if (Assignee == "unassigned") conditions.Add(Condition("assignee_id", "is_not_present"));
        if (int.TryParse(InboxId, out var inbox)) conditions.Add(Condition("inbox_id", "equal_to", inbox));
        if (int.TryParse(TeamId, out var team)) conditions.Add(Condition("team_id", "equal_to", team));
        if (Label is not null) conditions.Add(Condition("labels", "equal_to", Label));
        for (var i = 0; i < conditions.Count; i++) conditions[i]["query_operator"] = i < conditions.Count - 1 ? "and" : null;
        return new JsonObject { ["payload"] = new JsonArray([.. conditions]) };
    }

    private static JsonObject Condition(string key, string op, params JsonNode[] values) =>
        new() { ["attribute_key"] = key, ["filter_operator"] = op, ["values"] = new JsonArray(values) };
}
