using System.Net;
using Microsoft.EntityFrameworkCore;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Production;

/// <summary>A server with the read cache off (UNILINK_READ_CACHE_SECONDS=0), for <see cref="UncachedAuthTests"/>.</summary>
public sealed class UncachedServer : IDisposable
{
    public UniLinkServer Instance { get; } = new(new Dictionary<string, string?> { ["UNILINK_READ_CACHE_SECONDS"] = "0" });
    public void Dispose() => Instance.Dispose();
}

/// <summary>
/// With the read cache off, a user's token and their place in the called account are read in one statement: every
/// change to either must still show on the very next request, as with two look-ups.
/// </summary>
public class UncachedAuthTests(UncachedServer shared) : IClassFixture<UncachedServer>
{
    private readonly UniLinkServer _server = shared.Instance;

    [Fact]
    public async Task Members_strangers_and_unknown_accounts_are_answered_as_before()
    {
        var accountId = _server.AccountId;
        var other = await _server.CreateAccountAsync("Elsewhere");
        var agent = await _server.CreateUserAsync(accountId);
        var client = _server.Client(agent.Token);

        await (await client.GetAsync($"/api/v1/accounts/{accountId}/conversations")).ExpectAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/api/v1/accounts/{other}/conversations")).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/api/v1/accounts/987654/conversations")).ExpectAsync(HttpStatusCode.NotFound);
        // An administrator's route, called by an agent.
        await (await client.GetAsync($"/api/v1/accounts/{accountId}/webhooks")).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await _server.AdminClient().GetAsync($"/api/v1/accounts/{accountId}/webhooks")).ExpectAsync(HttpStatusCode.OK);
        var body = await (await _server.Client("not-a-token").GetAsync($"/api/v1/accounts/{accountId}/conversations")).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Invalid Access Token", body!["error"]!.GetValue<string>());
        var bot = await _server.CreateBotAsync(accountId);
        await (await _server.Client(bot).GetAsync($"/api/v1/accounts/{accountId}/conversations")).ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_reset_token_a_removed_member_a_deleted_user_and_a_suspended_account_lose_access_at_once()
    {
        var accountId = await _server.CreateAccountAsync("Acme", _server.AdminUserId);
        var path = $"/api/v1/accounts/{accountId}/conversations";

        var reset = await _server.CreateUserAsync(accountId);
        await (await _server.Client(reset.Token).GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        var renewed = await (await _server.Client(reset.Token).PostAsync("/api/v1/profile/reset_access_token", null)).ExpectAsync(HttpStatusCode.OK);
        await (await _server.Client(reset.Token).GetAsync(path)).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await _server.Client(renewed!["access_token"]!.GetValue<string>()).GetAsync(path)).ExpectAsync(HttpStatusCode.OK);

        var removed = await _server.CreateUserAsync(accountId);
        await (await _server.Client(removed.Token).GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        await (await _server.AdminClient().DeleteAsync($"/api/v1/accounts/{accountId}/agents/{removed.Id}")).ExpectAsync(HttpStatusCode.OK);
        await (await _server.Client(removed.Token).GetAsync(path)).ExpectAsync(HttpStatusCode.Unauthorized);

        var deleted = await _server.CreateUserAsync(accountId);
        await (await _server.Client(deleted.Token).GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        await _server.DbAsync(db => db.Users.Where(u => u.Id == deleted.Id).ExecuteDeleteAsync());
        await (await _server.Client(deleted.Token).GetAsync(path)).ExpectAsync(HttpStatusCode.Unauthorized);

        var member = await _server.CreateUserAsync(accountId, Roles.Administrator);
        await (await _server.Client(member.Token).GetAsync($"/api/v1/accounts/{accountId}/webhooks")).ExpectAsync(HttpStatusCode.OK);
        await _server.DbAsync(db => db.AccountUsers.Where(m => m.AccountId == accountId && m.UserId == member.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, Roles.Agent)));
        await (await _server.Client(member.Token).GetAsync($"/api/v1/accounts/{accountId}/webhooks")).ExpectAsync(HttpStatusCode.Unauthorized);

        await _server.DbAsync(db => db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AccountStatuses.Suspended)));
        await (await _server.Client(member.Token).GetAsync(path)).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"This account is suspended"}""");
    }
}
