using UniLink.Features.DashboardApps.Platform;

namespace UniLink.Tests.DashboardApps.Platform;

public class FrameUrlTemplateTests
{
    [Theory]
    [InlineData("https://crm.example.com/c?email={{contact.email}}&id={{contact.id}}")]
    [InlineData("https://crm.example.com/{{account.id}}/{{conversation.id}}?a={{agent.id}}&m={{agent.email}}")]
    [InlineData("https://crm.example.com/?p={{contact.phone_number}}&i={{contact.identifier}}")]
    [InlineData("https://crm.example.com/?plan={{contact.custom_attributes.plan}}&o={{conversation.custom_attributes.order_id}}")]
    [InlineData("http://localhost:3000/plain")]
    public void Known_variables_outside_the_origin_are_accepted(string url) => Assert.Null(FrameUrlTemplate.Problem(url));

    [Theory]
    [InlineData("https://crm.example.com/?x={{contact.password}}", "Unknown URL variable {{contact.password}}")]
    [InlineData("https://crm.example.com/?x={{contact.custom_attributes.}}", "Unknown URL variable {{contact.custom_attributes.}}")]
    [InlineData("https://{{account.id}}.crm.example.com/", "The origin (scheme, host and port) of a URL may not contain variables")]
    [InlineData("https://crm.example.com:{{contact.id}}/", "The origin (scheme, host and port) of a URL may not contain variables")]
    [InlineData("https://crm.example.com/?x={{contact.email", "A URL variable is not closed: write {{name}}")]
    public void Unknown_variables_and_variables_in_the_origin_are_refused(string url, string problem) =>
        Assert.Equal(problem, FrameUrlTemplate.Problem(url));

    [Fact]
    public void Values_are_url_encoded_and_missing_ones_are_empty()
    {
        var url = FrameUrlTemplate.Expand(
            "https://crm.example.com/c?email={{contact.email}}&name={{ contact.custom_attributes.name }}&p={{contact.phone_number}}",
            new Dictionary<string, string?>
            {
                ["contact.email"] = "a+b@example.com",
                ["contact.custom_attributes.name"] = "Zoë & <Co>/?#",
            });
        Assert.Equal("https://crm.example.com/c?email=a%2Bb%40example.com&name=Zo%C3%AB%20%26%20%3CCo%3E%2F%3F%23&p=", url);
    }
}

public class FrameSourceTests
{
    [Fact]
    public void The_frame_source_is_expanded_encoded_and_keeps_the_registered_origin()
    {
        var values = new Dictionary<string, string?> { ["contact.email"] = "maria+vip@example.com", ["conversation.id"] = "7" };
        Assert.Equal("https://crm.example.com/c/7?email=maria%2Bvip%40example.com",
            FrameUrlTemplate.FrameSource("https://crm.example.com/c/{{conversation.id}}?email={{contact.email}}", values));
        Assert.Equal("https://crm.example.com/plain", FrameUrlTemplate.FrameSource("https://crm.example.com/plain", values));
    }

    [Fact]
    public void A_stored_url_that_never_passed_validation_is_used_as_stored()
    {
        var values = new Dictionary<string, string?> { ["account.id"] = "evil.example" };
        Assert.Equal("https://{{account.id}}.crm.example.com/", FrameUrlTemplate.FrameSource("https://{{account.id}}.crm.example.com/", values));
        Assert.Equal("https://crm.example.com/?x={{contact.password}}", FrameUrlTemplate.FrameSource("https://crm.example.com/?x={{contact.password}}", values));
    }
}
