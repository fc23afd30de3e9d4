namespace UniLink.Features.Labels;

public sealed record LabelJson(int Id, string Title, string Description, string Color, bool ShowOnSidebar);

public static class LabelMapping
{
    public static LabelJson ToJson(this Label l) => new(l.Id, l.Title, l.Description, l.Color, l.ShowOnSidebar);
}
