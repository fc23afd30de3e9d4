using UniLink.Features.AgentBots;
using UniLink.Features.Agents;
using UniLink.Features.Inboxes;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.AgentBots;

public sealed class AgentBotRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private static AgentBotInput Given(string? name, string? outgoingUrl = null, string? avatarUrl = null) =>
        new(name, null, outgoingUrl, OutgoingUrlGiven: outgoingUrl is not null, avatarUrl);

    private Task<WriteResult<AgentBotService.IssuedBot>> CreateAsync(int account, AgentBotInput input) =>
        WithAsync<AgentBotService, WriteResult<AgentBotService.IssuedBot>>(s => s.CreateAsync(account, input));

    [Fact]
    public async Task A_bot_has_a_name_and_http_addresses_and_serves_only_its_own_accounts_inboxes()
    {
        var other = await OtherAccountAsync();
        var bot = Assert.IsType<WriteResult<AgentBotService.IssuedBot>.Done>(await CreateAsync(_account, Given(" Triage ", "http://127.0.0.1:9/bot"))).Value.Bot;
        Assert.Equal("Triage", bot.Name);
        int Count() => _server.Db(db => db.AgentBots.Count(b => b.AccountId == _account));
        var before = Count();

        AssertRefused(await CreateAsync(_account, Given("   ")), "name");
        AssertRefused(await CreateAsync(_account, Given(null)), "name");
        AssertRefused(await CreateAsync(_account, Given(new string('b', 256))), "name");
        AssertRefused(await CreateAsync(_account, Given("Bot", "ftp://example.com/bot")), "outgoing_url");
        AssertRefused(await CreateAsync(_account, Given("Bot", avatarUrl: "javascript:alert(1)")), "avatar_url");
        Assert.Equal(before, Count());

        // An update keeps what it does not name, refuses a blank name, and another account's bot is missing.
        AssertRefused(await WithAsync<AgentBotService, WriteResult<AgentBot>>(s => s.UpdateAsync(_account, bot.Id, Given(""))), "name");
        Assert.IsType<WriteResult<AgentBot>.Missing>(await WithAsync<AgentBotService, WriteResult<AgentBot>>(s => s.UpdateAsync(other, bot.Id, Given("Taken"))));
        var cleared = Assert.IsType<WriteResult<AgentBot>.Done>(await WithAsync<AgentBotService, WriteResult<AgentBot>>(s => s.UpdateAsync(_account, bot.Id, Given(null, "")))).Value;
        Assert.Equal(("Triage", null), (cleared.Name, cleared.OutgoingUrl));

        // A bot serves only inboxes of its own account.
        var otherBot = Assert.IsType<WriteResult<AgentBotService.IssuedBot>.Done>(await CreateAsync(other, Given("Theirs"))).Value.Bot;
        var inbox = Assert.IsType<WriteResult<Inbox>.Done>(await WithAsync<InboxService, WriteResult<Inbox>>(s => s.CreateAsync(_account, new InboxInput("Bots", "api"))))
            .Value.Id;
        AssertRefused(await WithAsync<AgentBotService, WriteResult<Inbox>>(s => s.SetInboxBotAsync(_account, inbox, otherBot.Id)), "agent_bot");
        Assert.IsType<WriteResult<Inbox>.Missing>(await WithAsync<AgentBotService, WriteResult<Inbox>>(s => s.SetInboxBotAsync(other, inbox, otherBot.Id)));
        Assert.IsType<WriteResult<Inbox>.Done>(await WithAsync<AgentBotService, WriteResult<Inbox>>(s => s.SetInboxBotAsync(_account, inbox, bot.Id)));
        Assert.Equal(bot.Id, _server.Db(db => db.Inboxes.Single(i => i.Id == inbox).AgentBotId));
        Assert.IsType<WriteResult<Inbox>.Done>(await WithAsync<AgentBotService, WriteResult<Inbox>>(s => s.SetInboxBotAsync(_account, inbox, null)));
    }
}
