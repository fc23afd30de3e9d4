using System.Linq.Expressions;
using UniLink.Features.Contacts;
using UniLink.Features.CustomAttributes;

namespace UniLink.Features.Filters;

/// <summary>
/// The reference's filter keys (its <c>lib/filters/filter_keys.yml</c>) for conversations and contacts, each with its
/// allowed operators, turned into one predicate over the records; any other key must be a custom attribute defined in
/// the account for that model.
/// </summary>
public static class RecordFilters
{
    private static readonly string[] IdOps = ["equal_to", "not_equal_to", "is_present", "is_not_present"];
    private static readonly string[] EqOps = ["equal_to", "not_equal_to"];
    private static readonly string[] TextOps = ["equal_to", "not_equal_to", "contains", "does_not_contain"];
    private static readonly string[] DateOps = ["is_greater_than", "is_less_than", "days_before"];

    private static readonly Dictionary<string, string[]> ConversationKeys = new()
    {
        ["status"] = EqOps, ["assignee_id"] = IdOps, ["inbox_id"] = IdOps, ["team_id"] = IdOps, ["priority"] = EqOps,
        ["display_id"] = TextOps, ["campaign_id"] = IdOps, ["labels"] = IdOps,
        ["browser_language"] = EqOps, ["conversation_language"] = EqOps, ["country_code"] = EqOps, ["referer"] = TextOps,
        ["created_at"] = DateOps, ["last_activity_at"] = DateOps, ["mail_subject"] = TextOps, ["time"] = ["is_greater_than"],
        ["awaiter"] = EqOps, ["label"] = EqOps,
    };

    private static readonly string[] ConversationAdditional = ["browser_language", "conversation_language", "country_code", "referer", "mail_subject", "time", "awaiter", "label"];

    private static readonly Dictionary<string, string[]> ContactKeys = new()
    {
        ["name"] = TextOps, ["phone_number"] = [.. TextOps, "starts_with"], ["email"] = TextOps, ["identifier"] = EqOps,
        ["country_code"] = EqOps, ["city"] = TextOps, ["company"] = TextOps, ["labels"] = IdOps,
        ["created_at"] = DateOps, ["last_activity_at"] = DateOps, ["blocked"] = EqOps,
    };

    private static readonly string[] ContactAdditional = ["country_code", "city", "company"];

    public static async Task<Expression<Func<Conversation, bool>>> ConversationsAsync(IReadOnlyList<FilterCondition> conditions, UniLinkDb db, int accountId, DateTime now, CancellationToken ct)
    {
        var custom = await CustomAsync(db, accountId, AttributeModel.ConversationAttribute, ct);
        var parts = new List<(Expression<Func<Conversation, bool>>, string?)>();
        foreach (var c in conditions)
        {
            Check(c, ConversationKeys, custom);
            parts.Add((Conversation(c, db, accountId, now, custom), c.QueryOperator));
        }
        return FilterPayload.Join(parts);
    }

    public static async Task<Expression<Func<Contact, bool>>> ContactsAsync(IReadOnlyList<FilterCondition> conditions, UniLinkDb db, int accountId, DateTime now, CancellationToken ct)
    {
        var custom = await CustomAsync(db, accountId, AttributeModel.ContactAttribute, ct);
        var parts = new List<(Expression<Func<Contact, bool>>, string?)>();
        foreach (var c in conditions)
        {
            Check(c, ContactKeys, custom);
            parts.Add((Contact(c, db, accountId, now, custom), c.QueryOperator));
        }
        return FilterPayload.Join(parts);
    }

    private static async Task<Dictionary<string, AttributeDisplayType>> CustomAsync(UniLinkDb db, int accountId, AttributeModel model, CancellationToken ct) =>
        await db.CustomAttributeDefinitions.AsNoTracking().Where(d => d.AccountId == accountId && d.AttributeModel == model)
            .ToDictionaryAsync(d => d.AttributeKey, d => d.AttributeDisplayType, ct);

    /// <summary>As the reference: a standard key's operator must be one it allows; any other key must be a defined custom attribute.</summary>
    private static void Check(FilterCondition c, Dictionary<string, string[]> keys, Dictionary<string, AttributeDisplayType> custom)
    {
        if (keys.TryGetValue(c.AttributeKey, out var allowed))
        {
            if (!allowed.Contains(c.Operator)) throw FilterPayload.NotAllowed(c, allowed);
        }
        else if (!custom.ContainsKey(c.AttributeKey) || !FilterPredicates.IsSafeKey(c.AttributeKey))
            throw FilterPayload.UnknownAttribute(c, keys.Keys);
    }

