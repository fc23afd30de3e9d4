using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.DashboardApps;

/// <summary>Every line of the reference's §2 for <c>/dashboard_apps</c>.</summary>
public sealed class DashboardAppsApiTests(SharedServer server) : AdminApiTests(server)
{
    private const string Invalid = """{"message":"Content : Invalid data","attributes":["content"]}""";
    private string Apps => $"/api/v1/accounts/{_account}/dashboard_apps";

    private async Task<JsonNode> CreateAsync(string title = "CRM", string url = "https://crm.example.com/cw") =>
        (await (await _admin.PostAsync(Apps, Json(new { dashboard_app = new { title, content = new[] { new { type = "frame", url } } } })))
            .ExpectAsync(HttpStatusCode.OK))!;

    [Fact]
    public async Task Create_answers_200_with_exactly_id_title_content_created_at()
    {
        var app = await CreateAsync("Orders", "https://orders.example.com/frame");
        Assert.Equal(["content", "created_at", "id", "title"], app.AsObject().Select(p => p.Key).Order());
        Assert.Equal("Orders", app["title"]!.GetValue<string>());
        Assert.Equal("""[{"type":"frame","url":"https://orders.example.com/frame"}]""", app["content"]!.ToJsonString());
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"), app["created_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task Index_is_a_bare_array_in_id_order_and_show_returns_one()
    {
        var a = await CreateAsync("First");
        var b = await CreateAsync("Second");
        var list = (await (await _admin.GetAsync(Apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        var ids = list.Select(x => x!["id"]!.GetValue<int>()).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Contains(a["id"]!.GetValue<int>(), ids);
        var shown = await (await _admin.GetAsync($"{Apps}/{b["id"]}")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(JsonNode.DeepEquals(b, shown));
    }

    [Fact]
    public async Task All_three_body_forms_mean_the_same_and_unknown_keys_are_ignored()
    {
        var unwrapped = await (await _admin.PostAsync(Apps, Json(new { title = "Plain", content = new[] { new { type = "frame", url = "http://link.com", extra = 1 } }, account_id = 999, user_id = 5 })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""[{"type":"frame","url":"http://link.com"}]""", unwrapped!["content"]!.ToJsonString());
        Assert.Equal(4, unwrapped.AsObject().Count);

        var form = new FormUrlEncodedContent(
        [
            new("dashboard_app[title]", "Form CRM"),
            new("dashboard_app[content][][type]", "frame"),
            new("dashboard_app[content][][url]", "https://x.example.com/a"),
            new("dashboard_app[content][][type]", "frame"),
            new("dashboard_app[content][][url]", "https://y.example.com/b"),
        ]);
        var formed = await (await _admin.PostAsync(Apps, form)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Form CRM", formed!["title"]!.GetValue<string>());
        Assert.Equal("""[{"type":"frame","url":"https://x.example.com/a"},{"type":"frame","url":"https://y.example.com/b"}]""", formed["content"]!.ToJsonString());
    }

    [Theory]
    [InlineData("http://link.com")]
    [InlineData("http://localhost:3000")]
    [InlineData("https://10.0.0.5:8443/app?x=1#y")]
    public async Task Accepted_urls(string url) => await CreateAsync("Ok", url);

    [Theory]
    [InlineData("com")]
    [InlineData("ftp://x.example/a")]
    [InlineData("//host")]
    [InlineData("javascript:alert(1)")]
    [InlineData("HTTPS://crm.example.com")]
    [InlineData("https://crm.example.com/a b")]
    [InlineData("https://")]
    public async Task Rejected_urls_answer_the_reference_422(string url) =>
        await (await _admin.PostAsync(Apps, Json(new { title = "Bad", content = new[] { new { type = "frame", url } } }))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, Invalid);

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("\"https://crm.example.com\"")]
    [InlineData("[{\"type\":\"link\",\"url\":\"https://crm.example.com\"}]")]
    [InlineData("[{\"url\":\"https://crm.example.com\"}]")]
    [InlineData("[{\"type\":\"frame\",\"url\":42}]")]
    [InlineData("[{\"type\":\"frame\"}]")]
    [InlineData("[\"https://crm.example.com\"]")]
    public async Task Rejected_content_shapes_answer_the_reference_422(string content) =>
        await (await _admin.PostAsync(Apps, RawJson($$"""{"title":"Bad","content":{{content}}}"""))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, Invalid);

    [Fact]
    public async Task A_missing_or_null_title_is_422_title_cant_be_blank()
    {
        const string blank = """{"message":"Title can't be blank","attributes":["title"]}""";
        await (await _admin.PostAsync(Apps, Json(new { content = new[] { new { type = "frame", url = "https://a.example.com" } } }))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, blank);
        await (await _admin.PostAsync(Apps, RawJson("""{"dashboard_app":{"title":null,"content":[{"type":"frame","url":"https://a.example.com"}]}}"""))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, blank);
    }

    [Fact]
    public async Task A_missing_body_is_the_reference_param_missing_422()
    {
        const string missing = """{"error":"param is missing or the value is empty: dashboard_app"}""";
        await (await _admin.PostAsync(Apps, RawJson(""))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, missing);
        await (await _admin.PostAsync(Apps, RawJson("{}"))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, missing);
        await (await _admin.PostAsync(Apps, RawJson("""{"dashboard_app":{}}"""))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, missing);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_and_creates_nothing()
    {
        var before = _server.Db(db => db.DashboardApps.Count());
        var body = await (await _admin.PostAsync(Apps, RawJson("""{"title": "x", """))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("Malformed JSON", body!["error"]!.GetValue<string>());
        Assert.Equal(before, _server.Db(db => db.DashboardApps.Count()));
    }

    [Fact]
    public async Task Patch_and_put_are_partial_updates()
    {
        var app = await CreateAsync("Before", "https://before.example.com");
        var path = $"{Apps}/{app["id"]}";
        var renamed = await (await _admin.PatchAsync(path, Json(new { title = "After" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("After", renamed!["title"]!.GetValue<string>());
        Assert.Equal(app["content"]!.ToJsonString(), renamed["content"]!.ToJsonString());
        var moved = await (await _admin.PutAsync(path, Json(new { dashboard_app = new { content = new[] { new { type = "frame", url = "https://after.example.com" }, new { type = "frame", url = "https://second.example.com" } } } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("After", moved!["title"]!.GetValue<string>());
        Assert.Equal(2, moved["content"]!.AsArray().Count);
        Assert.Equal(app["created_at"]!.GetValue<string>(), moved["created_at"]!.GetValue<string>());
        await (await _admin.PatchAsync(path, Json(new { content = new[] { new { type = "frame", url = "ftp://x" } } }))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, Invalid);
    }

    [Fact]
    public async Task Delete_answers_204_with_an_empty_body_then_404()
    {
        var app = await CreateAsync();
        var response = await _admin.DeleteAsync($"{Apps}/{app["id"]}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        await (await _admin.GetAsync($"{Apps}/{app["id"]}")).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await _admin.DeleteAsync($"{Apps}/{app["id"]}")).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
    }

    [Fact]
    public async Task Agents_list_and_show_but_cannot_create_update_or_delete_and_the_role_check_comes_first()
    {
        var app = await CreateAsync();
        var agent = await _server.CreateUserAsync(_account);
        using var client = _server.Client(agent.Token);
        const string notAllowed = """{"error":"You are not authorized to do this action"}""";
        await (await client.GetAsync(Apps)).ExpectAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"{Apps}/{app["id"]}")).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostAsync(Apps, Json(new { title = "x", content = new[] { new { type = "frame", url = "https://a.example.com" } } }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, notAllowed);
        await (await client.PatchAsync($"{Apps}/{app["id"]}", Json(new { title = "x" }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, notAllowed);
        await (await client.PatchAsync($"{Apps}/999999", Json(new { title = "x" }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, notAllowed);
        await (await client.DeleteAsync($"{Apps}/{app["id"]}")).ExpectBodyAsync(HttpStatusCode.Unauthorized, notAllowed);
        await (await _admin.GetAsync($"{Apps}/{app["id"]}")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Credentials_and_membership_errors_use_the_reference_bodies()
    {
        await (await _server.Client().GetAsync(Apps)).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"errors":["You need to sign in or sign up before continuing."]}""");
        await (await _server.Client("not-a-token").GetAsync(Apps)).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"Invalid Access Token"}""");
        using var bot = _server.Client(await _server.CreateBotAsync(_account));
        await (await bot.GetAsync(Apps)).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"Access to this endpoint is not authorized for bots"}""");
        var outsider = await _server.CreateUserAsync(null);
        using var other = _server.Client(outsider.Token);
        await (await other.GetAsync(Apps)).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to access this account"}""");
        await (await _admin.GetAsync("/api/v1/accounts/987654/dashboard_apps")).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
    }

    [Fact]
    public async Task An_id_from_another_account_is_404_even_for_its_administrator()
    {
        var app = await CreateAsync();
        var otherAdmin = await _server.CreateUserAsync(null);
        var otherAccount = await _server.CreateAccountAsync("Other", otherAdmin.Id);
        using var client = _server.Client(otherAdmin.Token);
        var path = $"/api/v1/accounts/{otherAccount}/dashboard_apps/{app["id"]}";
        const string notFound = """{"error":"Resource could not be found"}""";
        await (await client.GetAsync(path)).ExpectBodyAsync(HttpStatusCode.NotFound, notFound);
        await (await client.PatchAsync(path, Json(new { title = "stolen" }))).ExpectBodyAsync(HttpStatusCode.NotFound, notFound);
        await (await client.DeleteAsync(path)).ExpectBodyAsync(HttpStatusCode.NotFound, notFound);
        await (await client.GetAsync($"/api/v1/accounts/{_account}/dashboard_apps")).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await _admin.GetAsync($"{Apps}/{app["id"]}")).ExpectBodyAsync(HttpStatusCode.OK, app.ToJsonString());
    }

    [Fact]
    public async Task Url_variables_are_kept_and_unknown_ones_are_refused()
    {
        await CreateAsync("CRM", "https://crm.example.com/c?email={{contact.email}}&id={{conversation.id}}");
        await (await _admin.PostAsync(Apps, Json(new { title = "x", content = new[] { new { type = "frame", url = "https://crm.example.com/?x={{contact.password}}" } } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Unknown URL variable {{contact.password}}","attributes":["content"]}""");
    }

    [Fact]
    public async Task Only_administrators_generate_an_apps_secret_and_it_is_stored_encrypted()
    {
        var app = await CreateAsync();
        var first = await (await _admin.PostAsync($"{Apps}/{app["id"]}/secret", null)).ExpectAsync(HttpStatusCode.OK);
        var secret = first!["secret"]!.GetValue<string>();
        Assert.True(secret.Length >= 32);
        var stored = _server.Db(db => db.DashboardApps.Single(a => a.Id == app["id"]!.GetValue<int>()).SecretCiphertext);
        Assert.DoesNotContain(secret, stored);
        var second = await (await _admin.PostAsync($"{Apps}/{app["id"]}/secret", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(secret, second!["secret"]!.GetValue<string>());
        await (await _admin.GetAsync($"{Apps}/{app["id"]}")).ExpectBodyAsync(HttpStatusCode.OK, app.ToJsonString());

        var agent = await _server.CreateUserAsync(_account);
        using var client = _server.Client(agent.Token);
        await (await client.PostAsync($"{Apps}/{app["id"]}/secret", null)).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to do this action"}""");
        await (await _admin.PostAsync($"{Apps}/999999/secret", null)).ExpectAsync(HttpStatusCode.NotFound);
    }
}
