using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using UniLink.Infrastructure.Auth;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Security;

/// <summary>Sign-in tokens and sessions that expire and end; API tokens stored as hashes (issue 13, item 3).</summary>
public partial class SessionTests
{
    private static async Task<HttpResponseMessage> TokenSignInAsync(UniLinkServer s, string email, string password) =>
        await s.Client().PostAsync("/auth/sign_in", Json(new { email, password }));

    /// <summary>A client sending devise_token_auth's three headers from a sign-in answer.</summary>
    private static HttpClient DeviseClient(UniLinkServer s, HttpResponseMessage signIn)
    {
        var client = s.Client();
        foreach (var header in new[] { "access-token", "client", "uid" })
            client.DefaultRequestHeaders.Add(header, signIn.Headers.GetValues(header).Single());
        return client;
    }

    /// <summary>A browser-like client holding a dashboard cookie, and a second client with a copy of that cookie.</summary>
    private static async Task<(BrowserlessForms Browser, HttpClient Copy)> DashboardSessionAsync(UniLinkServer s, string email, string password)
    {
        var browser = new BrowserlessForms(s);
        await browser.SignInAsync(email, password);
        var cookie = browser.Cookies.GetCookieHeader(s.BaseAddress);
        var copy = s.Client();
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        return (browser, copy);
    }

