using UniLink.Features.Labels;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Labels;

public sealed class LabelRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private Task<WriteResult<Label>> CreateAsync(int account, LabelInput input) =>
        WithAsync<LabelService, WriteResult<Label>>(s => s.CreateAsync(account, input));

    [Fact]
    public async Task A_title_is_unique_per_account_colours_look_like_hex_and_another_accounts_label_is_missing()
    {
        var other = await OtherAccountAsync();
        var title = "rules-" + Guid.NewGuid().ToString("N")[..6];
        var mine = Assert.IsType<WriteResult<Label>.Done>(await CreateAsync(_account, new LabelInput(title, null, "#112233", null))).Value;
        AssertRefused(await CreateAsync(_account, new LabelInput(title.ToUpperInvariant(), null, null, null)), "title");
        AssertRefused(await CreateAsync(_account, new LabelInput(title + "-2", null, "blue", null)), "color");
        AssertRefused(await CreateAsync(_account, new LabelInput("no spaces allowed", null, null, null)), "title");
        Assert.IsType<WriteResult<Label>.Done>(await CreateAsync(other, new LabelInput(title, null, null, null)));
        Assert.IsType<WriteResult<Label>.Missing>(await WithAsync<LabelService, WriteResult<Label>>(s => s.UpdateAsync(other, mine.Id, new LabelInput("taken-over", null, null, null))));
        Assert.Equal(title, _server.Db(db => db.Labels.Single(l => l.Id == mine.Id).Title));
    }
}
