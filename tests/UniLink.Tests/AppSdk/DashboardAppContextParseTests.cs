using UniLink.AppSdk;

namespace UniLink.Tests.AppSdk;

/// <summary>The .NET SDK's parser: the reference's plain context, and bad input answered with what is wrong.</summary>
public class DashboardAppContextParseTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef-app-7";

    /// <summary>A context as the reference sends it: no token, no theme or definitions, an unknown contact as {}.</summary>
    private const string Plain = """
        {"event":"appContext","data":{"conversation":{"meta":{"sender":{"additional_attributes":{},"availability_status":"offline","email":null,"id":5,"name":"Ann","phone_number":null,"blocked":false,"identifier":null,"thumbnail":"","custom_attributes":{},"created_at":1700000000},"channel":"Channel::WebWidget","assignee":null,"assignee_type":null,"hmac_verified":false},
        "id":12,"messages":[{"id":1,"content":"Hi","inbox_id":1,"conversation_id":12,"message_type":0,"content_type":"text","status":"sent","content_attributes":{},"created_at":1700000001,"private":false,"source_id":null,"sender":{"id":5,"name":"Ann","type":"contact"}}],
        "account_id":1,"uuid":"6a1f","additional_attributes":{},"agent_last_seen_at":0,"assignee_last_seen_at":0,"can_reply":true,"contact_last_seen_at":0,"custom_attributes":{},"inbox_id":1,"labels":[],"muted":false,"snoozed_until":null,"status":"open","created_at":1700000000,"updated_at":1700000001.5,"timestamp":1700000001,"first_reply_created_at":0,"unread_count":1,"last_non_activity_message":null,"last_activity_at":1700000001,"priority":null,"waiting_since":0,"dataFetched":true,"allMessagesLoaded":true},
        "contact":{},"currentAgent":{"id":3,"name":"Sam","email":"sam@example.com"}}}
        """;

    [Fact]
    public void The_references_plain_context_parses_and_an_empty_contact_is_null()
    {
        var context = DashboardAppContext.Parse(Plain);
        Assert.Equal(12, context.Conversation.Id);
        Assert.Equal(1700000001.5, context.Conversation.UpdatedAt);
        Assert.Null(context.Contact);
        Assert.Equal("Ann", context.Conversation.Meta.Sender.Name);
        Assert.Equal("sam@example.com", context.CurrentAgent.Email);
        Assert.Null(context.Token);
        Assert.Null(context.CustomAttributes);
        Assert.Null(context.VerifyContextToken(Secret, 7, out var error));
        Assert.Contains("no token", error);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("not json", "invalid JSON")]
    [InlineData("[1,2]", "JSON array, not an object")]
    [InlineData("\"appContext\"", "JSON string, not an object")]
    [InlineData("{\"event\":\"unilink:action-result\",\"id\":\"a1\",\"ok\":true}", "not an appContext")]
    [InlineData("{\"data\":{}}", "not an appContext")]
    [InlineData("{\"event\":\"appContext\"}", "no \"data\" object")]
    [InlineData("{\"event\":\"appContext\",\"data\":[]}", "no \"data\" object")]
    [InlineData("{\"event\":\"appContext\",\"data\":{}}", "conversation")]
    [InlineData("{\"event\":\"appContext\",\"data\":{\"conversation\":null,\"contact\":{},\"currentAgent\":{\"id\":1,\"name\":\"a\",\"email\":\"e\"}}}", "conversation")]
    public void Bad_input_is_refused_with_what_is_wrong(string input, string expected)
    {
        Assert.False(DashboardAppContext.TryParse(input, out var context, out var error));
        Assert.Null(context);
        Assert.Contains(expected, error);
        var thrown = Assert.Throws<FormatException>(() => DashboardAppContext.Parse(input));
        Assert.Equal(error, thrown.Message);
    }

    [Fact]
    public void A_field_of_the_wrong_type_is_named_in_the_error()
    {
        var wrong = Plain.Replace("\"id\":12,", "\"id\":\"twelve\",");
        Assert.False(DashboardAppContext.TryParse(wrong, out _, out var error));
        Assert.Contains("$.conversation.id", error);
        Assert.False(DashboardAppContext.TryParse(Plain.Replace("\"currentAgent\":{\"id\":3,\"name\":\"Sam\",\"email\":\"sam@example.com\"}", "\"currentAgent\":null"), out _, out error));
        Assert.Contains("currentAgent", error);
        Assert.False(DashboardAppContext.TryParse(null, out _, out error));
    }

    [Fact]
    public void VerifyContextToken_checks_the_token_the_context_carries()
    {
        var claims = new ContextTokenClaims(7, 1, 3, "sam@example.com", "agent", 12, 5);
        var signed = Plain.Replace("\"contact\":{}", $"\"token\":\"{ContextToken.Create(Secret, claims)}\",\"contact\":{{}}");
        var context = DashboardAppContext.Parse(signed);
        Assert.Equal(claims, context.VerifyContextToken(Secret, 7, out var error));
        Assert.Null(error);
        Assert.Null(context.VerifyContextToken("another-secret-another-secret-another", 7, out error));
        Assert.NotNull(error);
        Assert.Equal(claims, ContextToken.VerifyContextToken(context.Token, Secret, 7, out _));
        Assert.Null(ContextToken.VerifyContextToken("garbage", Secret, 7, out error));
        Assert.NotNull(error);
        Assert.Null(ContextToken.VerifyContextToken(null, Secret, 7, out error));
        Assert.Contains("no token", error);
    }
}