    private static async Task SignOutOfDashboardAsync(UniLinkServer s, BrowserlessForms browser)
    {
        var page = await browser.Http.GetStringAsync($"/app/accounts/{s.AccountId}/profile");
        var token = AntiforgeryInput().Match(page).Groups["value"].Value;
        var response = await browser.Http.PostAsync("/app/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Sign_in_hands_out_a_token_of_its_own_which_sign_out_ends()
    {
        using var server = new UniLinkServer();
        var signIn = await TokenSignInAsync(server, UniLinkServer.AdminEmail, UniLinkServer.AdminPassword);
        var data = (await signIn.ExpectAsync(HttpStatusCode.OK))!["data"]!;
        var token = signIn.Headers.GetValues("access-token").Single();
        Assert.NotEqual(UniLinkServer.AdminToken, token);
        Assert.Equal(token, data["access_token"]!.GetValue<string>());
        var expiry = long.Parse(signIn.Headers.GetValues("expiry").Single());
        Assert.InRange(expiry - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 13 * 86400, 14 * 86400 + 60);

        var devise = DeviseClient(server, signIn);
        await (await devise.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK);
        // Clients that take data.access_token as their api_access_token keep working too.
        await (await server.Client(token).GetAsync($"/api/v1/accounts/{server.AccountId}")).ExpectAsync(HttpStatusCode.OK);

        await (await devise.DeleteAsync("/auth/sign_out")).ExpectBodyAsync(HttpStatusCode.OK, """{"success":true}""");
        await (await devise.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await server.Client(token).GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await devise.DeleteAsync("/auth/sign_out"))
            .ExpectBodyAsync(HttpStatusCode.NotFound, """{"success":false,"errors":["User was not found or was not logged in."]}""");
        // The permanent API token is no sign-in token: sign-out leaves it working.
        await (await server.AdminClient().DeleteAsync("/auth/sign_out")).ExpectAsync(HttpStatusCode.NotFound);
        await (await server.AdminClient().GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_sign_in_token_stops_working_when_it_expires()
    {
        using var server = new UniLinkServer();
        var signIn = await TokenSignInAsync(server, UniLinkServer.AdminEmail, UniLinkServer.AdminPassword);
        var devise = DeviseClient(server, signIn);
        await (await devise.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK);
        await server.DbAsync(db => db.UserSessions.ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));
        await (await devise.GetAsync("/api/v1/profile")).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"Invalid Access Token"}""");
    }

    [Fact]
    public async Task Signing_out_of_the_dashboard_ends_the_session_on_the_server_so_a_copied_cookie_stops_working()
    {
        using var server = new UniLinkServer();
        var (browser, copy) = await DashboardSessionAsync(server, UniLinkServer.AdminEmail, UniLinkServer.AdminPassword);
        using var _ = browser;
        await (await copy.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK);
        await SignOutOfDashboardAsync(server, browser);
        await (await copy.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_password_change_ends_every_session_and_sign_in_token_of_the_user()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        var devise = DeviseClient(server, await TokenSignInAsync(server, agent.Email, agent.Password));
        var (browser, copy) = await DashboardSessionAsync(server, agent.Email, agent.Password);
        using var _ = browser;

        await (await server.Client(agent.Token).PutAsync("/api/v1/profile",
            Json(new { current_password = agent.Password, password = "changed-password-1", password_confirmation = "changed-password-1" })))
            .ExpectAsync(HttpStatusCode.OK);
        await (await devise.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await copy.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, server.Db(db => db.UserSessions.Count(s => s.UserId == agent.Id)));
    }

    [Fact]
    public async Task A_password_reset_by_an_administrator_ends_the_users_sign_in_tokens()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        var devise = DeviseClient(server, await TokenSignInAsync(server, agent.Email, agent.Password));
        await (await server.AdminClient().PostAsync($"/api/v1/accounts/{server.AccountId}/agents/{agent.Id}/reset_password", null))
            .ExpectAsync(HttpStatusCode.OK);
        await (await devise.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_administrator_signs_an_agent_out_everywhere()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        var devise = DeviseClient(server, await TokenSignInAsync(server, agent.Email, agent.Password));
        var (browser, copy) = await DashboardSessionAsync(server, agent.Email, agent.Password);
        using var _ = browser;
        var sessions = $"/api/v1/accounts/{server.AccountId}/agents/{agent.Id}/sessions";

        // Not an agent's to do, and not for another account's administrator.
        await (await server.Client(agent.Token).DeleteAsync(sessions)).ExpectAsync(HttpStatusCode.Unauthorized);
        var other = await server.CreateAccountAsync("Other");
        var otherAdmin = await server.CreateUserAsync(other, "administrator");
        await (await server.Client(otherAdmin.Token).DeleteAsync($"/api/v1/accounts/{other}/agents/{agent.Id}/sessions")).ExpectAsync(HttpStatusCode.NotFound);
        await (await devise.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK);

        await (await server.AdminClient().DeleteAsync(sessions)).ExpectAsync(HttpStatusCode.OK);
        await (await devise.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await copy.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);
        // Their API token is theirs to reset.
        await (await server.Client(agent.Token).GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task API_tokens_are_stored_only_as_hashes()
    {
        using var server = new UniLinkServer();
        var stored = server.Db(db => db.Users.Select(u => u.AccessTokenHash).ToList());
        Assert.DoesNotContain(UniLinkServer.AdminToken, stored);
        Assert.Contains(Tokens.Hash(UniLinkServer.AdminToken), stored);

        var reset = await (await server.AdminClient().PostAsync("/api/v1/profile/reset_access_token", null)).ExpectAsync(HttpStatusCode.OK);
        var fresh = reset!["access_token"]!.GetValue<string>();
        await (await server.Client(fresh).GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(fresh, server.Db(db => db.Users.Select(u => u.AccessTokenHash).ToList()));
        // A cookie session has no token to show.
        var (browser, copy) = await DashboardSessionAsync(server, UniLinkServer.AdminEmail, UniLinkServer.AdminPassword);
        using var _ = browser;
        Assert.Equal("", (await (await copy.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK))!["access_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_migration_hashes_the_tokens_stored_before_it()
    {
        using var server = new UniLinkServer();
        var bot = await server.CreateBotAsync(server.AccountId);
        await server.DbAsync(async db =>
        {
            var all = db.Database.GetMigrations().ToList();
            var before = all[all.FindIndex(m => m.EndsWith("_SessionsHashedTokensInboxHmac")) - 1];
            await db.GetService<IMigrator>().MigrateAsync(before);
            // As an older UniLink stored them: the tokens themselves.
            await db.Database.ExecuteSqlRawAsync("""UPDATE "Users" SET "AccessToken" = 'old-plain-admin-token-0001' WHERE "Email" = {0}""", UniLinkServer.AdminEmail);
            return await db.Database.ExecuteSqlRawAsync("""UPDATE "AgentBots" SET "AccessToken" = 'old-plain-bot-token-0001'""");
        });
        using var upgraded = server.Restart();
        await (await upgraded.Client("old-plain-admin-token-0001").GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK);
        var asBot = await upgraded.Client("old-plain-bot-token-0001").PostAsync($"/api/v1/accounts/{upgraded.AccountId}/conversations", Json(new { }));
        Assert.NotEqual(HttpStatusCode.Unauthorized, asBot.StatusCode);
        Assert.Equal(Tokens.Hash("old-plain-admin-token-0001"), upgraded.Db(db => db.Users.Single(u => u.Email == UniLinkServer.AdminEmail).AccessTokenHash));
        Assert.Equal(Tokens.Hash("old-plain-bot-token-0001"), upgraded.Db(db => db.AgentBots.Single().AccessTokenHash));
        _ = bot;
    }

    [GeneratedRegex("""<input type="hidden" name="__RequestVerificationToken" value="(?<value>[^"]*)" */?>""")]
    private static partial Regex AntiforgeryInput();
}
