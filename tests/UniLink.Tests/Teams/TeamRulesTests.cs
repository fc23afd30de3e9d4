using UniLink.Features.Agents;
using UniLink.Features.Teams;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Teams;

public sealed class TeamRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private Task<WriteResult<Team>> CreateAsync(int account, string? name) =>
        WithAsync<TeamsService, WriteResult<Team>>(s => s.CreateAsync(account, new TeamInput(name, null, null)));

    [Fact]
    public async Task A_team_name_is_unique_per_account_in_any_case_and_members_must_belong_to_the_account()
    {
        var other = await OtherAccountAsync();
        var name = "Rules " + Guid.NewGuid().ToString("N")[..6];
        var mine = Assert.IsType<WriteResult<Team>.Done>(await CreateAsync(_account, name)).Value;
        Assert.Equal(name.ToLowerInvariant(), mine.Name);
        AssertRefused(await CreateAsync(_account, name.ToUpperInvariant()), "name");
        AssertRefused(await CreateAsync(_account, "   "), "name");
        Assert.IsType<WriteResult<Team>.Done>(await CreateAsync(other, name));
        Assert.IsType<WriteResult<Team>.Missing>(await WithAsync<TeamsService, WriteResult<Team>>(s => s.UpdateAsync(other, mine.Id, new TeamInput("taken", null, null))));

        var member = await _server.CreateUserAsync(_account);
        var outsider = await _server.CreateUserAsync(other);
        Task<WriteResult<TeamsService.MembersChanged>> ChangeAsync(int account, int[] ids, MembersChange change) =>
            WithAsync<TeamsService, WriteResult<TeamsService.MembersChanged>>(s => s.ChangeMembersAsync(account, mine.Id, ids, change));
        AssertRefused(await ChangeAsync(_account, [member.Id, outsider.Id], MembersChange.Add), "user_ids");
        Assert.Equal(0, _server.Db(db => db.TeamMembers.Count(m => m.TeamId == mine.Id)));
        Assert.IsType<WriteResult<TeamsService.MembersChanged>.Missing>(await ChangeAsync(other, [outsider.Id], MembersChange.Add));
        Assert.IsType<WriteResult<TeamsService.MembersChanged>.Done>(await ChangeAsync(_account, [member.Id, member.Id], MembersChange.Add));
        Assert.IsType<WriteResult<TeamsService.MembersChanged>.Done>(await ChangeAsync(_account, [_server.AdminUserId], MembersChange.Replace));
        Assert.Equal([_server.AdminUserId], _server.Db(db => db.TeamMembers.Where(m => m.TeamId == mine.Id).Select(m => m.UserId).ToList()));
    }
}
