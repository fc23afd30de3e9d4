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
    public async Task An_account_keeps_the_reference_s_fields_and_a_suspended_one_keeps_its_members_out()
    {
        var created = await OkAsync(_crm.PostAsync("/platform/api/v1/accounts", Json(new
        {
            name = "Acme", locale = "pt_BR", domain = "Support.Acme.example", support_email = "help@acme.example",
            custom_attributes = new { industry = "retail", plan = "gold" }, limits = new { agents = 5 },
        })));
        var acme = Id(created);
        Assert.Equal(("pt_BR", "support.acme.example", "help@acme.example", "active"), (created["locale"]!.GetValue<string>(),
            created["domain"]!.GetValue<string>(), created["support_email"]!.GetValue<string>(), created["status"]!.GetValue<string>()));
        Assert.Equal("""{"industry":"retail","plan":"gold"}""", created["custom_attributes"]!.ToJsonString());
        Assert.Equal("""{"agents":5}""", created["limits"]!.ToJsonString());

        // Bad fields: a 422 naming the field, and nothing created or changed.
        var before = _server.Db(db => db.Accounts.Count());
        foreach (var (body, field) in new (object, string)[]
        {
            (new { name = "X", locale = "no such" }, "locale"), (new { name = "X", status = "closed" }, "status"),
            (new { name = "X", support_email = "nope" }, "support_email"), (new { name = "X", domain = "not a domain" }, "domain"),
            (new { name = " " }, "name"), (new { name = "X", limits = "many" }, "limits"),
        })
        {
            var refused = await (await _crm.PostAsync("/platform/api/v1/accounts", Json(body))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal($"""["{field}"]""", refused!["attributes"]!.ToJsonString());
            refused = await (await _crm.PatchAsync($"/platform/api/v1/accounts/{acme}", Json(body))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal($"""["{field}"]""", refused!["attributes"]!.ToJsonString());
        }
        Assert.Equal(before, _server.Db(db => db.Accounts.Count()));
        Assert.Equal("Acme", (await OkAsync(_crm.GetAsync($"/platform/api/v1/accounts/{acme}")))["name"]!.GetValue<string>());

        // PUT is PATCH; the Platform API assigns custom attributes whole.
        var put = await OkAsync(_crm.PutAsync($"/platform/api/v1/accounts/{acme}", Json(new { custom_attributes = new { industry = "travel" } })));
        Assert.Equal("""{"industry":"travel"}""", put["custom_attributes"]!.ToJsonString());
        Assert.Equal("pt_BR", put["locale"]!.GetValue<string>());

        // A user in this account and another: the account API shows the fields, an administrator changes them (the
        // reference's industry, company size and time zone merge into custom attributes; status is not theirs to set).
        var user = await OkAsync(_crm.PostAsync("/platform/api/v1/users", Json(new { name = "Pat", email = $"{Guid.NewGuid():N}@example.com" })));
        var other = Id(await OkAsync(_crm.PostAsync("/platform/api/v1/accounts", Json(new { name = "Acme East" }))));
        foreach (var account in new[] { acme, other })
            await OkAsync(_crm.PostAsync($"/platform/api/v1/accounts/{account}/account_users", Json(new { user_id = Id(user), role = "administrator" })));
        using var pat = _server.Client(user["access_token"]!.GetValue<string>());
        var changed = await OkAsync(pat.PatchAsync($"/api/v1/accounts/{acme}", Json(new { locale = "fr", company_size = "11-50", status = "suspended", support_email = "" })));
        Assert.Equal(("fr", "active"), (changed["locale"]!.GetValue<string>(), changed["status"]!.GetValue<string>()));
        Assert.Null(changed["support_email"]);
        Assert.Equal("""{"industry":"travel","company_size":"11-50"}""", changed["custom_attributes"]!.ToJsonString());
        var badLocale = await (await pat.PatchAsync($"/api/v1/accounts/{acme}", Json(new { locale = "<script>" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("""["locale"]""", badLocale!["attributes"]!.ToJsonString());
        Assert.Equal("en", (await OkAsync(pat.GetAsync($"/api/v1/accounts/{other}")))["locale"]!.GetValue<string>());

        // Suspended by the operator: the account's members and bots are out, of that account only; the dashboard says why.
        var bot = await OkAsync(_crm.PostAsync("/platform/api/v1/agent_bots", Json(new { name = "Helper", account_id = acme })));
        using var botClient = _server.Client(bot["access_token"]!.GetValue<string>());
        await OkAsync(pat.GetAsync($"/api/v1/accounts/{acme}/conversations"));
        var botCall = () => botClient.PostAsync($"/api/v1/accounts/{acme}/conversations/1/toggle_status", Json(new { status = "open" }));
        await (await botCall()).ExpectAsync(HttpStatusCode.NotFound); // in, but there is no such conversation
        Assert.Equal("suspended", (await OkAsync(_crm.PatchAsync($"/platform/api/v1/accounts/{acme}", Json(new { status = "suspended" }))))["status"]!.GetValue<string>());
        const string suspended = """{"error":"This account is suspended"}""";
        await (await pat.GetAsync($"/api/v1/accounts/{acme}/conversations")).ExpectBodyAsync(HttpStatusCode.Unauthorized, suspended);
        await (await pat.GetAsync($"/api/v1/accounts/{acme}")).ExpectBodyAsync(HttpStatusCode.Unauthorized, suspended);
        await (await botCall()).ExpectBodyAsync(HttpStatusCode.Unauthorized, suspended);
        await OkAsync(pat.GetAsync($"/api/v1/accounts/{other}/conversations"));
        await (await _server.Client().GetAsync($"/api/v1/accounts/{acme}/conversations")).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("This account is suspended", await DashboardPageAsync(Id(user), $"/app/accounts/{acme}/conversations"));
        Assert.DoesNotContain("This account is suspended", await DashboardPageAsync(Id(user), $"/app/accounts/{other}/conversations"));

        await OkAsync(_crm.PatchAsync($"/platform/api/v1/accounts/{acme}", Json(new { status = "active" })));
        await OkAsync(pat.GetAsync($"/api/v1/accounts/{acme}/conversations"));
        Assert.DoesNotContain("This account is suspended", await DashboardPageAsync(Id(user), $"/app/accounts/{acme}/conversations"));
    }

    /// <summary>A dashboard page as the user's browser gets it, signed in through a platform login link.</summary>
    private async Task<string> DashboardPageAsync(int userId, string path)
    {
        var link = new Uri((await OkAsync(_crm.GetAsync($"/platform/api/v1/users/{userId}/login")))["url"]!.GetValue<string>());
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new System.Net.CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = _server.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(link.PathAndQuery)).StatusCode);
        var page = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync();
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
