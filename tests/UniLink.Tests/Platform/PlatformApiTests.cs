using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using UniLink.Infrastructure.Config;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Platform;

/// <summary>
/// <c>/platform/api/v1</c> with two platform apps declared by the operator: each creates accounts, users and agent bots,
/// and sees and changes only its own (the reference's permissibles).
/// </summary>
public sealed class PlatformApiTests : IAsyncLifetime
{
    public const string CrmToken = "platform-crm-token-0123456789";
    public const string BillingToken = "platform-billing-token-0123456789";
    private const string NonPermissible = """{"error":"Non permissible resource"}""";
    private const string InvalidToken = """{"error":"Invalid access_token"}""";
    private UniLinkServer _server = null!;
    private HttpClient _crm = null!;
    private HttpClient _billing = null!;

    public Task InitializeAsync()
    {
        _server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_PLATFORM_APPS"] = $"crm={CrmToken}; billing={BillingToken}" });
        _crm = _server.Client(CrmToken);
        _billing = _server.Client(BillingToken);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _crm.Dispose();
        _billing.Dispose();
        await _server.DisposeAsync();
    }

    private static async Task<JsonNode> OkAsync(Task<HttpResponseMessage> call) => (await (await call).ExpectAsync(HttpStatusCode.OK))!;
    private static int Id(JsonNode node) => node["id"]!.GetValue<int>();

