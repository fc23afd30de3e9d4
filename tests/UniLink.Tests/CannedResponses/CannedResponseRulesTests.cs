using UniLink.Features.CannedResponses;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.CannedResponses;

public sealed class CannedResponseRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private Task<WriteResult<CannedResponse>> CreateAsync(int account, string? shortCode, string? content) =>
        WithAsync<CannedResponseService, WriteResult<CannedResponse>>(s => s.CreateAsync(account, new CannedResponseInput(shortCode, content)));

    [Fact]
    public async Task A_short_code_is_one_word_unique_per_account_content_is_required_and_search_ranks_short_codes_first()
    {
        var other = await OtherAccountAsync();
        var code = "rules" + Guid.NewGuid().ToString("N")[..6];
        var mine = Assert.IsType<WriteResult<CannedResponse>.Done>(await CreateAsync(_account, code, "Thanks for waiting")).Value;
        int Count() => _server.Db(db => db.CannedResponses.Count(r => r.AccountId == _account));
        var before = Count();

        AssertRefused(await CreateAsync(_account, code, "again"), "short_code");
        AssertRefused(await CreateAsync(_account, "two words", "x"), "short_code");
        AssertRefused(await CreateAsync(_account, null, "x"), "short_code");
        AssertRefused(await CreateAsync(_account, code + "b", "   "), "content");
        AssertRefused(await CreateAsync(_account, code + "c", new string('c', CannedResponseService.MaxContent + 1)), "content");
        Assert.Equal(before, Count());
        Assert.IsType<WriteResult<CannedResponse>.Done>(await CreateAsync(other, code, "theirs"));
        Assert.IsType<WriteResult<CannedResponse>.Missing>(await WithAsync<CannedResponseService, WriteResult<CannedResponse>>(s =>
            s.UpdateAsync(other, mine.Id, new CannedResponseInput(null, "taken over"))));

        // Short codes that start with the search come before those holding it, then contents.
        var inContent = Assert.IsType<WriteResult<CannedResponse>.Done>(await CreateAsync(_account, "z" + code + "x", "mentions " + code)).Value;
        var found = await WithAsync<CannedResponseService, List<CannedResponse>>(s => s.ListAsync(_account, code.ToUpperInvariant()));
        Assert.Equal([mine.Id, inContent.Id], found.Select(r => r.Id));
    }
}