    private static Expression<Func<Conversation, bool>> Conversation(FilterCondition c, UniLinkDb db, int accountId, DateTime now, Dictionary<string, AttributeDisplayType> custom)
    {
        switch (c.AttributeKey)
        {
            case "status":
            {
                var statuses = c.Values.Contains("all")
                    ? Enum.GetValues<ConversationStatus>().ToList()
                    : c.Values.Select(v => ConversationStatuses.Parse(v) ?? throw new FilterProblem($"Invalid value. The values provided for {c.AttributeKey} are invalid")).ToList();
                return c.Operator == "equal_to" ? x => statuses.Contains(x.Status) : x => !statuses.Contains(x.Status);
            }
            case "assignee_id": return FilterPredicates.On<Conversation, int?>(x => x.AssigneeId, FilterPredicates.Ids(c));
            case "inbox_id": return FilterPredicates.On<Conversation, int?>(x => x.InboxId, FilterPredicates.Ids(c));
            case "team_id": return FilterPredicates.On<Conversation, int?>(x => x.TeamId, FilterPredicates.Ids(c));
            case "campaign_id":
                // UniLink has no campaigns: no conversation has one (as SQL's NULL, in neither equal_to nor not_equal_to).
                FilterPredicates.Ids(c);
                return c.Operator == "is_not_present" ? x => true : x => false;
            case "priority": return FilterPredicates.On<Conversation, string?>(x => x.Priority, FilterPredicates.Text(c));
            case "display_id":
                if (c.Operator is "equal_to" or "not_equal_to") return FilterPredicates.On<Conversation, int?>(x => x.DisplayId, FilterPredicates.Ids(c));
                return FilterPredicates.On<Conversation, string?>(x => x.DisplayId.ToString(), FilterPredicates.Text(c));
            case "labels":
            {
                var titles = c.Values.Select(v => v.ToLowerInvariant()).ToList();
                return c.Operator switch
                {
                    "equal_to" => x => x.Labels.Any(l => titles.Contains(l.Title)),
                    "not_equal_to" => x => !x.Labels.Any(l => titles.Contains(l.Title)),
                    "is_present" => x => x.Labels.Any(),
                    _ => x => !x.Labels.Any(),
                };
            }
            case "created_at": return FilterPredicates.On<Conversation, DateTime?>(x => x.CreatedAt, FilterPredicates.Day(c, now));
            case "last_activity_at": return FilterPredicates.On<Conversation, DateTime?>(x => x.LastActivityAt, FilterPredicates.Day(c, now));
        }
        var additional = ConversationAdditional.Contains(c.AttributeKey);
        var rows = FilterPredicates.JsonRows(db, "Conversations", additional ? "AdditionalAttributes" : "CustomAttributes", accountId, c.AttributeKey);
        var predicate = additional
            ? c.AttributeKey == "time" ? FilterPredicates.Custom(c, AttributeDisplayType.Number, now) : FilterPredicates.On<JsonAttributeRow, string?>(r => r.Value, FilterPredicates.Text(c))
            : FilterPredicates.Custom(c, custom[c.AttributeKey], now);
        var ids = rows.Where(predicate).Select(r => r.Id);
        return x => ids.Contains(x.Id);
    }

    private static Expression<Func<Contact, bool>> Contact(FilterCondition c, UniLinkDb db, int accountId, DateTime now, Dictionary<string, AttributeDisplayType> custom)
    {
        switch (c.AttributeKey)
        {
            case "name": return FilterPredicates.On<Contact, string?>(x => x.Name, FilterPredicates.Text(c));
            case "email": return FilterPredicates.On<Contact, string?>(x => x.Email, FilterPredicates.Text(c));
            case "identifier": return FilterPredicates.On<Contact, string?>(x => x.Identifier, FilterPredicates.Text(c));
            case "phone_number":
            {
                // As the reference: the number is looked for with its leading "+".
                var withPlus = c with { Values = c.Values.Select(v => c.Operator is "equal_to" or "not_equal_to" or "starts_with" && !v.StartsWith('+') ? "+" + v : v).ToList() };
                return FilterPredicates.On<Contact, string?>(x => x.PhoneNumber, FilterPredicates.Text(withPlus));
            }
            case "blocked":
            {
                var wanted = c.Values.Select(v => v.ToLowerInvariant() switch
                {
                    "true" or "1" => true,
                    "false" or "0" => false,
                    _ => throw new FilterProblem($"Invalid value. The values provided for {c.AttributeKey} are invalid"),
                }).ToList();
                return c.Operator == "equal_to" ? x => wanted.Contains(x.Blocked) : x => !wanted.Contains(x.Blocked);
            }
            case "labels":
            {
                var titles = c.Values.Select(v => v.ToLowerInvariant()).ToList();
                var labelled = db.ContactLabels.Where(l => titles.Contains(l.Title)).Select(l => l.ContactId);
                var any = db.ContactLabels.Select(l => l.ContactId);
                return c.Operator switch
                {
                    "equal_to" => x => labelled.Contains(x.Id),
                    "not_equal_to" => x => !labelled.Contains(x.Id),
                    "is_present" => x => any.Contains(x.Id),
                    _ => x => !any.Contains(x.Id),
                };
            }
            case "created_at": return FilterPredicates.On<Contact, DateTime?>(x => x.CreatedAt, FilterPredicates.Day(c, now));
            case "last_activity_at": return FilterPredicates.On<Contact, DateTime?>(x => x.LastActivityAt, FilterPredicates.Day(c, now));
        }
        var additional = ContactAdditional.Contains(c.AttributeKey);
        var rows = FilterPredicates.JsonRows(db, "Contacts", additional ? "AdditionalAttributes" : "CustomAttributes", accountId, c.AttributeKey);
        var predicate = additional
            ? FilterPredicates.On<JsonAttributeRow, string?>(r => r.Value, FilterPredicates.Text(c))
            : FilterPredicates.Custom(c, custom[c.AttributeKey], now);
        var ids = rows.Where(predicate).Select(r => r.Id);
        return x => ids.Contains(x.Id);
    }
}
