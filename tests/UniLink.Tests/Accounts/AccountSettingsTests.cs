using System.Net;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Accounts;

public class AccountSettingsTests
{
    [Fact]
    public async Task Members_read_the_account_and_administrators_rename_it()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        var path = $"/api/v1/accounts/{server.AccountId}";
        var account = await (await server.Client(agent.Token).GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("UniLink", account!["name"]!.GetValue<string>());
        Assert.Equal(server.AccountId, account["id"]!.GetValue<int>());

        var renamed = await (await server.AdminClient().PatchAsync(path, Json(new { name = "Acme Support" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Acme Support", renamed!["name"]!.GetValue<string>());
        var wrapped = await (await server.AdminClient().PatchAsync(path, Json(new { account = new { name = "Acme" } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Acme", wrapped!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Agents_cannot_rename_and_a_blank_name_is_422()
    {
        using var server = new UniLinkServer();
        var agent = await server.CreateUserAsync(server.AccountId);
        var path = $"/api/v1/accounts/{server.AccountId}";
        await (await server.Client(agent.Token).PatchAsync(path, Json(new { name = "Mine" })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to do this action"}""");
        await (await server.AdminClient().PatchAsync(path, Json(new { name = "  " })))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"Name can't be blank","attributes":["name"]}""");
        Assert.Equal("UniLink", server.Db(db => db.Accounts.Single(a => a.Id == server.AccountId).Name));
    }

    [Fact]
    public async Task Unknown_and_foreign_accounts_answer_the_reference_errors()
    {
        using var server = new UniLinkServer();
        var other = await server.CreateAccountAsync("Other");
        await (await server.AdminClient().GetAsync("/api/v1/accounts/9999"))
            .ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await server.AdminClient().PatchAsync($"/api/v1/accounts/{other}", Json(new { name = "Taken" })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to access this account"}""");
    }
}
