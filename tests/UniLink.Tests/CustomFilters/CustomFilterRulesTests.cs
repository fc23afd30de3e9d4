using System.Text.Json.Nodes;
using UniLink.Features.CustomFilters;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.CustomFilters;

public sealed class CustomFilterRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private static CustomFilterInput Given(string? name, string? type = "conversation") => new(name, type, new JsonObject { ["payload"] = new JsonArray() });

    [Fact]
    public async Task A_saved_filter_is_its_users_own_has_a_name_and_a_known_type_and_a_user_keeps_at_most_fifty_per_account()
    {
        var other = await OtherAccountAsync();
        var colleague = await _server.CreateUserAsync(_account);
        var user = await _server.CreateUserAsync(_account);
        Task<WriteResult<CustomFilter>> CreateAsync(int account, int userId, CustomFilterInput input) =>
            WithAsync<CustomFilterService, WriteResult<CustomFilter>>(s => s.CreateAsync(account, userId, input));

        var mine = Assert.IsType<WriteResult<CustomFilter>.Done>(await CreateAsync(_account, user.Id, Given(" Open refunds "))).Value;
        Assert.Equal("Open refunds", mine.Name);
        AssertRefused(await CreateAsync(_account, user.Id, Given("  ")), "name");
        AssertRefused(await CreateAsync(_account, user.Id, Given("Bad type", "ticket")), "filter_type");

        // Another user's filter, or the same user's in another account, is as if it did not exist.
        Assert.IsType<WriteResult<CustomFilter>.Missing>(await WithAsync<CustomFilterService, WriteResult<CustomFilter>>(s =>
            s.UpdateAsync(_account, colleague.Id, mine.Id, Given("Taken over"))));
        Assert.IsType<WriteResult<CustomFilter>.Missing>(await WithAsync<CustomFilterService, WriteResult<CustomFilter>>(s =>
            s.DeleteAsync(other, user.Id, mine.Id)));

        for (var i = 1; i < CustomFilterService.MaxPerUser; i++)
            Assert.IsType<WriteResult<CustomFilter>.Done>(await CreateAsync(_account, user.Id, Given($"View {i}", i % 2 == 0 ? "contact" : "conversation")));
        AssertRefused(await CreateAsync(_account, user.Id, Given("One too many")), "account_id");
        Assert.IsType<WriteResult<CustomFilter>.Done>(await CreateAsync(_account, colleague.Id, Given("The colleague's first")));
        Assert.Equal(CustomFilterService.MaxPerUser, _server.Db(db => db.CustomFilters.Count(f => f.AccountId == _account && f.UserId == user.Id)));
    }
}
