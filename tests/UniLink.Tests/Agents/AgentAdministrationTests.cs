using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Agents;

public class AgentAdministrationTests
{
    private const string LastAdministrator = """{"message":"An account needs at least one administrator","attributes":["role"]}""";
    private const string NotAllowed = """{"error":"You are not authorized to do this action"}""";

    private static string Agents(UniLinkServer s) => $"/api/v1/accounts/{s.AccountId}/agents";

    private static Task<HttpResponseMessage> SignInAsync(UniLinkServer s, string email, string password) =>
        s.Client().PostAsync("/auth/sign_in", Json(new { email, password }));

    [Fact]
    public async Task Agent_added_with_a_password_answers_the_agent_shape_and_can_sign_in_at_once()
    {
        using var server = new UniLinkServer();
        var response = await server.AdminClient().PostAsync(Agents(server),
            Json(new { name = "Ada", email = "Ada@Example.com", role = "agent", password = "ada-password-1" }));
        var agent = (await response.ExpectAsync(HttpStatusCode.OK))!.AsObject();

        Assert.Equal(["id", "account_id", "availability_status", "auto_offline", "confirmed", "email", "provider",
            "available_name", "name", "role", "thumbnail"], agent.Select(p => p.Key));
        Assert.Equal("ada@example.com", agent["email"]!.GetValue<string>());
        Assert.Equal("agent", agent["role"]!.GetValue<string>());
        Assert.Equal(server.AccountId, agent["account_id"]!.GetValue<int>());
        await (await SignInAsync(server, "ada@example.com", "ada-password-1")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Agent_added_without_a_password_gets_an_invitation_link_and_cannot_sign_in_until_used()
    {
        using var server = new UniLinkServer();
        var agent = await (await server.AdminClient().PostAsync(Agents(server), Json(new { name = "Bo", email = "bo@example.com" })))
            .ExpectAsync(HttpStatusCode.OK);
        var url = new Uri(agent!["invitation_url"]!.GetValue<string>());
        Assert.StartsWith("/app/invitations/", url.AbsolutePath);
        Assert.False(agent["confirmed"]!.GetValue<bool>());
        Assert.Equal("agent", agent["role"]!.GetValue<string>());
        // Only a hash of the token is stored.
        var token = url.AbsolutePath["/app/invitations/".Length..];
        Assert.DoesNotContain(server.Db(db => db.Invitations.Select(i => i.TokenHash).ToList()), h => h == token);

        await (await SignInAsync(server, "bo@example.com", "anything-123")).ExpectAsync(HttpStatusCode.Unauthorized);

        using var forms = new BrowserlessForms(server);
        var accepted = await forms.SubmitAsync(url.AbsolutePath,
            new Dictionary<string, string> { ["Input.Password"] = "bo-password-1", ["Input.Confirmation"] = "bo-password-1" });
        Assert.Contains("Your password is set", await accepted.Content.ReadAsStringAsync());
        await (await SignInAsync(server, "bo@example.com", "bo-password-1")).ExpectAsync(HttpStatusCode.OK);

        // The link works once.
        Assert.Contains("expired or has already been used", await forms.Http.GetStringAsync(url.AbsolutePath));
    }

    [Fact]
    public async Task An_expired_invitation_sets_no_password()
    {
        using var server = new UniLinkServer();
        var agent = await (await server.AdminClient().PostAsync(Agents(server), Json(new { name = "Cy", email = "cy@example.com" })))
            .ExpectAsync(HttpStatusCode.OK);
        var path = new Uri(agent!["invitation_url"]!.GetValue<string>()).AbsolutePath;
        using var forms = new BrowserlessForms(server);
        var page = await forms.Http.GetStringAsync(path); // still valid: the form is shown
        Assert.Contains("Set password", page);

        await server.DbAsync(async db =>
        {
            foreach (var i in db.Invitations) i.ExpiresAt = DateTime.UtcNow.AddSeconds(-1);
            return await db.SaveChangesAsync();
        });
        Assert.Contains("expired or has already been used", await forms.Http.GetStringAsync(path));
        Assert.Null(server.Db(db => db.Users.Single(u => u.Email == "cy@example.com").PasswordHash));
    }

    [Fact]
    public async Task Invalid_agents_are_422_naming_the_field_and_nothing_is_written()
    {
        using var server = new UniLinkServer();
        var admin = server.AdminClient();
        await (await admin.PostAsync(Agents(server), Json(new { email = "x@example.com" })))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"Name can't be blank","attributes":["name"]}""");
        await (await admin.PostAsync(Agents(server), Json(new { name = "X", email = "not-an-email" })))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"Email is invalid","attributes":["email"]}""");
        await (await admin.PostAsync(Agents(server), Json(new { name = "X", email = "x@example.com", role = "owner" })))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"Role is not included in the list","attributes":["role"]}""");
        await (await admin.PostAsync(Agents(server), Json(new { name = "X", email = "x@example.com", password = "short" })))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"Password is too short (minimum is 8 characters)","attributes":["password"]}""");
        await (await admin.PostAsync(Agents(server), Json(new { name = "X", email = UniLinkServer.AdminEmail })))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"Email has already been taken","attributes":["email"]}""");
        await (await admin.PostAsync(Agents(server), Json(new { name = 5, email = "x@example.com" })))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1, server.Db(db => db.Users.Count()));
    }

    [Fact]
    public async Task Agents_cannot_add_change_reset_or_remove_agents()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        var client = server.Client(agent.Token);
        await (await client.PostAsync(Agents(server), Json(new { name = "X", email = "x@example.com" }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        await (await client.PatchAsync($"{Agents(server)}/{agent.Id}", Json(new { role = "administrator" }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        await (await client.PostAsync($"{Agents(server)}/{agent.Id}/reset_password", null)).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        await (await client.DeleteAsync($"{Agents(server)}/9999")).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
    }

    [Fact]
    public async Task Administrator_changes_a_role_and_the_new_administrator_can_administer()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        var changed = await (await server.AdminClient().PatchAsync($"{Agents(server)}/{agent.Id}", Json(new { role = "administrator" })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("administrator", changed!["role"]!.GetValue<string>());
        await (await server.Client(agent.Token).PostAsync(Agents(server), Json(new { name = "New", email = "new@example.com", password = "new-password-1" })))
            .ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_last_administrator_can_be_neither_demoted_nor_removed()
    {
        using var server = new UniLinkServer();
        var admin = server.AdminClient();
        var adminId = server.Db(db => db.Users.Single(u => u.Email == UniLinkServer.AdminEmail).Id);
        await (await admin.PatchAsync($"{Agents(server)}/{adminId}", Json(new { role = "agent" }))).ExpectBodyAsync((HttpStatusCode)422, LastAdministrator);
        await (await admin.DeleteAsync($"{Agents(server)}/{adminId}")).ExpectBodyAsync((HttpStatusCode)422, LastAdministrator);
        Assert.Equal("administrator", server.Db(db => db.AccountUsers.Single(m => m.UserId == adminId).Role));

        // With a second administrator, the first may step down.
        var second = await server.CreateUserAsync(server.AccountId, "administrator");
        await (await admin.PatchAsync($"{Agents(server)}/{adminId}", Json(new { role = "agent" }))).ExpectAsync(HttpStatusCode.OK);
        await (await server.Client(second.Token).DeleteAsync($"{Agents(server)}/{second.Id}")).ExpectBodyAsync((HttpStatusCode)422, LastAdministrator);
    }

    [Fact]
    public async Task A_removed_agent_loses_access_to_the_account()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        var removed = await server.AdminClient().DeleteAsync($"{Agents(server)}/{agent.Id}");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        await (await server.Client(agent.Token).GetAsync($"/api/v1/accounts/{server.AccountId}"))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to access this account"}""");
        await (await server.AdminClient().DeleteAsync($"{Agents(server)}/{agent.Id}"))
            .ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
    }

    [Fact]
    public async Task An_agent_of_another_account_is_not_found()
    {
        using var server = new UniLinkServer();
        var other = await server.CreateAccountAsync("Other");
        var stranger = await server.CreateUserAsync(other);
        var admin = server.AdminClient();
        await (await admin.PatchAsync($"{Agents(server)}/{stranger.Id}", Json(new { role = "administrator" })))
            .ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await admin.PostAsync($"{Agents(server)}/{stranger.Id}/reset_password", null))
            .ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
    }

    [Fact]
    public async Task Password_reset_gives_a_new_link_and_ends_the_old_password_and_sessions()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        using var session = new BrowserlessForms(server);
        await session.SignInAsync(agent.Email, agent.Password);
        Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync("/api/v1/profile")).StatusCode);

        var reset = await (await server.AdminClient().PostAsync($"{Agents(server)}/{agent.Id}/reset_password", null)).ExpectAsync(HttpStatusCode.OK);
        var path = new Uri(reset!["invitation_url"]!.GetValue<string>()).AbsolutePath;

        await (await session.Http.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await SignInAsync(server, agent.Email, agent.Password)).ExpectAsync(HttpStatusCode.Unauthorized);
        using var forms = new BrowserlessForms(server);
        await forms.SubmitAsync(path, new Dictionary<string, string> { ["Input.Password"] = "fresh-password-1", ["Input.Confirmation"] = "fresh-password-1" });
        await (await SignInAsync(server, agent.Email, "fresh-password-1")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_member_of_another_account_cannot_have_their_password_reset_from_this_one()
    {
        using var server = new UniLinkServer();
        var other = await server.CreateAccountAsync("Other");
        var shared = await server.CreateUserAsync(server.AccountId);
        await server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new() { AccountId = other, UserId = shared.Id, Role = "administrator", CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        await (await server.AdminClient().PostAsync($"{Agents(server)}/{shared.Id}/reset_password", null)).ExpectAsync((HttpStatusCode)422);
        await (await SignInAsync(server, shared.Email, shared.Password)).ExpectAsync(HttpStatusCode.OK);
    }
}
