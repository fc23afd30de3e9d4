using UniLink.Features.Webhooks;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Webhooks;

public sealed class WebhookRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private static WebhookInput Given(string? url, IReadOnlyList<string>? events = null, string? name = null) => new(url, name, events, NameGiven: name is not null);

    private Task<WriteResult<Webhook>> CreateAsync(int account, WebhookInput input) =>
        WithAsync<WebhookService, WriteResult<Webhook>>(s => s.CreateAsync(account, input, default));

    private Task<WriteResult<Webhook>> UpdateAsync(int account, int id, WebhookInput input) =>
        WithAsync<WebhookService, WriteResult<Webhook>>(s => s.UpdateAsync(account, id, input, default));

    [Fact]
    public async Task A_webhook_needs_an_http_url_unique_in_its_account_and_known_events_and_another_accounts_is_missing()
    {
        var other = await OtherAccountAsync();
        var url = $"http://127.0.0.1:9/{Guid.NewGuid():N}";
        var mine = Assert.IsType<WriteResult<Webhook>.Done>(await CreateAsync(_account, Given(url))).Value;
        Assert.Contains(WebhookEvents.MessageCreated, mine.Subscriptions);
        int Count() => _server.Db(db => db.Webhooks.Count(w => w.AccountId == _account));
        var before = Count();

        AssertRefused(await CreateAsync(_account, Given(url)), "url");
        AssertRefused(await CreateAsync(_account, Given(null)), "url");
        AssertRefused(await CreateAsync(_account, Given("ftp://example.com/h")), "url");
        AssertRefused(await CreateAsync(_account, Given("javascript:alert(1)")), "url");
        AssertRefused(await CreateAsync(_account, Given(url + "/2", ["message_sent"])), "subscriptions");
        AssertRefused(await CreateAsync(_account, Given(url + "/2", [])), "subscriptions");
        AssertRefused(await CreateAsync(_account, Given(url + "/2", name: new string('n', 256))), "name");
        Assert.Equal(before, Count());

        // The same address in another account is free; an account cannot reach another's webhook.
        Assert.IsType<WriteResult<Webhook>.Done>(await CreateAsync(other, Given(url)));
        Assert.IsType<WriteResult<Webhook>.Missing>(await UpdateAsync(other, mine.Id, Given(url + "/taken-over")));

        // An update changes only what it names; an address given must still be a usable one.
        AssertRefused(await UpdateAsync(_account, mine.Id, Given("")), "url");
        var renamed = Assert.IsType<WriteResult<Webhook>.Done>(await UpdateAsync(_account, mine.Id, Given(null, name: "CRM"))).Value;
        Assert.Equal((url, "CRM"), (renamed.Url, renamed.Name));
        Assert.Equal(url, _server.Db(db => db.Webhooks.Single(w => w.Id == mine.Id).Url));
    }
}
