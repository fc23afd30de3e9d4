namespace UniLink.Features.CustomAttributes;

public class CustomAttributeDefinition
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public required string AttributeDisplayName { get; set; }
    public AttributeDisplayType AttributeDisplayType { get; set; }
    public string? AttributeDescription { get; set; }
    public required string AttributeKey { get; set; }
    public string? RegexPattern { get; set; }
    public string? RegexCue { get; set; }
    /// <summary>JSON array text (the options of a list attribute).</summary>
    public string AttributeValues { get; set; } = "[]";
    public AttributeModel AttributeModel { get; set; }
    public string? DefaultValue { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>Numbered as the reference stores them; the wire uses the snake_case names.</summary>
public enum AttributeDisplayType { Text = 0, Number = 1, Currency = 2, Percent = 3, Link = 4, Date = 5, List = 6, Checkbox = 7 }

public enum AttributeModel { ConversationAttribute = 0, ContactAttribute = 1 }
