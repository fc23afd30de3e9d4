using UniLink.Features.Agents;
using UniLink.Features.Accounts;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Agents;

public sealed class AgentRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    [Fact]
    public async Task An_agent_has_a_name_an_address_unique_in_the_account_a_known_role_and_an_account_keeps_one_administrator()
    {
        var account = await OtherAccountAsync();
        var second = await OtherAccountAsync();
        Task<WriteResult<TeamChange>> AddAsync(int accountId, NewAgent input) => WithAsync<TeamService, WriteResult<TeamChange>>(s => s.AddAsync(accountId, input));
        var email = $"{Guid.NewGuid():N}@example.com";

        AssertRefused(await AddAsync(account, new NewAgent(" ", email, null, null)), "name");
        AssertRefused(await AddAsync(account, new NewAgent("Ann", "not an address", null, null)), "email");
        AssertRefused(await AddAsync(account, new NewAgent("Ann", email, "owner", null)), "role");
        AssertRefused(await AddAsync(account, new NewAgent("Ann", email, null, "short")), "password");
        var ann = Assert.IsType<WriteResult<TeamChange>.Done>(await AddAsync(account, new NewAgent("Ann", email.ToUpperInvariant(), Roles.Agent, null))).Value;
        AssertRefused(await AddAsync(account, new NewAgent("Ann again", email, null, null)), "email");
        Assert.IsType<WriteResult<TeamChange>.Done>(await AddAsync(second, new NewAgent("Ann", email, null, null)));

        var annId = ann.Member.UserId;
        Task<WriteResult<TeamChange>> UpdateAsync(int accountId, AgentChanges changes) =>
            WithAsync<TeamService, WriteResult<TeamChange>>(s => s.UpdateAsync(accountId, annId, changes, _server.AdminUserId));
        AssertRefused(await UpdateAsync(account, new AgentChanges(AvailabilityStatus: "away")), "availability");
        AssertRefused(await UpdateAsync(account, new AgentChanges(Name: "")), "name");
        Assert.IsType<WriteResult<TeamChange>.Missing>(await WithAsync<TeamService, WriteResult<TeamChange>>(s =>
            s.UpdateAsync(account, int.MaxValue, new AgentChanges(Role: Roles.Agent), _server.AdminUserId)));

        // The administrator who made the account is its only one: they can be neither demoted nor removed.
        AssertRefused(await WithAsync<TeamService, WriteResult<TeamChange>>(s =>
            s.UpdateAsync(account, _server.AdminUserId, new AgentChanges(Role: Roles.Agent), _server.AdminUserId)), "role");
        AssertRefused(await WithAsync<TeamService, WriteResult<TeamChange>>(s => s.RemoveAsync(account, _server.AdminUserId)), "role");
        Assert.Equal(Roles.Administrator, _server.Db(db => db.AccountUsers.Single(m => m.AccountId == account && m.UserId == _server.AdminUserId).Role));
        Assert.IsType<WriteResult<TeamChange>.Done>(await WithAsync<TeamService, WriteResult<TeamChange>>(s => s.RemoveAsync(account, annId)));
        Assert.False(_server.Db(db => db.AccountUsers.Any(m => m.AccountId == account && m.UserId == annId)));
    }
}
