using System.Net;
using System.Text.Json.Nodes;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.SignIn;

public class SignInTests
{
    private const string Invalid = """{"errors":["Invalid login credentials. Please try again."]}""";

    [Fact]
    public async Task Token_sign_in_answers_the_profile_with_accounts_and_devise_headers()
    {
        using var server = new UniLinkServer();
        var response = await server.Client().PostAsync("/auth/sign_in",
            Json(new { email = UniLinkServer.AdminEmail, password = UniLinkServer.AdminPassword }));
        var data = (await response.ExpectAsync(HttpStatusCode.OK))!["data"]!.AsObject();

        // A sign-in token of its own, not the permanent API token (see Security/SessionTests).
        Assert.NotEqual(UniLinkServer.AdminToken, data["access_token"]!.GetValue<string>());
        Assert.Equal(response.Headers.GetValues("access-token").Single(), data["access_token"]!.GetValue<string>());
        Assert.Equal(server.AccountId, data["account_id"]!.GetValue<int>());
        Assert.Equal(UniLinkServer.AdminEmail, data["uid"]!.GetValue<string>());
        var account = data["accounts"]!.AsArray().Single()!;
        Assert.Equal(server.AccountId, account["id"]!.GetValue<int>());
        Assert.Equal("UniLink", account["name"]!.GetValue<string>());
        Assert.Equal("administrator", account["role"]!.GetValue<string>());
        Assert.Equal(UniLinkServer.AdminEmail, response.Headers.GetValues("uid").Single());
        Assert.NotEmpty(response.Headers.GetValues("client").Single());
    }

    [Fact]
    public async Task The_access_token_header_from_sign_in_authenticates_later_requests()
    {
        using var server = new UniLinkServer();
        var signIn = await server.Client().PostAsync("/auth/sign_in",
            Json(new { email = UniLinkServer.AdminEmail, password = UniLinkServer.AdminPassword }));
        var client = server.Client();
        foreach (var header in new[] { "access-token", "client", "uid" })
            client.DefaultRequestHeaders.Add(header, signIn.Headers.GetValues(header).Single());
        var profile = await (await client.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(UniLinkServer.AdminEmail, profile!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_password_unknown_email_and_empty_body_answer_the_reference_401()
    {
        using var server = new UniLinkServer();
        var client = server.Client();
        await (await client.PostAsync("/auth/sign_in", Json(new { email = UniLinkServer.AdminEmail, password = "wrong-password" })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, Invalid);
        await (await client.PostAsync("/auth/sign_in", Json(new { email = "nobody@example.com", password = "whatever-1" })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, Invalid);
        await (await client.PostAsync("/auth/sign_in", RawJson("{}"))).ExpectBodyAsync(HttpStatusCode.Unauthorized, Invalid);
    }

    [Fact]
    public async Task Credentials_are_read_as_json_wrapped_or_not_and_as_a_form_and_a_wrong_type_is_a_400_naming_it()
    {
        using var server = new UniLinkServer();
        var client = server.Client();
        var (email, password) = (UniLinkServer.AdminEmail, UniLinkServer.AdminPassword);
        await (await client.PostAsync("/auth/sign_in", Json(new { user = new { email, password } }))).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostAsync("/auth/sign_in", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["password"] = password })))
            .ExpectAsync(HttpStatusCode.OK);
        await (await client.PostAsync("/auth/sign_in", new FormUrlEncodedContent(new Dictionary<string, string> { ["user[email]"] = email, ["user[password]"] = password })))
            .ExpectAsync(HttpStatusCode.OK);
        // A password is never trimmed: with a space it is another password.
        await (await client.PostAsync("/auth/sign_in", Json(new { email, password = password + " " }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, Invalid);
        await (await client.PostAsync("/auth/sign_in", Json(new { email, password = 12345678 })))
            .ExpectBodyAsync(HttpStatusCode.BadRequest, """{"error":"password must be a string"}""");
        await (await client.PostAsync("/auth/sign_in", Json(new { email = new[] { email }, password })))
            .ExpectBodyAsync(HttpStatusCode.BadRequest, """{"error":"email must be a string"}""");
    }

    [Fact]
    public async Task A_malformed_body_is_400()
    {
        using var server = new UniLinkServer();
        var response = await server.Client().PostAsync("/auth/sign_in", RawJson("{\"email\":"));
        await response.ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Many_attempts_from_one_client_get_429_with_retry_after()
    {
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_SIGNIN_RATE_LIMIT"] = "10" });
        var client = server.Client();
        for (var i = 0; i < 10; i++)
            await (await client.PostAsync("/auth/sign_in", Json(new { email = $"guess{i}@example.com", password = "guess-password" })))
                .ExpectAsync(HttpStatusCode.Unauthorized);

        var limited = await client.PostAsync("/auth/sign_in", Json(new { email = UniLinkServer.AdminEmail, password = UniLinkServer.AdminPassword }));
        await limited.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);
    }

    [Fact]
    public async Task The_login_form_is_throttled_with_the_token_sign_in()
    {
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_SIGNIN_RATE_LIMIT"] = "10" });
        var client = server.Client();
        for (var i = 0; i < 10; i++)
            await client.PostAsync("/auth/sign_in", Json(new { email = $"guess{i}@example.com", password = "guess-password" }));

        using var forms = new BrowserlessForms(server);
        var response = await forms.SubmitAsync("/app/login",
            new Dictionary<string, string> { ["Input.Email"] = UniLinkServer.AdminEmail, ["Input.Password"] = UniLinkServer.AdminPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.Contains("Retry-After"));
    }
}
