using UniLink.Features.Agents;
using UniLink.Features.Inboxes;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Inboxes;

public sealed class InboxRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private Task<WriteResult<Inbox>> CreateAsync(int account, InboxInput input) =>
        WithAsync<InboxService, WriteResult<Inbox>>(s => s.CreateAsync(account, input));

    [Fact]
    public async Task An_inbox_has_a_name_a_known_channel_and_http_links_and_only_an_api_inbox_has_a_secret()
    {
        var other = await OtherAccountAsync();
        int Count() => _server.Db(db => db.Inboxes.Count(i => i.AccountId == _account));
        var before = Count();
        AssertRefused(await CreateAsync(_account, new InboxInput("  ", "api")), "name");
        AssertRefused(await CreateAsync(_account, new InboxInput("No channel")), "channel");
        AssertRefused(await CreateAsync(_account, new InboxInput("Fax", "fax")), "channel");
        AssertRefused(await CreateAsync(_account, new InboxInput("Site", "web_widget", WebsiteUrl: "javascript:alert(1)")), "website_url");
        AssertRefused(await CreateAsync(_account, new InboxInput("Api", "api", WebhookUrl: "ftp://example.com/in")), "webhook_url");
        AssertRefused(await CreateAsync(_account, new InboxInput("Mail", "email", Email: "not an address")), "email");
        Assert.Equal(before, Count());

        var api = Assert.IsType<WriteResult<Inbox>.Done>(await CreateAsync(_account, new InboxInput(" Api ", "api"))).Value;
        var site = Assert.IsType<WriteResult<Inbox>.Done>(await CreateAsync(_account, new InboxInput("Site", "web_widget", WebsiteUrl: "https://example.com"))).Value;
        Assert.Equal("Api", api.Name);
        Assert.NotNull(api.Secret);
        Assert.Null(site.Secret);
        AssertRefused(await WithAsync<InboxService, WriteResult<Inbox>>(s => s.ResetSecretAsync(_account, site.Id)), "channel");
        AssertRefused(await WithAsync<InboxService, WriteResult<Inbox>>(s => s.UpdateAsync(_account, api.Id, new InboxInput("", ChangesName: true))), "name");
        Assert.IsType<WriteResult<Inbox>.Missing>(await WithAsync<InboxService, WriteResult<Inbox>>(s => s.UpdateAsync(other, api.Id, new InboxInput("Taken", ChangesName: true))));
        Assert.IsType<WriteResult<Inbox>.Missing>(await WithAsync<InboxService, WriteResult<Inbox>>(s => s.ResetSecretAsync(other, api.Id)));
        Assert.Equal("Api", _server.Db(db => db.Inboxes.Single(i => i.Id == api.Id).Name));
    }

    [Fact]
    public async Task Only_agents_of_the_account_work_its_inboxes_and_a_refused_change_changes_nothing()
    {
        var other = await OtherAccountAsync();
        var inbox = Assert.IsType<WriteResult<Inbox>.Done>(await CreateAsync(_account, new InboxInput("Members", "api"))).Value;
        var agent = await _server.CreateUserAsync(_account);
        var outsider = await _server.CreateUserAsync(other);
        Task<WriteResult<Inbox>> ChangeAsync(int account, int[] ids, MembersChange change) =>
            WithAsync<InboxMembersService, WriteResult<Inbox>>(s => s.ChangeAsync(account, inbox.Id, ids, change));
        List<int> Members() => _server.Db(db => db.InboxMembers.Where(m => m.InboxId == inbox.Id).Select(m => m.UserId).OrderBy(id => id).ToList());

        Assert.IsType<WriteResult<Inbox>.Done>(await ChangeAsync(_account, [agent.Id], MembersChange.Add));
        AssertRefused(await ChangeAsync(_account, [_server.AdminUserId, outsider.Id], MembersChange.Replace), "user_ids");
        Assert.Equal([agent.Id], Members());
        Assert.IsType<WriteResult<Inbox>.Missing>(await ChangeAsync(other, [outsider.Id], MembersChange.Add));
        Assert.IsType<WriteResult<Inbox>.Done>(await ChangeAsync(_account, [_server.AdminUserId], MembersChange.Replace));
        Assert.Equal([_server.AdminUserId], Members());
        Assert.IsType<WriteResult<Inbox>.Done>(await ChangeAsync(_account, [_server.AdminUserId], MembersChange.Remove));
        Assert.Empty(Members());
    }
}
