namespace UniLink.Features.CustomFilters;

/// <summary>A user's saved filter (a "custom view") in an account: a name and the filter payload it runs.</summary>
public class CustomFilter
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    /// <summary>Saved filters are personal: only their user lists, reads, changes or deletes them.</summary>
    public int UserId { get; set; }
    public required string Name { get; set; }
    /// <summary>conversation, contact or report, as the reference.</summary>
    public required string FilterType { get; set; }
    /// <summary>The JSON object the reference keeps as <c>query</c> (normally <c>{"payload": [...]}</c>).</summary>
    public string Query { get; set; } = "{}";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A saved filter as the reference renders it (times as ISO strings).</summary>
public sealed record CustomFilterJson(int Id, string Name, string FilterType, System.Text.Json.Nodes.JsonObject Query, string CreatedAt, string UpdatedAt);

public static class CustomFilterMapping
{
    public static CustomFilterJson ToJson(this CustomFilter f) =>
        new(f.Id, f.Name, f.FilterType, Infrastructure.Http.JsonText.Object(f.Query), Infrastructure.Http.UnixTime.IsoMillis(f.CreatedAt), Infrastructure.Http.UnixTime.IsoMillis(f.UpdatedAt));
}
