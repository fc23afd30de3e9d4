using UniLink.Features.CustomAttributes;

namespace UniLink.Tests.Contacts;

/// <summary>What an agent types for an attribute, read by the attribute's definition.</summary>
public class CustomAttributeValueTests
{
    private static CustomAttributeDefinition Definition(AttributeDisplayType type, string values = "[]", string? pattern = null, string? cue = null) =>
        new() { AttributeDisplayName = "Field", AttributeKey = "field", AttributeDisplayType = type, AttributeValues = values, RegexPattern = pattern, RegexCue = cue };

    [Theory]
    [InlineData(AttributeDisplayType.Number, "42", "42", null)]
    [InlineData(AttributeDisplayType.Currency, "19.99", "19.99", null)]
    [InlineData(AttributeDisplayType.Percent, "abc", null, "Field must be a number")]
    [InlineData(AttributeDisplayType.Date, "2026-12-24", "\"2026-12-24T00:00:00.000Z\"", null)]
    [InlineData(AttributeDisplayType.Date, "24/12/2026", null, "Field must be a date (YYYY-MM-DD)")]
    [InlineData(AttributeDisplayType.Checkbox, "true", "true", null)]
    [InlineData(AttributeDisplayType.Checkbox, "maybe", null, "Field must be yes or no")]
    [InlineData(AttributeDisplayType.Link, "https://crm.example/c/1", "\"https://crm.example/c/1\"", null)]
    [InlineData(AttributeDisplayType.Link, "javascript:alert(1)", null, "Field must be a link starting with http:// or https://")]
    [InlineData(AttributeDisplayType.Text, "  anything  ", "\"anything\"", null)]
    [InlineData(AttributeDisplayType.Number, "  ", null, null)]
    public void Text_is_read_by_the_definition_type(AttributeDisplayType type, string text, string? stored, string? error)
    {
        var (value, problem) = CustomAttributeValue.Parse(Definition(type), text);
        Assert.Equal(stored, value?.ToJsonString());
        Assert.Equal(error, problem);
    }

    [Fact]
    public void A_list_value_must_be_one_of_its_options()
    {
        var plan = Definition(AttributeDisplayType.List, """["free","pro"]""");
        Assert.Equal("\"pro\"", CustomAttributeValue.Parse(plan, "pro").Value?.ToJsonString());
        Assert.Equal("Field must be one of free, pro", CustomAttributeValue.Parse(plan, "gold").Error);
    }

    [Fact]
    public void Text_must_match_the_pattern_and_the_cue_explains_it()
    {
        var code = Definition(AttributeDisplayType.Text, pattern: @"^C-\d{4}$", cue: "Like C-1234");
        Assert.Null(CustomAttributeValue.Parse(code, "C-1234").Error);
        Assert.Equal("Like C-1234", CustomAttributeValue.Parse(code, "1234").Error);
        Assert.Equal("Field is not in the expected format", CustomAttributeValue.Parse(Definition(AttributeDisplayType.Text, pattern: "^x$"), "y").Error);
    }

    [Fact]
    public void Stored_dates_and_booleans_come_back_as_the_editor_shows_them()
    {
        Assert.Equal("2026-12-24", CustomAttributeValue.Text(Definition(AttributeDisplayType.Date), System.Text.Json.Nodes.JsonValue.Create("2026-12-24T00:00:00.000Z")));
        Assert.Equal("true", CustomAttributeValue.Text(Definition(AttributeDisplayType.Checkbox), System.Text.Json.Nodes.JsonValue.Create(true)));
        Assert.Equal("42", CustomAttributeValue.Text(Definition(AttributeDisplayType.Number), System.Text.Json.Nodes.JsonValue.Create(42)));
    }
}
