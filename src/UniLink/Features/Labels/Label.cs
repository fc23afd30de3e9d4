namespace UniLink.Features.Labels;

public class Label
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public required string Title { get; set; }
    public string Description { get; set; } = "";
    public string Color { get; set; } = "#1f93ff";
    public bool ShowOnSidebar { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
