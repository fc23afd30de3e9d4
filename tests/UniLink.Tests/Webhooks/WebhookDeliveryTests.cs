using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Webhooks;

/// <summary>Events reach real receivers on loopback: signed, in order, retried, logged.</summary>
public sealed class WebhookDeliveryTests(WebhookServer shared) : WebhookTests(shared)
{
    private async Task<(int Id, string Secret)> AddWebhookAsync(string url, params string[] subscriptions)
    {
        var created = await (await _admin.PostAsync(P("webhooks"), Json(new { webhook = new { url, subscriptions } }))).ExpectAsync(HttpStatusCode.OK);
        var w = created!["payload"]!["webhook"]!;
        return (w["id"]!.GetValue<int>(), w["secret"]!.GetValue<string>());
    }

    private async Task<int> NewConversationAsync(int inboxId)
    {
        var contact = await _admin.CreateContactAsync(_account, "Ana Silva", $"{Guid.NewGuid():N}@example.com");
        var conversation = await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = inboxId, contact_id = contact["id"]!.GetValue<int>() })))
            .ExpectAsync(HttpStatusCode.OK);
        return conversation!["id"]!.GetValue<int>();
    }

    private Task<HttpResponseMessage> ReplyAsync(int conversation, string content, string type = "outgoing") =>
        _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content, message_type = type }));

    [Fact]
    public async Task A_reply_reaches_the_webhook_signed_with_the_reference_headers_and_payload()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, secret) = await AddWebhookAsync(receiver.Url, "message_created");
        var inbox = await _admin.CreateInboxAsync(_account);
        var conversation = await NewConversationAsync(inbox);
        (await ReplyAsync(conversation, "Your order ships today")).EnsureSuccessStatusCode();

        var got = (await receiver.WaitForAsync(r => r.Any(x => x.Json["content"]?.GetValue<string>() == "Your order ships today")))
            .Single(x => x.Json["content"]?.GetValue<string>() == "Your order ships today");
        Assert.True(WebhookReceiver.SignatureValid(got, secret), "the X-Chatwoot-Signature verifies with the webhook's secret");
        Assert.False(WebhookReceiver.SignatureValid(got, secret + "x"));
        Assert.True(long.TryParse(got.Header("X-Chatwoot-Timestamp"), out var ts) && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - ts) < 60);
        Assert.True(Guid.TryParse(got.Header("X-Chatwoot-Delivery"), out _));
        Assert.StartsWith("application/json", got.Header("Content-Type"));
        Assert.Contains("UniLink", got.Header("User-Agent"));

        var p = got.Json;
        Assert.Equal("message_created", p["event"]!.GetValue<string>());
        Assert.Equal("outgoing", p["message_type"]!.GetValue<string>());
        Assert.Equal(_account, p["account"]!["id"]!.GetValue<int>());
        Assert.Equal(inbox, p["inbox"]!["id"]!.GetValue<int>());
        Assert.Equal("user", p["sender"]!["type"]!.GetValue<string>());
        Assert.Equal(UniLinkServer.AdminEmail, p["sender"]!["email"]!.GetValue<string>());
        var c = p["conversation"]!;
        Assert.Equal(conversation, c["id"]!.GetValue<int>());
        Assert.Equal("Ana Silva", c["meta"]!["sender"]!["name"]!.GetValue<string>());
        Assert.NotNull(c["contact_inbox"]!["source_id"]);
        Assert.Equal("open", c["status"]!.GetValue<string>());
        Assert.NotNull(c["labels"]);
        Assert.Equal("Your order ships today", c["messages"]![0]!["content"]!.GetValue<string>());

        // The payload is made of the API's own records: the conversation's fields are the API's.
        var api = await (await _admin.GetAsync(P($"conversations/{conversation}"))).ExpectAsync(HttpStatusCode.OK);
        foreach (var field in new[] { "id", "uuid", "inbox_id", "status", "account_id", "created_at" })
            Assert.True(JsonNode.DeepEquals(api![field], c[field]), field);
    }

    [Fact]
    public async Task A_contacts_message_is_the_contacts_last_activity_in_the_api_the_list_order_and_a_contact_updated_event()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await AddWebhookAsync(receiver.Url, "contact_updated");
        var inbox = await _admin.CreateInboxAsync(_account);
        var writer = await _admin.CreateContactAsync(_account, "Wanda Writer", $"{Guid.NewGuid():N}@example.com");
        var writerId = writer["id"]!.GetValue<int>();
        var conversation = await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = inbox, contact_id = writerId })))
            .ExpectAsync(HttpStatusCode.OK);
        var displayId = conversation!["id"]!.GetValue<int>();
        // Created after the writer: newer, so first in the list until the writer writes.
        var quiet = (await _admin.CreateContactAsync(_account, "Quentin Quiet", $"{Guid.NewGuid():N}@example.com"))["id"]!.GetValue<int>();
        async Task<List<int>> ListedAsync() => [.. (await (await _admin.GetAsync(P("contacts?page=1"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!
            .AsArray().Select(c => c!["id"]!.GetValue<int>())];
        var before = await ListedAsync();
        Assert.True(before.IndexOf(quiet) < before.IndexOf(writerId), "the newer contact is listed first while neither has written");

        // An agent's reply is not the contact's activity.
        (await ReplyAsync(displayId, "We are on it")).EnsureSuccessStatusCode();
        var afterReply = await (await _admin.GetAsync(P($"contacts/{writerId}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(afterReply!["payload"]!["last_activity_at"]);

        var sent = await (await ReplyAsync(displayId, "Any news?", "incoming")).ExpectAsync(HttpStatusCode.OK);
        var sentAt = sent!["created_at"]!.GetValue<long>();
        var shown = await (await _admin.GetAsync(P($"contacts/{writerId}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(sentAt, shown!["payload"]!["last_activity_at"]!.GetValue<long>());
        var after = await ListedAsync();
        Assert.True(after.IndexOf(writerId) < after.IndexOf(quiet), "the contact who wrote is listed first (the list is by last activity)");

        // Another account the same administrator works in: its contact's message moves only its own contact, and this
        // account's webhook hears nothing of it.
        var other = await _server.CreateAccountAsync("Activity elsewhere", _server.AdminUserId);
        var otherInbox = await _admin.CreateInboxAsync(other);
        var otherContact = (await _admin.CreateContactAsync(other, "Olga Other", $"{Guid.NewGuid():N}@example.com"))["id"]!.GetValue<int>();
        var otherConversation = (await (await _admin.PostAsync($"/api/v1/accounts/{other}/conversations", Json(new { inbox_id = otherInbox, contact_id = otherContact })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        (await _admin.PostAsync($"/api/v1/accounts/{other}/conversations/{otherConversation}/messages", Json(new { content = "Hello from elsewhere", message_type = "incoming" })))
            .EnsureSuccessStatusCode();
        var otherShown = await (await _admin.GetAsync($"/api/v1/accounts/{other}/contacts/{otherContact}")).ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull(otherShown!["payload"]!["last_activity_at"]);
        var writerAgain = await (await _admin.GetAsync(P($"contacts/{writerId}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(sentAt, writerAgain!["payload"]!["last_activity_at"]!.GetValue<long>());
        await (await _admin.GetAsync(P($"contacts/{otherContact}"))).ExpectAsync(HttpStatusCode.NotFound);

        var events = await receiver.WaitForAsync(r => r.Any(x => x.Event == "contact_updated" && x.Json["id"]?.GetValue<int>() == writerId));
        await Task.Delay(500); // the other account's event has had its chance to arrive here
        Assert.DoesNotContain(receiver.Received, x => x.Event == "contact_updated" && x.Json["id"]?.GetValue<int>() == otherContact);
        var updated = events.Single(x => x.Event == "contact_updated" && x.Json["id"]?.GetValue<int>() == writerId);
        var change = updated.Json["changed_attributes"]!.AsArray().Single()!["last_activity_at"]!;
        Assert.Null(change["previous_value"]);
        Assert.Equal(sentAt, change["current_value"]!.GetValue<long>());
    }

    [Fact]
    public async Task Only_subscribed_events_are_sent_and_a_conversation_s_events_arrive_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await AddWebhookAsync(receiver.Url, "message_created", "conversation_status_changed");
        var inbox = await _admin.CreateInboxAsync(_account);
        var conversation = await NewConversationAsync(inbox);
        for (var i = 1; i <= 10; i++) (await ReplyAsync(conversation, $"step {i}")).EnsureSuccessStatusCode();
        (await _admin.PostAsync(P($"conversations/{conversation}/toggle_status"), Json(new { status = "resolved" }))).EnsureSuccessStatusCode();

        var got = await receiver.WaitForAsync(r => r.Any(x => x.Event == "conversation_status_changed"));
        Assert.DoesNotContain(got, r => r.Event == "conversation_created");
        var contents = got.Where(r => r.Event == "message_created").Select(r => r.Json["content"]!.GetValue<string>()).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"step {i}"), contents);
        Assert.Equal("conversation_status_changed", got[^1].Event);
        var changed = got[^1].Json["changed_attributes"]!.AsArray();
        var status = changed.Select(x => x!["status"]).Single(x => x is not null)!;
        Assert.Equal("open", status["previous_value"]!.GetValue<string>());
        Assert.Equal("resolved", status["current_value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_event_a_third_time_with_the_same_delivery_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = n => n <= 2 ? 500 : 204;
        var (id, _) = await AddWebhookAsync(receiver.Url, "contact_created");
        await _admin.CreateContactAsync(_account, "Retry Me", $"{Guid.NewGuid():N}@example.com");

        var got = await receiver.WaitForAsync(r => r.Count >= 3);
        Assert.Equal(3, got.Count);
        Assert.Single(got.Select(r => r.Header("X-Chatwoot-Delivery")).Distinct());
        Assert.All(got, r => Assert.Equal("Retry Me", r.Json["name"]!.GetValue<string>()));

        var log = await WaitForLogAsync(id, d => d["state"]!.GetValue<string>() == "delivered");
        var attempts = log["attempt_log"]!.AsArray();
        Assert.Equal([500, 500, 204], attempts.Select(a => a!["status_code"]!.GetValue<int>()));
        Assert.Equal("answer 1", attempts[0]!["response"]!.GetValue<string>());
        Assert.All(attempts, a => Assert.True(a!["duration_ms"]!.GetValue<int>() >= 0));
        // No fourth request once it succeeded.
        await Task.Delay(1000);
        Assert.Equal(3, receiver.Received.Count);
    }

    [Fact]
    public async Task A_receiver_that_hangs_is_given_up_after_5_s_and_tried_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = n => n == 1 ? -1 : 200;
        var (id, _) = await AddWebhookAsync(receiver.Url, "contact_created");
        await _admin.CreateContactAsync(_account, "Slow Receiver", $"{Guid.NewGuid():N}@example.com");

        var got = await receiver.WaitForAsync(r => r.Count >= 2, seconds: 20);
        Assert.InRange((got[1].At - got[0].At).TotalSeconds, 4.5, 15);
        var log = await WaitForLogAsync(id, d => d["state"]!.GetValue<string>() == "delivered");
        var first = log["attempt_log"]![0]!;
        Assert.Null(first["status_code"]);
        Assert.Contains("timed out", first["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Send_test_event_and_retry_by_hand_go_to_that_webhook_only()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var bystander = await WebhookReceiver.StartAsync();
        var (id, secret) = await AddWebhookAsync(receiver.Url, "contact_created");
        await AddWebhookAsync(bystander.Url, "contact_created");
        var queued = await (await _admin.PostAsync(P($"webhooks/{id}/test"), null)).ExpectAsync(HttpStatusCode.OK);
        var deliveryId = queued!["payload"]!["id"]!.GetValue<long>();

        var got = (await receiver.WaitForEventAsync("webhook_test")).Single(r => r.Event == "webhook_test");
        Assert.True(WebhookReceiver.SignatureValid(got, secret));
        Assert.Equal(id, got.Json["webhook"]!["id"]!.GetValue<int>());
        await WaitForLogAsync(id, d => d["id"]!.GetValue<long>() == deliveryId && d["state"]!.GetValue<string>() == "delivered");

        await (await _admin.PostAsync(P($"webhooks/{id}/deliveries/{deliveryId}/retry"), null)).ExpectAsync(HttpStatusCode.OK);
        var again = await receiver.WaitForAsync(r => r.Count(x => x.Event == "webhook_test") >= 2);
        Assert.Single(again.Where(x => x.Event == "webhook_test").Select(x => x.Header("X-Chatwoot-Delivery")).Distinct());
        Assert.DoesNotContain(bystander.Received, r => r.Event == "webhook_test");
        await (await _admin.PostAsync(P($"webhooks/{id}/deliveries/999999999/retry"), null)).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unreachable_receiver_is_retried_until_the_retry_window_ends_then_marked_failed_and_kept()
    {
        // A port nothing listens on.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var server = new UniLinkServer(new Dictionary<string, string?>(WebhookServer.Settings) { ["UNILINK_WEBHOOK_RETRY_HOURS"] = "0.0005" });
        using var admin = server.AdminClient();
        var account = server.AccountId;
        var created = await (await admin.PostAsync($"/api/v1/accounts/{account}/webhooks",
            Json(new { url = $"http://127.0.0.1:{port}/gone", subscriptions = new[] { "contact_created" } }))).ExpectAsync(HttpStatusCode.OK);
        var id = created!["payload"]!["webhook"]!["id"]!.GetValue<int>();
        await admin.CreateContactAsync(account, "Nobody Home");

        JsonNode? delivery = null;
        for (var i = 0; i < 100 && delivery?["state"]?.GetValue<string>() != "failed"; i++)
        {
            await Task.Delay(100);
            var log = await (await admin.GetAsync($"/api/v1/accounts/{account}/webhooks/{id}/deliveries")).ExpectAsync(HttpStatusCode.OK);
            delivery = log!["payload"]!.AsArray().FirstOrDefault();
        }
        Assert.Equal("failed", delivery?["state"]?.GetValue<string>());
        Assert.True(delivery!["attempts"]!.GetValue<int>() >= 2);
        Assert.NotNull(delivery["last_error"]);
        Assert.Equal("contact_created", delivery["payload"]!["event"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_UNILINK_OUTBOUND_ALLOW_PRIVATE_a_loopback_receiver_is_refused_and_the_log_says_why()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = new UniLinkServer(new Dictionary<string, string?>(WebhookServer.Settings) { ["UNILINK_OUTBOUND_ALLOW_PRIVATE"] = "0" });
        using var admin = server.AdminClient();
        var account = server.AccountId;
        var created = await (await admin.PostAsync($"/api/v1/accounts/{account}/webhooks",
            Json(new { url = receiver.Url, subscriptions = new[] { "contact_created" } }))).ExpectAsync(HttpStatusCode.OK);
        var id = created!["payload"]!["webhook"]!["id"]!.GetValue<int>();
        await admin.CreateContactAsync(account, "Private Target");

        JsonNode? attempt = null;
        for (var i = 0; i < 100 && attempt is null; i++)
        {
            await Task.Delay(100);
            var log = await (await admin.GetAsync($"/api/v1/accounts/{account}/webhooks/{id}/deliveries")).ExpectAsync(HttpStatusCode.OK);
            attempt = log!["payload"]!.AsArray().FirstOrDefault()?["attempt_log"]?.AsArray().FirstOrDefault();
        }
        Assert.NotNull(attempt);
        Assert.Null(attempt!["status_code"]);
        Assert.Contains("does not connect to", attempt["error"]!.GetValue<string>());
        Assert.Empty(receiver.Received);
    }

    private async Task<JsonNode> WaitForLogAsync(int webhookId, Func<JsonNode, bool> done)
    {
        JsonNode? match = null;
        for (var i = 0; i < 150 && match is null; i++)
        {
            var log = await (await _admin.GetAsync(P($"webhooks/{webhookId}/deliveries"))).ExpectAsync(HttpStatusCode.OK);
            match = log!["payload"]!.AsArray().FirstOrDefault(d => done(d!));
            if (match is null) await Task.Delay(100);
        }
        Assert.NotNull(match);
        return match!;
    }
}
