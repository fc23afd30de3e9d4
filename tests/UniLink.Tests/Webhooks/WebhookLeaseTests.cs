using System.Net;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Webhooks;

/// <summary>A delivery is sent by one claim only: a receiver slower than the lease still gets each event once.</summary>
public sealed class WebhookLeaseTests
{
    [Fact]
    public async Task A_receiver_slower_than_the_lease_gets_each_event_exactly_once()
    {
        // A 1 s lease and a receiver that takes 2.5 s to answer (within the 5 s attempt): the claim must be renewed while sending.
        using var server = new UniLinkServer(new Dictionary<string, string?>(WebhookServer.Settings) { ["UNILINK_WEBHOOK_LEASE_SECONDS"] = "1" });
        using var admin = server.AdminClient();
        var account = server.AccountId;
        await using var slow = await WebhookReceiver.StartAsync();
        slow.Delay = TimeSpan.FromSeconds(2.5);
        await (await admin.PostAsync($"/api/v1/accounts/{account}/webhooks", Json(new { url = slow.Url, subscriptions = new[] { "message_created" } })))
            .ExpectAsync(HttpStatusCode.OK);
        var conversation = (await admin.CreateConversationAsync(account))["id"]!.GetValue<int>();
        for (var i = 1; i <= 3; i++)
            await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages", Json(new { content = $"slow {i}" })))
                .ExpectAsync(HttpStatusCode.OK);

        await slow.WaitForAsync(r => r.Select(x => x.Json["content"]?.GetValue<string>()).Distinct().Count(c => c?.StartsWith("slow") == true) == 3, seconds: 40);
        await Task.Delay(TimeSpan.FromSeconds(4)); // a second claim would have sent again by now
        var got = slow.Received.Where(x => x.Json["content"]?.GetValue<string>()?.StartsWith("slow") == true).ToList();
        Assert.Equal(["slow 1", "slow 2", "slow 3"], got.Select(x => x.Json["content"]!.GetValue<string>()));
        Assert.Equal(3, got.Select(x => x.Header("X-Chatwoot-Delivery")).Distinct().Count());

        // Each recorded as delivered after one attempt.
        var states = server.Db(db => db.WebhookDeliveries.Where(d => d.Event == "message_created").Select(d => new { d.State, d.Attempts }).ToList());
        Assert.All(states, s => Assert.Equal(("delivered", 1), (s.State, s.Attempts)));
    }
}
