namespace UniLink.Features.Contacts;

public class Contact
{
    /// <summary>The column the contacts list is ordered by, newest first: <see cref="LastActivityAt"/>, or
    /// <see cref="CreatedAt"/> when it is null. The database computes it; read it with <c>EF.Property</c>.</summary>
    public const string ActivityAt = nameof(ActivityAt);

    public int Id { get; set; }
    public int AccountId { get; set; }
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? PhoneNumber { get; set; }
    public string? Identifier { get; set; }
    public string Thumbnail { get; set; } = "";
    public bool Blocked { get; set; }
    /// <summary>JSON object text (description, company_name, social_profiles …).</summary>
    public string AdditionalAttributes { get; set; } = "{}";
    /// <summary>JSON object text.</summary>
    public string CustomAttributes { get; set; } = "{}";
    public DateTime? LastActivityAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<ContactInbox> ContactInboxes { get; set; } = [];
}
