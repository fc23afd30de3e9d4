using UniLink.Features.Messages;

namespace UniLink.Features.Conversations;

/// <summary>One agent's list with its filters: what a <see cref="ConversationListSnapshot"/> is loaded for.</summary>
public sealed record ConversationListKey(int AccountId, int UserId, ConversationListQuery Query);

/// <summary>One row of the dashboard's conversation list, as shown (its texts made once, for every dashboard showing it).</summary>
public sealed record ConversationListRow(int DisplayId, string ContactName, string Snippet, string Status, string? Priority, string? Assignee,
    IReadOnlyList<string> Labels, int Unread, DateTime LastActivity)
{
    public string Initials { get; } = Components.Display.Initials(ContactName);
    public string LastActivityIso { get; } = LastActivity.ToString("O");

    public bool Equals(ConversationListRow? other) => other is not null && DisplayId == other.DisplayId && ContactName == other.ContactName
        && Snippet == other.Snippet && Status == other.Status && Priority == other.Priority && Assignee == other.Assignee
        && Labels.SequenceEqual(other.Labels) && Unread == other.Unread && LastActivity == other.LastActivity;

    public override int GetHashCode() => HashCode.Combine(DisplayId, Snippet, Unread, LastActivity);
}

/// <summary>One page of a list plus its assignee counts, immutable: shared by every dashboard showing the same list.</summary>
public sealed record ConversationListSnapshot(IReadOnlyList<ConversationListRow> Rows, ConversationCounts Counts, bool HasMore)
{
    public static readonly ConversationListSnapshot Empty = new([], new ConversationCounts(0, 0, 0, 0), false);

    /// <summary>Why the list is empty when its saved filter cannot run (gone, or naming an attribute that no longer exists).</summary>
    public string? Problem { get; init; }

    public bool Equals(ConversationListSnapshot? other) =>
        other is not null && Counts == other.Counts && HasMore == other.HasMore && Problem == other.Problem && Rows.SequenceEqual(other.Rows);

    public override int GetHashCode() => HashCode.Combine(Rows.Count, Counts, HasMore);

    /// <summary>One page of rows through the (account, status, last activity) index; the whole list is never loaded.</summary>
    /// <param name="scope">The agent's scope in the account (<see cref="DashboardActor.ScopeForAsync(int, int, CancellationToken)"/>):
    /// what it lets them see, as the API's list.</param>
    public static async Task<ConversationListSnapshot> LoadAsync(UniLinkDb db, ConversationListKey key, AccountScope scope, CancellationToken ct = default)
    {
        var (accountId, userId, q) = key;
        var query = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
        {
            ["status"] = q.Status, ["assignee_type"] = q.Assignee, ["inbox_id"] = q.InboxId ?? "", ["team_id"] = q.TeamId ?? "",
            ["labels"] = q.Label ?? "", ["q"] = q.Search ?? "", ["page"] = q.Page.ToString(),
        };
        var (filter, _) = ConversationFilter.From(new QueryCollection(query), scope);
        filter ??= ConversationFilter.Default(scope);
        if (q.CustomFilterId is { } savedId)
        {
            // The user's own saved conversation filter, its conditions added to the list's other filters (as POST …/conversations/filter runs them).
            var saved = await db.CustomFilters.AsNoTracking()
                .FirstOrDefaultAsync(f => f.Id == savedId && f.AccountId == accountId && f.UserId == userId && f.FilterType == "conversation", ct);
            if (saved is null) return Empty with { Problem = "This saved filter no longer exists." };
            var payload = Infrastructure.Http.JsonText.Object(saved.Query);
            if (payload["payload"] is System.Text.Json.Nodes.JsonArray { Count: > 0 })
            {
                try
                {
                    filter = filter with { Where = await Filters.RecordFilters.ConversationsAsync(Filters.FilterPayload.Read(payload), db, accountId, DateTime.UtcNow, ct) };
                }
                catch (Filters.FilterProblem problem)
                {
                    return Empty with { Problem = $"The saved filter “{saved.Name}” cannot run: {problem.Message}" };
                }
            }
        }
        filter = await filter.WithSearchAsync(db, accountId, ct);
        var counts = await filter.CountsAsync(db, scope, ct);
        const int pageSize = ConversationsEndpoints.PageSize;
        var page = await (await filter.FewFoundFirstAsync(filter.ApplyAssignee(filter.Apply(db.Conversations.AsNoTracking().Where(c => c.AccountId == accountId), db, accountId))
            .OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id)
            .Skip((filter.Page - 1) * pageSize).Take(pageSize + 1), (filter.Page - 1) * pageSize, pageSize + 1, counts, db, accountId, ct))
            .Select(c => new
            {
                c.DisplayId, c.Contact.Name, c.Contact.Email, c.Status, c.Priority, c.LastActivityAt,
                Assignee = c.Assignee == null ? null : c.Assignee.Name,
                Labels = c.Labels.OrderBy(l => l.Title).Select(l => l.Title).ToList(),
                Last = c.Messages.Where(m => m.MessageType != MessageType.Activity && !m.Private).OrderByDescending(m => m.Id).Select(m => m.Content).FirstOrDefault(),
                Unread = c.Messages.Count(m => m.MessageType == MessageType.Incoming && m.CreatedAt > (c.AgentLastSeenAt ?? DateTime.MinValue)),
            })
            .ToListAsync(ct);
        var rows = page.Take(pageSize).Select(c => new ConversationListRow(c.DisplayId, c.Name ?? c.Email ?? "Unknown contact",
            c.Last is { Length: > 140 } l ? l[..140] + "…" : c.Last ?? "", ConversationReader.StatusName(c.Status), c.Priority, c.Assignee,
            c.Labels, c.Unread, c.LastActivityAt)).ToList();
        return new ConversationListSnapshot(rows, counts, page.Count > pageSize);
    }
}
