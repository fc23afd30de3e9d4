using System.Net;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Agents;

public class AgentsListTests
{
    [Fact]
    public async Task Every_member_lists_the_accounts_agents_in_the_reference_shape_but_bots_and_outsiders_do_not()
    {
        using var server = new UniLinkServer();
        var account = server.AccountId;
        var agent = await server.CreateUserAsync(account, Roles.Agent, "Listed Agent");
        using var client = server.Client(agent.Token);
        var list = (await (await client.GetAsync($"/api/v1/accounts/{account}/agents")).ExpectAsync(HttpStatusCode.OK))!.AsArray();

        Assert.Equal([UniLinkServer.AdminEmail, agent.Email], list.Select(a => a!["email"]!.GetValue<string>()));
        Assert.All(list, a => Assert.Equal(
            ["account_id", "auto_offline", "availability_status", "available_name", "confirmed", "email", "id", "name", "provider", "role", "thumbnail"],
            a!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)));
        Assert.Equal(["administrator", "agent"], list.Select(a => a!["role"]!.GetValue<string>()));
        Assert.All(list, a => Assert.Equal(account, a!["account_id"]!.GetValue<int>()));
        Assert.Equal("Listed Agent", list[1]!["name"]!.GetValue<string>());

        using var bot = server.Client(await server.CreateBotAsync(account));
        await (await bot.GetAsync($"/api/v1/accounts/{account}/agents"))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"Access to this endpoint is not authorized for bots"}""");
        var outsider = await server.CreateUserAsync(null);
        using var stranger = server.Client(outsider.Token);
        await (await stranger.GetAsync($"/api/v1/accounts/{account}/agents"))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to access this account"}""");
    }
}
