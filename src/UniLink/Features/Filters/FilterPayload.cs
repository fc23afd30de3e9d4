using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UniLink.Features.Filters;

/// <summary>One condition of the reference's filter payload: <c>{attribute_key, filter_operator, values, query_operator}</c>.</summary>
public sealed record FilterCondition(string AttributeKey, string Operator, IReadOnlyList<string> Values, string? QueryOperator);

/// <summary>A filter payload that could not be read; <see cref="Message"/> is the reference's wording, naming the bad part.</summary>
public sealed class FilterProblem(string message) : Exception(message);

/// <summary>
/// Reads and checks the reference's <c>POST …/conversations/filter</c> and <c>…/contacts/filter</c> payload, and joins
/// each condition's predicate as the reference's SQL does: conditions left to right joined by their query_operator,
/// AND binding tighter than OR.
/// </summary>
public static class FilterPayload
{
    public static readonly string[] Operators =
        ["equal_to", "not_equal_to", "contains", "does_not_contain", "is_present", "is_not_present", "is_greater_than", "is_less_than", "days_before", "starts_with"];

    public const int MaxConditions = 30;
    public const int MaxValues = 100;

    /// <summary>The conditions of <c>{"payload": [...]}</c>; throws <see cref="FilterProblem"/> for a payload that is not one.</summary>
    public static IReadOnlyList<FilterCondition> Read(JsonObject body)
    {
        if (body["payload"] is not JsonArray items || items.Count == 0)
            throw new FilterProblem("param is missing or the value is empty: payload");
        if (items.Count > MaxConditions) throw new FilterProblem($"payload may hold at most {MaxConditions} conditions");
        var conditions = new List<FilterCondition>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item) throw new FilterProblem($"payload[{i}] must be an object with attribute_key, filter_operator and values");
            var key = Text(item["attribute_key"]) ?? throw new FilterProblem($"payload[{i}].attribute_key can't be blank");
            var op = Text(item["filter_operator"]) ?? throw new FilterProblem($"payload[{i}].filter_operator can't be blank");
            if (!Operators.Contains(op))
                throw new FilterProblem($"Invalid operator. The allowed operators for {key} are [{string.Join(",", Operators)}].");
            var queryOperator = Text(item["query_operator"]);
            if (queryOperator is { Length: > 0 } && queryOperator.ToUpperInvariant() is not ("AND" or "OR"))
                throw new FilterProblem("Query operator must be either \"AND\" or \"OR\"");
            var values = Values(item["values"], key);
            if (op is not ("is_present" or "is_not_present") && values.Count == 0)
                throw new FilterProblem($"Invalid value. The values provided for {key} are invalid");
            conditions.Add(new FilterCondition(key, op, values, queryOperator is { Length: > 0 } ? queryOperator.ToUpperInvariant() : null));
        }
        return conditions;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 and <= 255 } s && !s.Contains('\0') ? s : null;

    private static List<string> Values(JsonNode? node, string key)
    {
        var items = node switch
        {
            null => [],
            JsonArray a => a.ToList(),
            _ => [node],
        };
        if (items.Count > MaxValues) throw new FilterProblem($"Invalid value. The values provided for {key} are invalid");
        var values = new List<string>();
        foreach (var item in items)
        {
            // The reference's dashboard sends some values as {"id": …, "name": …}.
            var value = item is JsonObject o ? o["id"] ?? o["name"] : item;
            if (value is not JsonValue v) throw new FilterProblem($"Invalid value. The values provided for {key} are invalid");
            var text = v.GetValueKind() switch
            {
                JsonValueKind.String => v.GetValue<string>(),
                JsonValueKind.Number => v.ToJsonString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (text is null || text.Length > 1000 || text.Contains('\0')) throw new FilterProblem($"Invalid value. The values provided for {key} are invalid");
            values.Add(text.Trim());
        }
        return values;
    }

    public static List<int> Ints(FilterCondition c) =>
        c.Values.Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
            : throw new FilterProblem($"Invalid value. The values provided for {c.AttributeKey} are invalid")).ToList();

    /// <summary>The first value as a day (yyyy-mm-dd, or any ISO date), for the date operators; days_before N is today minus N days.</summary>
    public static DateTime Day(FilterCondition c, DateTime now)
    {
        var v = c.Values[0];
        if (c.Operator == "days_before")
            return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) && days is >= 0 and <= 100_000
                ? now.Date.AddDays(-days)
                : throw new FilterProblem($"Invalid value. The values provided for {c.AttributeKey} are invalid");
        return DateTime.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d)
            ? DateTime.SpecifyKind(d.Date, DateTimeKind.Utc)
            : throw new FilterProblem($"Invalid value. The values provided for {c.AttributeKey} are invalid");
    }

    /// <summary>Operator not allowed for a standard attribute: the reference's message.</summary>
    public static FilterProblem NotAllowed(FilterCondition c, IEnumerable<string> allowed) =>
        new($"Invalid operator. The allowed operators for {c.AttributeKey} are [{string.Join(",", allowed)}].");

    public static FilterProblem UnknownAttribute(FilterCondition c, IEnumerable<string> keys) =>
        new($"Invalid attribute key - [{c.AttributeKey}]. The key should be one of [{string.Join(",", keys)}] or a custom attribute defined in the account.");

    /// <summary>Joins the predicates as SQL would read "p0 op0 p1 op1 p2": a disjunction of conjunctions.</summary>
    public static Expression<Func<T, bool>> Join<T>(IReadOnlyList<(Expression<Func<T, bool>> Predicate, string? Next)> parts)
    {
        var parameter = Expression.Parameter(typeof(T), "x");
        Expression? any = null, all = null;
        for (var i = 0; i < parts.Count; i++)
        {
            var body = new Rebind(parts[i].Predicate.Parameters[0], parameter).Visit(parts[i].Predicate.Body);
            all = all is null ? body : Expression.AndAlso(all, body);
            // The last condition's operator, if any, joins nothing.
            if (i == parts.Count - 1 || parts[i].Next == "OR")
            {
                any = any is null ? all : Expression.OrElse(any, all);
                all = null;
            }
        }
        return Expression.Lambda<Func<T, bool>>(any!, parameter);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
