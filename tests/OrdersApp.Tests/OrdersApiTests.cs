using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using UniLink.AppSdk;

namespace OrdersApp.Tests;

public sealed class OrdersApiTests : IClassFixture<OrdersApiTests.Server>
{
    private const string Secret = "orders-app-secret-0123456789abcdef";
    private const int AppId = 3;
    private readonly HttpClient _client;

    public OrdersApiTests(Server server) => _client = server.CreateClient();

    public sealed class Server : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ORDERS_APP_SECRET", Secret);
            builder.UseSetting("ORDERS_APP_ID", AppId.ToString());
            builder.UseSetting("ORDERS_DATA_DIR", Path.Combine(Path.GetTempPath(), "orders-tests", Guid.NewGuid().ToString("N")));
        }
    }

    private static string Token(string secret = Secret, int appId = AppId, DateTime? issued = null, int? contactId = 9) =>
        ContextToken.Create(secret, new ContextTokenClaims(appId, 1, 2, "agent@example.com", "agent", 5, contactId), issued);

    private async Task<HttpResponseMessage> Get(string email, string? token)
    {
        // The e-mail in the address is what a page could claim; the app must not listen to it.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders?email={Uri.EscapeDataString(email)}");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task The_page_and_the_composer_popover_listen_to_typed_events_and_the_composer_fills_the_draft_then_closes()
    {
        var page = await _client.GetStringAsync("/");
        Assert.Contains("app.on('message.created'", page);
        var composer = await _client.GetAsync("/composer");
        Assert.Equal(HttpStatusCode.OK, composer.StatusCode);
        Assert.Equal("text/html", composer.Content.Headers.ContentType!.MediaType);
        var html = await composer.Content.ReadAsStringAsync();
        Assert.Contains("app.on('message.created'", html);
        Assert.Contains("app.act('insert_reply', { text, replace })", html);
        Assert.Contains("app.close()", html);
        Assert.Contains("Authorization: `Bearer ${ctx.token}`", html);
    }

    [Fact]
    public async Task Orders_are_shown_to_a_verified_agent_and_stay_the_same()
    {
        var first = await Get("Ana@Example.com", Token());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        Assert.Equal("agent@example.com", body["agent"]!.GetValue<string>());
        var orders = body["orders"]!.AsArray();
        Assert.InRange(orders.Count, 2, 5);
        Assert.NotEmpty(orders[0]!["payments"]!.AsArray());
        var again = JsonNode.Parse(await (await Get("ana@example.com", Token())).Content.ReadAsStringAsync())!;
        Assert.True(JsonNode.DeepEquals(orders, again["orders"]));
    }

    [Fact]
    public async Task The_contact_comes_from_the_verified_token_never_from_the_email_parameter()
    {
        static async Task<JsonNode> Orders(HttpResponseMessage r) => JsonNode.Parse(await r.Content.ReadAsStringAsync())!["orders"]!;
        var mine = await Orders(await Get("ana@example.com", Token(contactId: 9)));
        var claimedOther = await Orders(await Get("someone-else@example.com", Token(contactId: 9)));
        var other = await Orders(await Get("ana@example.com", Token(contactId: 10)));
        Assert.True(JsonNode.DeepEquals(mine, claimedOther), "the email parameter changed whose orders were shown");
        Assert.False(JsonNode.DeepEquals(mine, other), "two contacts' tokens showed the same orders");
        Assert.Equal(HttpStatusCode.NotFound, (await Get("ana@example.com", Token(contactId: null))).StatusCode);
    }

    [Fact]
    public async Task Without_a_token_nothing_is_shown() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get("ana@example.com", null)).StatusCode);

    [Fact]
    public async Task A_forged_token_is_refused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get("ana@example.com", Token(secret: "not-the-secret-not-the-secret-not-it"))).StatusCode);

    [Fact]
    public async Task A_token_for_another_app_is_refused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get("ana@example.com", Token(appId: AppId + 1))).StatusCode);

    [Fact]
    public async Task An_expired_token_is_refused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get("ana@example.com", Token(issued: DateTime.UtcNow.AddMinutes(-6)))).StatusCode);

    [Fact]
    public async Task The_page_loads_the_sdk_from_unilink()
    {
        var html = await _client.GetStringAsync("/");
        Assert.Contains("/sdk/dashboard-app.js", html);
    }
}
