using System.Net;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Profile;

public class ProfileTests
{
    [Fact]
    public async Task Profile_answers_the_reference_shape_with_the_users_accounts()
    {
        using var server = new UniLinkServer();
        var other = await server.CreateAccountAsync("Second");
        var agent = await server.CreateUserAsync(server.AccountId);
        await server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new() { AccountId = other, UserId = agent.Id, Role = "administrator", CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var profile = (await (await server.Client(agent.Token).GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK))!.AsObject();

        Assert.Equal(["access_token", "account_id", "available_name", "avatar_url", "confirmed", "display_name", "message_signature",
            "email", "id", "name", "provider", "pubsub_token", "role", "ui_settings", "uid", "type", "accounts"], profile.Select(p => p.Key));
        Assert.Equal(agent.Token, profile["access_token"]!.GetValue<string>());
        var accounts = profile["accounts"]!.AsArray();
        Assert.Equal([server.AccountId, other], accounts.Select(a => a!["id"]!.GetValue<int>()));
        Assert.Equal(["agent", "administrator"], accounts.Select(a => a!["role"]!.GetValue<string>()));
        Assert.Equal(["id", "name", "status", "active_at", "role", "permissions", "availability", "availability_status", "auto_offline"],
            accounts[0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Profile_update_changes_names_availability_and_email()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        var updated = await (await server.Client(agent.Token).PutAsync("/api/v1/profile",
            Json(new { profile = new { name = "Grace Hopper", display_name = "Grace", availability = "busy", email = "grace@example.com" } })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Grace Hopper", updated!["name"]!.GetValue<string>());
        Assert.Equal("Grace", updated["available_name"]!.GetValue<string>());
        Assert.Equal("grace@example.com", updated["email"]!.GetValue<string>());
        Assert.Equal("busy", updated["accounts"]![0]!["availability_status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_profile_changes_are_422()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        var client = server.Client(agent.Token);
        await (await client.PutAsync("/api/v1/profile", Json(new { availability = "away" })))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"Availability is not included in the list","attributes":["availability"]}""");
        await (await client.PutAsync("/api/v1/profile", Json(new { name = " " })))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"Name can't be blank","attributes":["name"]}""");
        await (await client.PutAsync("/api/v1/profile", Json(new { email = UniLinkServer.AdminEmail })))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"Email has already been taken","attributes":["email"]}""");
    }

    [Fact]
    public async Task Password_change_needs_the_current_password()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        var client = server.Client(agent.Token);
        const string currentInvalid = """{"message":"Current password is incorrect","attributes":["current_password"]}""";
        await (await client.PutAsync("/api/v1/profile", Json(new { profile = new { password = "new-password-1" } })))
            .ExpectBodyAsync((HttpStatusCode)422, currentInvalid);
        await (await client.PutAsync("/api/v1/profile", Json(new { profile = new { password = "new-password-1", current_password = "wrong-one-1" } })))
            .ExpectBodyAsync((HttpStatusCode)422, currentInvalid);
        await (await client.PutAsync("/api/v1/profile", Json(new { profile = new { password = "new-password-1", password_confirmation = "other", current_password = agent.Password } })))
            .ExpectAsync((HttpStatusCode)422);

        await (await client.PutAsync("/api/v1/profile", Json(new { profile = new { password = "new-password-1", current_password = agent.Password } })))
            .ExpectAsync(HttpStatusCode.OK);
        await (await server.Client().PostAsync("/auth/sign_in", Json(new { email = agent.Email, password = agent.Password })))
            .ExpectAsync(HttpStatusCode.Unauthorized);
        await (await server.Client().PostAsync("/auth/sign_in", Json(new { email = agent.Email, password = "new-password-1" })))
            .ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_password_change_signs_out_other_sessions()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        using var session = new BrowserlessForms(server);
        await session.SignInAsync(agent.Email, agent.Password);
        Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync("/api/v1/profile")).StatusCode);

        await (await server.Client(agent.Token).PutAsync("/api/v1/profile", Json(new { password = "new-password-1", current_password = agent.Password })))
            .ExpectAsync(HttpStatusCode.OK);
        await (await session.Http.GetAsync("/api/v1/profile"))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"errors":["You need to sign in or sign up before continuing."]}""");
    }

    [Fact]
    public async Task Token_reset_replaces_the_token_and_signs_out_sessions()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        using var session = new BrowserlessForms(server);
        await session.SignInAsync(agent.Email, agent.Password);

        var profile = await (await server.Client(agent.Token).PostAsync("/api/v1/profile/reset_access_token", null)).ExpectAsync(HttpStatusCode.OK);
        var newToken = profile!["access_token"]!.GetValue<string>();
        Assert.NotEqual(agent.Token, newToken);

        await (await server.Client(agent.Token).GetAsync("/api/v1/profile"))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"Invalid Access Token"}""");
        await (await server.Client(newToken).GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK);
        await (await session.Http.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Profile_needs_credentials_and_is_not_for_bots()
    {
        using var server = new UniLinkServer();
        var bot = await server.CreateBotAsync(server.AccountId);
        await (await server.Client().GetAsync("/api/v1/profile"))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"errors":["You need to sign in or sign up before continuing."]}""");
        await (await server.Client(bot).GetAsync("/api/v1/profile"))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"Access to this endpoint is not authorized for bots"}""");
    }
}
