using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using UniLink.Features.CustomAttributes;

namespace UniLink.Features.Filters;

/// <summary>A record's id and one key of one of its JSON attribute columns: as text, and as a number when it is one.</summary>
public sealed class JsonAttributeRow
{
    public int Id { get; set; }
    public string? Value { get; set; }
    public double? Number { get; set; }
}

/// <summary>The predicates of the filter operators, written once over a value and applied to a column or a JSON attribute.</summary>
public static class FilterPredicates
{
    /// <summary>
    /// Each of the account's records with the value of <paramref name="key"/> in its JSON column (null when absent), read
    /// by the database: PostgreSQL's <c>-&gt;&gt;</c>, SQLite's <c>json_extract</c> (true and false as the words, as PostgreSQL).
    /// </summary>
    /// <param name="table">"Conversations" or "Contacts"; <paramref name="column"/> "CustomAttributes" or "AdditionalAttributes": constants, never input.</param>
    public static IQueryable<JsonAttributeRow> JsonRows(UniLinkDb db, string table, string column, int accountId, string key)
    {
        if (db.Database.IsNpgsql())
            return db.Database.SqlQuery<JsonAttributeRow>(FormattableStringFactory.Create($$"""
                SELECT t."Id" AS "Id", t."{{column}}"::jsonb ->> {0} AS "Value",
                  CASE WHEN jsonb_typeof(t."{{column}}"::jsonb -> {0}) = 'number' THEN (t."{{column}}"::jsonb ->> {0})::double precision END AS "Number"
                FROM "{{table}}" t WHERE t."AccountId" = {1}
                """, key, accountId));
        var path = "$.\"" + key + "\"";
        return db.Database.SqlQuery<JsonAttributeRow>(FormattableStringFactory.Create($$"""
            SELECT t."Id" AS "Id",
              CASE json_type(t."{{column}}", {0}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
                ELSE CAST(json_extract(t."{{column}}", {0}) AS TEXT) END AS "Value",
              CASE WHEN json_type(t."{{column}}", {0}) IN ('integer', 'real') THEN CAST(json_extract(t."{{column}}", {0}) AS REAL) END AS "Number"
            FROM "{{table}}" t WHERE t."AccountId" = {1}
            """, path, accountId));
    }

    /// <summary>A key that can be named inside a JSON path (custom attribute keys are checked when defined; this is a second guard).</summary>
    public static bool IsSafeKey(string key) => key.Length is > 0 and <= 255 && !key.Contains('"') && !key.Contains('\\') && !key.Contains('\0');

    /// <summary>Text compared without case, as the reference's LOWER(…) filters. An absent value is in neither equal_to nor
    /// not_equal_to (SQL's NULL), except for custom attributes, where the reference adds "OR … IS NULL" to not_equal_to.</summary>
    public static Expression<Func<string?, bool>> Text(FilterCondition c, bool absentIsNotEqual = false)
    {
        var values = c.Values.Select(v => v.ToLowerInvariant()).ToList();
        var first = values.FirstOrDefault() ?? "";
        return c.Operator switch
        {
            "equal_to" => s => s != null && values.Contains(s.ToLower()),
            "not_equal_to" => absentIsNotEqual ? s => s == null || !values.Contains(s.ToLower()) : s => s != null && !values.Contains(s.ToLower()),
            "contains" => AnyOf(values.Select(v => (Expression<Func<string?, bool>>)(s => s != null && s.ToLower().Contains(v)))),
            "does_not_contain" => Not(AnyOf(values.Select(v => (Expression<Func<string?, bool>>)(s => s != null && s.ToLower().Contains(v))))),
            "starts_with" => s => s != null && s.ToLower().StartsWith(first),
            "is_present" => s => s != null && s != "",
            "is_not_present" => s => s == null || s == "",
            _ => throw new FilterProblem($"Invalid operator. The allowed operators for {c.AttributeKey} are [equal_to,not_equal_to,contains,does_not_contain,is_present,is_not_present]."),
        };
    }

