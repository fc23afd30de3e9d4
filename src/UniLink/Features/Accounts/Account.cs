namespace UniLink.Features.Accounts;

public class Account
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The reference's account locale (an ISO 639-1 code, optionally with a region: <c>en</c>, <c>pt_BR</c>).</summary>
    public string Locale { get; set; } = "en";
    public string? Domain { get; set; }
    public string? SupportEmail { get; set; }
    /// <summary><see cref="AccountStatuses.Active"/> or <see cref="AccountStatuses.Suspended"/> (set by a platform app).</summary>
    public string Status { get; set; } = AccountStatuses.Active;
    /// <summary>A JSON object (the reference's <c>custom_attributes</c>: industry, company size, time zone, …).</summary>
    public string CustomAttributes { get; set; } = "{}";
    /// <summary>A JSON object a platform app sets and reads back (the reference's <c>limits</c>); UniLink stores it only.</summary>
    public string Limits { get; set; } = "{}";
    /// <summary>Last display id handed out; bumped inside the insert transaction so nodes never collide.</summary>
    public int LastConversationDisplayId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<AccountUser> Members { get; set; } = [];

    public bool IsSuspended => Status == AccountStatuses.Suspended;
}

public static class AccountStatuses
{
    public const string Active = "active";
    public const string Suspended = "suspended";
}