    [Fact]
    public async Task Each_platform_app_sees_and_changes_only_the_accounts_users_and_bots_it_created()
    {
        var acme = await OkAsync(_crm.PostAsync("/platform/api/v1/accounts", Json(new { name = "Acme" })));
        Assert.Equal("Acme", acme["name"]!.GetValue<string>());
        Assert.Equal("active", acme["status"]!.GetValue<string>());
        var globex = Id(await OkAsync(_billing.PostAsync("/platform/api/v1/accounts", Json(new { name = "Globex" }))));
        Assert.Equal("Acme", (await OkAsync(_crm.GetAsync($"/platform/api/v1/accounts/{Id(acme)}")))["name"]!.GetValue<string>());
        await (await _crm.GetAsync($"/platform/api/v1/accounts/{globex}")).ExpectBodyAsync(HttpStatusCode.Unauthorized, NonPermissible);
        await (await _crm.PatchAsync($"/platform/api/v1/accounts/{globex}", Json(new { name = "Taken" }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NonPermissible);
        await (await _crm.DeleteAsync($"/platform/api/v1/accounts/{globex}")).ExpectBodyAsync(HttpStatusCode.Unauthorized, NonPermissible);
        await (await _crm.GetAsync($"/platform/api/v1/accounts/{globex}/account_users")).ExpectBodyAsync(HttpStatusCode.Unauthorized, NonPermissible);
        await (await _crm.GetAsync("/platform/api/v1/accounts/999999")).ExpectAsync(HttpStatusCode.NotFound);
        // The installation's first account (not made through the Platform API) is nobody's.
        await (await _crm.GetAsync($"/platform/api/v1/accounts/{_server.AccountId}")).ExpectBodyAsync(HttpStatusCode.Unauthorized, NonPermissible);
        Assert.Equal("Globex", (await OkAsync(_billing.GetAsync($"/platform/api/v1/accounts/{globex}")))["name"]!.GetValue<string>());
        Assert.Equal("Acme Inc", (await OkAsync(_crm.PatchAsync($"/platform/api/v1/accounts/{Id(acme)}", Json(new { name = "Acme Inc" }))))["name"]!.GetValue<string>());

        // Users: created with an API token shown once, which works on the application API.
        var email = $"{Guid.NewGuid():N}@example.com";
        var user = await OkAsync(_crm.PostAsync("/platform/api/v1/users", Json(new { name = "Pat", email, password = "pat-password-1" })));
        var token = user["access_token"]!.GetValue<string>();
        Assert.True(user["confirmed"]!.GetValue<bool>());
        Assert.Equal(email, user["uid"]!.GetValue<string>());
        Assert.Null((await OkAsync(_crm.GetAsync($"/platform/api/v1/users/{Id(user)}")))["access_token"]);
        using var pat = _server.Client(token);
        Assert.Equal(email, (await OkAsync(pat.GetAsync("/api/v1/profile")))["email"]!.GetValue<string>());
        await (await _billing.GetAsync($"/platform/api/v1/users/{Id(user)}")).ExpectBodyAsync(HttpStatusCode.Unauthorized, NonPermissible);
        await (await _billing.GetAsync($"/platform/api/v1/users/{Id(user)}/login")).ExpectBodyAsync(HttpStatusCode.Unauthorized, NonPermissible);
        await (await _billing.DeleteAsync($"/platform/api/v1/users/{Id(user)}")).ExpectBodyAsync(HttpStatusCode.Unauthorized, NonPermissible);
        // Another app cannot take the user over by creating one with the same email; the same app gets its own user back.
        var taken = await (await _billing.PostAsync("/platform/api/v1/users", Json(new { name = "Pat 2", email }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("""["email"]""", taken!["attributes"]!.ToJsonString());
        Assert.Equal(Id(user), Id(await OkAsync(_crm.PostAsync("/platform/api/v1/users", Json(new { name = "Pat", email })))));

        // A user in two accounts of the app, with a role in each; only the app's own users join its accounts.
        var acme2 = Id(await OkAsync(_crm.PostAsync("/platform/api/v1/accounts", Json(new { name = "Acme East" }))));
        var member = await OkAsync(_crm.PostAsync($"/platform/api/v1/accounts/{Id(acme)}/account_users", Json(new { user_id = Id(user), role = "administrator" })));
        Assert.Equal("administrator", member["role"]!.GetValue<string>());
        await OkAsync(_crm.PostAsync($"/platform/api/v1/accounts/{acme2}/account_users", Json(new { user_id = Id(user), role = "agent" })));
        var shown = await OkAsync(_crm.GetAsync($"/platform/api/v1/users/{Id(user)}"));
        Assert.Equal([(Id(acme), "administrator"), (acme2, "agent")],
            shown["accounts"]!.AsArray().Select(a => (a!["id"]!.GetValue<int>(), a["role"]!.GetValue<string>())));
        Assert.Equal([Id(user)], (await OkAsync(_crm.GetAsync($"/platform/api/v1/accounts/{Id(acme)}/account_users"))).AsArray().Select(m => m!["user_id"]!.GetValue<int>()));
        await OkAsync(pat.GetAsync($"/api/v1/accounts/{Id(acme)}"));
        await (await pat.PostAsync($"/api/v1/accounts/{acme2}/labels", Json(new { title = "vip" }))).ExpectAsync(HttpStatusCode.Unauthorized); // an agent there
        await (await _crm.PostAsync($"/platform/api/v1/accounts/{globex}/account_users", Json(new { user_id = Id(user), role = "agent" })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, NonPermissible);
        var notTheirs = await (await _billing.PostAsync($"/platform/api/v1/accounts/{globex}/account_users", Json(new { user_id = Id(user) })))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("""["user_id"]""", notTheirs!["attributes"]!.ToJsonString());
        await (await pat.GetAsync($"/api/v1/accounts/{globex}")).ExpectAsync(HttpStatusCode.Unauthorized);
        await OkAsync(_crm.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/platform/api/v1/accounts/{acme2}/account_users") { Content = Json(new { user_id = Id(user) }) }));
        await (await pat.GetAsync($"/api/v1/accounts/{acme2}")).ExpectAsync(HttpStatusCode.Unauthorized);

        // Agent bots: the app's own list; an account of another app cannot be given.
        var bot = await OkAsync(_crm.PostAsync("/platform/api/v1/agent_bots", Json(new { name = "Helper", account_id = Id(acme), outgoing_url = "https://bots.example.com/hook" })));
        Assert.False(string.IsNullOrEmpty(bot["access_token"]!.GetValue<string>()));
        Assert.Equal(Id(acme), bot["account_id"]!.GetValue<int>());
        await OkAsync(_billing.PostAsync("/platform/api/v1/agent_bots", Json(new { name = "Biller" })));
        Assert.Equal([Id(bot)], (await OkAsync(_crm.GetAsync("/platform/api/v1/agent_bots"))).AsArray().Select(b => Id(b!)));
        Assert.Equal("Helper 2", (await OkAsync(_crm.PatchAsync($"/platform/api/v1/agent_bots/{Id(bot)}", Json(new { name = "Helper 2" }))))["name"]!.GetValue<string>());
        await (await _billing.GetAsync($"/platform/api/v1/agent_bots/{Id(bot)}")).ExpectBodyAsync(HttpStatusCode.Unauthorized, NonPermissible);
        await (await _billing.PatchAsync($"/platform/api/v1/agent_bots/{Id(bot)}", Json(new { name = "Stolen" }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NonPermissible);
        var wrongAccount = await (await _billing.PostAsync("/platform/api/v1/agent_bots", Json(new { name = "Sneaky", account_id = Id(acme) })))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("""["account_id"]""", wrongAccount!["attributes"]!.ToJsonString());
        await OkAsync(_crm.DeleteAsync($"/platform/api/v1/agent_bots/{Id(bot)}"));
        await (await _crm.GetAsync($"/platform/api/v1/agent_bots/{Id(bot)}")).ExpectAsync(HttpStatusCode.NotFound);

        // Users and admin tokens are not platform tokens, and the other way round.
        using var anonymous = _server.Client();
        await (await anonymous.GetAsync("/platform/api/v1/agent_bots")).ExpectBodyAsync(HttpStatusCode.Unauthorized, InvalidToken);
        await (await _server.AdminClient().GetAsync("/platform/api/v1/agent_bots")).ExpectBodyAsync(HttpStatusCode.Unauthorized, InvalidToken);
        await (await pat.GetAsync($"/platform/api/v1/users/{Id(user)}")).ExpectBodyAsync(HttpStatusCode.Unauthorized, InvalidToken);
        await (await _crm.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);

        // Deleting the user: gone, and their token with them.
        await OkAsync(_crm.DeleteAsync($"/platform/api/v1/users/{Id(user)}"));
        await (await _crm.GetAsync($"/platform/api/v1/users/{Id(user)}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await pat.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_login_link_signs_the_user_into_the_dashboard_once()
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        var user = await OkAsync(_crm.PostAsync("/platform/api/v1/users", Json(new { name = "Sam", email })));
        var url = new Uri((await OkAsync(_crm.GetAsync($"/platform/api/v1/users/{Id(user)}/login")))["url"]!.GetValue<string>());
        Assert.Equal(_server.BaseAddress.Authority, url.Authority);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var browser = new HttpClient(handler) { BaseAddress = _server.BaseAddress };
        var first = await browser.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/app", first.Headers.Location!.OriginalString);
        Assert.Contains(first.Headers.GetValues("Set-Cookie"), c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        var again = await browser.GetAsync(url.PathAndQuery);
        Assert.StartsWith("/app/login", again.Headers.Location!.OriginalString);
        Assert.False(again.Headers.Contains("Set-Cookie"));
        // A link of another user's email signs nobody in.
        var other = new Uri((await OkAsync(_crm.GetAsync($"/platform/api/v1/users/{Id(user)}/login")))["url"]!.GetValue<string>());
        var forged = await browser.GetAsync(other.PathAndQuery.Replace(Uri.EscapeDataString(email), "admin%40example.com"));
        Assert.StartsWith("/app/login", forged.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Deleting_an_account_removes_everything_in_it_and_nothing_of_another_account()
    {
        var acme = Id(await OkAsync(_crm.PostAsync("/platform/api/v1/accounts", Json(new { name = "Doomed" }))));
        var keep = Id(await OkAsync(_crm.PostAsync("/platform/api/v1/accounts", Json(new { name = "Kept" }))));
        var user = await OkAsync(_crm.PostAsync("/platform/api/v1/users", Json(new { name = "Owner", email = $"{Guid.NewGuid():N}@example.com" })));
        foreach (var account in new[] { acme, keep })
            await OkAsync(_crm.PostAsync($"/platform/api/v1/accounts/{account}/account_users", Json(new { user_id = Id(user), role = "administrator" })));
        using var owner = _server.Client(user["access_token"]!.GetValue<string>());
        foreach (var account in new[] { acme, keep })
        {
            var conversation = await owner.CreateConversationAsync(account, "Customer", "Hello there");
            await OkAsync(owner.PostAsync($"/api/v1/accounts/{account}/labels", Json(new { title = "vip" })));
            await OkAsync(owner.PostAsync($"/api/v1/accounts/{account}/conversations/{Id(conversation)}/labels", Json(new { labels = new[] { "vip" } })));
            await OkAsync(owner.PostAsync($"/api/v1/accounts/{account}/teams", Json(new { name = "Sales" })));
        }

        await OkAsync(_crm.DeleteAsync($"/platform/api/v1/accounts/{acme}"));
        await (await _crm.GetAsync($"/platform/api/v1/accounts/{acme}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await owner.GetAsync($"/api/v1/accounts/{acme}")).ExpectAsync(HttpStatusCode.NotFound);
        var counts = await _server.DbAsync(async db => new[]
        {
            await db.Conversations.CountAsync(c => c.AccountId == acme), await db.Messages.CountAsync(m => m.AccountId == acme),
            await db.Contacts.CountAsync(c => c.AccountId == acme), await db.Inboxes.CountAsync(i => i.AccountId == acme),
            await db.Labels.CountAsync(l => l.AccountId == acme), await db.Teams.CountAsync(t => t.AccountId == acme),
            await db.AccountUsers.CountAsync(m => m.AccountId == acme),
        });
        Assert.All(counts, c => Assert.Equal(0, c));
        var list = await OkAsync(owner.GetAsync($"/api/v1/accounts/{keep}/conversations?status=all"));
        Assert.Single(list["data"]!["payload"]!.AsArray());
        Assert.Single((await OkAsync(owner.GetAsync($"/api/v1/accounts/{keep}/teams"))).AsArray());
    }

    [Fact]
    public async Task Bad_input_is_a_422_naming_the_field_and_writes_nothing()
    {
        var before = await _server.DbAsync(db => db.Accounts.CountAsync());
        Assert.Equal("""["name"]""", (await (await _crm.PostAsync("/platform/api/v1/accounts", Json(new { name = " " }))).ExpectAsync(HttpStatusCode.UnprocessableEntity))!["attributes"]!.ToJsonString());
        Assert.Equal(before, await _server.DbAsync(db => db.Accounts.CountAsync()));
        Assert.Equal("""["email"]""", (await (await _crm.PostAsync("/platform/api/v1/users", Json(new { name = "X", email = "not an email" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity))!["attributes"]!.ToJsonString());
        Assert.Equal("""["password"]""", (await (await _crm.PostAsync("/platform/api/v1/users", Json(new { name = "X", email = "x@example.com", password = "short" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity))!["attributes"]!.ToJsonString());
        var account = Id(await OkAsync(_crm.PostAsync("/platform/api/v1/accounts", Json(new { name = "Roles" }))));
        Assert.Equal("""["role"]""", (await (await _crm.PostAsync($"/platform/api/v1/accounts/{account}/account_users", Json(new { user_id = 1, role = "boss" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity))!["attributes"]!.ToJsonString());
        Assert.Equal("""["outgoing_url"]""", (await (await _crm.PostAsync("/platform/api/v1/agent_bots", Json(new { name = "B", outgoing_url = "ftp://x" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity))!["attributes"]!.ToJsonString());
        Assert.Empty(await _server.DbAsync(db => db.Users.Where(u => u.Email == "x@example.com").ToListAsync()));
    }

    [Fact]
    public void A_bad_platform_app_declaration_stops_start_up_naming_the_variable()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["UNILINK_PLATFORM_APPS"] = "crm=short;=nameless-token-0123456789" }).Build();
        var e = Assert.Throws<InvalidConfigurationException>(() => UniLinkOptions.Load(config));
        Assert.Equal(2, e.Errors.Count(m => m.StartsWith("UNILINK_PLATFORM_APPS")));
    }
}
