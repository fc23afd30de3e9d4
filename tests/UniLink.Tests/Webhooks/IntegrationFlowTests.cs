using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Webhooks;

/// <summary>The calls real integrations make, in their order: an n8n-style trigger and an Activepieces-style new-message trigger.</summary>
public sealed class IntegrationFlowTests(WebhookServer shared) : WebhookTests(shared)
{
    [Fact]
    public async Task An_n8n_style_trigger_checks_registers_receives_and_unregisters()
    {
        await using var n8n = await WebhookReceiver.StartAsync("/webhook/0b4f/webhook");
        // checkExists: list and look for its own URL.
        var list = await (await _admin.GetAsync(P("webhooks"))).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(list!["payload"]!["webhooks"]!.AsArray(), w => w!["url"]!.GetValue<string>() == n8n.Url);
        // create: the wrapped body; it keeps payload.webhook.id.
        var created = await (await _admin.PostAsync(P("webhooks"), Json(new
        {
            webhook = new { url = n8n.Url, subscriptions = new[] { "conversation_created", "message_created", "conversation_status_changed" } },
        }))).ExpectAsync(HttpStatusCode.OK);
        var id = created!["payload"]!["webhook"]!["id"]!.GetValue<int>();
        list = await (await _admin.GetAsync(P("webhooks"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(list!["payload"]!["webhooks"]!.AsArray(), w => w!["id"]!.GetValue<int>() == id && w["url"]!.GetValue<string>() == n8n.Url);

        var conversation = (await _admin.CreateConversationAsync(_account, "Flow Customer", "I need help"))["id"]!.GetValue<int>();
        var got = await n8n.WaitForAsync(r => r.Any(x => x.Event == "message_created" && x.Json["content"]?.GetValue<string>() == "I need help"));
        var created1 = got.Single(x => x.Event == "conversation_created" && x.Json["id"]!.GetValue<int>() == conversation);
        Assert.Equal("Flow Customer", created1.Json["meta"]!["sender"]!["name"]!.GetValue<string>());
        Assert.Equal("incoming", got.Single(x => x.Event == "message_created").Json["message_type"]!.GetValue<string>());

        // delete on deactivation; nothing more arrives.
        (await _admin.DeleteAsync(P($"webhooks/{id}"))).EnsureSuccessStatusCode();
        var before = n8n.Received.Count;
        await (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "after delete" }))).ExpectAsync(HttpStatusCode.OK);
        await Task.Delay(1500);
        Assert.Equal(before, n8n.Received.Count);
    }

    [Fact]
    public async Task An_activepieces_style_new_message_trigger_gets_each_new_message_once_with_its_sender()
    {
        await using var pieces = await WebhookReceiver.StartAsync("/v1/webhooks/flow-42");
        // onEnable: unwrapped body, message_created only.
        var created = await (await _admin.PostAsync(P("webhooks"), Json(new { url = pieces.Url, subscriptions = new[] { "message_created" } })))
            .ExpectAsync(HttpStatusCode.OK);
        var id = created!["payload"]!["webhook"]!["id"]!.GetValue<int>();
        var conversation = (await _admin.CreateConversationAsync(_account, "Pieces Customer", "first"))["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "second" }))).ExpectAsync(HttpStatusCode.OK);

        var got = await pieces.WaitForAsync(r => r.Count(x => x.Json["conversation"]?["id"]?.GetValue<int>() == conversation) >= 2);
        var ours = got.Where(x => x.Json["conversation"]?["id"]?.GetValue<int>() == conversation).ToList();
        Assert.All(ours, x => Assert.Equal("message_created", x.Event));
        Assert.Equal(["first", "second"], ours.Select(x => x.Json["content"]!.GetValue<string>()));
        Assert.Equal("contact", ours[0].Json["sender"]!["type"]!.GetValue<string>());
        Assert.Equal("user", ours[1].Json["sender"]!["type"]!.GetValue<string>());
        Assert.Equal(ours.Count, ours.Select(x => x.Header("X-Chatwoot-Delivery")).Distinct().Count());
        // onDisable
        (await _admin.DeleteAsync(P($"webhooks/{id}"))).EnsureSuccessStatusCode();
        var remaining = await (await _admin.GetAsync(P("webhooks"))).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(remaining!["payload"]!["webhooks"]!.AsArray(), w => w!["id"]!.GetValue<int>() == id);
    }
}