    /// <summary>Whole numbers (ids); a missing value is in neither equal_to nor not_equal_to, as SQL's NULL.</summary>
    public static Expression<Func<int?, bool>> Ids(FilterCondition c)
    {
        var ids = c.Operator is "is_present" or "is_not_present" ? [] : FilterPayload.Ints(c);
        return c.Operator switch
        {
            "equal_to" => v => v != null && ids.Contains(v.Value),
            "not_equal_to" => v => v != null && !ids.Contains(v.Value),
            "is_present" => v => v != null,
            "is_not_present" => v => v == null,
            _ => throw FilterPayload.NotAllowed(c, ["equal_to", "not_equal_to", "is_present", "is_not_present"]),
        };
    }

    /// <summary>Dates compared by day, as the reference's <c>(column)::date &gt; 'value'::date</c>; days_before N is before today minus N days.</summary>
    public static Expression<Func<DateTime?, bool>> Day(FilterCondition c, DateTime now)
    {
        if (c.Operator is not ("is_greater_than" or "is_less_than" or "days_before"))
            throw FilterPayload.NotAllowed(c, ["is_greater_than", "is_less_than", "days_before"]);
        var day = FilterPayload.Day(c, now);
        var next = day.AddDays(1);
        return c.Operator == "is_greater_than" ? d => d != null && d >= next : d => d != null && d < day;
    }

    /// <summary>A custom attribute's value by its definition's type: numbers as numbers, dates by day, the rest as text.</summary>
    public static Expression<Func<JsonAttributeRow, bool>> Custom(FilterCondition c, AttributeDisplayType type, DateTime now)
    {
        if (c.Operator is "is_greater_than" or "is_less_than" or "days_before")
        {
            if (type is AttributeDisplayType.Date)
            {
                var day = FilterPayload.Day(c, now).ToString("yyyy-MM-dd");
                return c.Operator == "is_greater_than"
                    ? r => r.Value != null && r.Value.Substring(0, 10).CompareTo(day) > 0
                    : r => r.Value != null && r.Value.Substring(0, 10).CompareTo(day) < 0;
            }
            if (c.Operator == "days_before" || !double.TryParse(c.Values[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n))
                throw new FilterProblem($"Invalid value. The values provided for {c.AttributeKey} are invalid");
            return c.Operator == "is_greater_than" ? r => r.Number != null && r.Number > n : r => r.Number != null && r.Number < n;
        }
        return On<JsonAttributeRow, string?>(r => r.Value, Text(c, absentIsNotEqual: true));
    }

    /// <summary>The template applied to what the selector picks: <c>On(c =&gt; c.Name, s =&gt; s != null)</c> is <c>c =&gt; c.Name != null</c>.</summary>
    public static Expression<Func<T, bool>> On<T, TValue>(Expression<Func<T, TValue>> selector, Expression<Func<TValue, bool>> template) =>
        Expression.Lambda<Func<T, bool>>(new Replace(template.Parameters[0], selector.Body).Visit(template.Body)!, selector.Parameters[0]);

    private static Expression<Func<T, bool>> AnyOf<T>(IEnumerable<Expression<Func<T, bool>>> parts) =>
        FilterPayload.Join(parts.Select(p => (p, (string?)"OR")).ToList());

    /// <summary>Present and not matching (an absent value matches neither, as SQL's NULL).</summary>
    private static Expression<Func<string?, bool>> Not(Expression<Func<string?, bool>> e) =>
        Expression.Lambda<Func<string?, bool>>(
            Expression.AndAlso(Expression.NotEqual(e.Parameters[0], Expression.Constant(null, typeof(string))), Expression.Not(e.Body)), e.Parameters[0]);

    private sealed class Replace(Expression from, Expression to) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) => node == from ? to : base.Visit(node);
    }
}
