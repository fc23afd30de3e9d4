namespace UniLink.Features.CannedResponses;

/// <summary>A saved reply an agent inserts by its short code (typing <c>/</c> in the reply box).</summary>
public class CannedResponse
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    /// <summary>Unique in the account.</summary>
    public required string ShortCode { get; set; }
    public required string Content { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
