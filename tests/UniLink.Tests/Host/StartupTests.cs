using System.Net;
using Microsoft.Extensions.Configuration;
using UniLink.Infrastructure.Config;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Host;

public class StartupTests
{
    [Fact]
    public async Task Api_without_credentials_answers_the_reference_401()
    {
        using var server = new UniLinkServer();
        var response = await server.Client().GetAsync($"/api/v1/accounts/{server.AccountId}/dashboard_apps");
        await response.ExpectBodyAsync(HttpStatusCode.Unauthorized,
            """{"errors":["You need to sign in or sign up before continuing."]}""");
    }

    [Fact]
    public async Task Unknown_token_answers_invalid_access_token()
    {
        using var server = new UniLinkServer();
        var response = await server.Client("no-such-token").GetAsync($"/api/v1/accounts/{server.AccountId}/dashboard_apps");
        await response.ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"Invalid Access Token"}""");
    }

    [Fact]
    public async Task First_start_creates_the_administrator_from_the_environment()
    {
        using var server = new UniLinkServer();
        var admin = server.Db(db => db.Users.Single());
        Assert.Equal(UniLinkServer.AdminEmail, admin.Email);
        Assert.Equal(UniLink.Infrastructure.Auth.Tokens.Hash(UniLinkServer.AdminToken), admin.AccessTokenHash);
        Assert.Equal("administrator", server.Db(db => db.AccountUsers.Single().Role));
    }

    [Fact]
    public void Bad_configuration_is_reported_naming_every_bad_variable()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["UNILINK_DEMO"] = "maybe",
            ["UNILINK_DATABASE_URL"] = "mysql://x/y",
        }).Build();
        var e = Assert.Throws<InvalidConfigurationException>(() => UniLinkOptions.Load(config));
        Assert.Contains(e.Errors, m => m.StartsWith("UNILINK_DEMO"));
        Assert.Contains(e.Errors, m => m.StartsWith("UNILINK_DATABASE_URL"));
    }
}
