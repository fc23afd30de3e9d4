using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.DashboardApps.Events;

/// <summary>
/// Typed events (<c>unilink:event</c>) in apps on another origin: each change of the open conversation, made through the
/// API, arrives as its type with the API's record, cut to the app's scopes; only frames that subscribed get any; the
/// same changes in another account (a conversation with the same number, an administrator of both) never arrive.
/// </summary>
public sealed class AppEventTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    private static IEnumerable<JsonNode> Events(JsonArray received, string? type = null) =>
        received.Where(r => r?["data"]?["event"]?.GetValue<string>() == "unilink:event"
                            && (type is null || r["data"]!["type"]!.GetValue<string>() == type))
            .Select(r => r!["data"]!);

    private static Task SubscribeAsync(IFrame frame, params string[] types) =>
        frame.EvaluateAsync($"() => window.parent.postMessage(JSON.stringify({{ event: 'unilink:subscribe', types: {System.Text.Json.JsonSerializer.Serialize(types)} }}), '*')");

    [Fact]
    public async Task Each_change_of_the_open_conversation_arrives_as_a_typed_event_cut_to_the_apps_scopes_and_only_for_subscribers()
    {
        var account = await fx.NewAccountAsync();
        var other = await fx.NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        var everything = await fx.AddAppAsync(account, "Everything", fx.Apps.Url("/app?mode=listen&e=1"));
        var narrow = await fx.AddAppAsync(account, "Narrow", fx.Apps.Url("/app?mode=listen&e=2"));
        await fx.AddAppAsync(account, "Plain", fx.Apps.Url("/app?mode=listen&e=3"));
        await (await admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{narrow}/settings", HttpAssertions.Json(new
        {
            context_scopes = new[] { ContextScopes.ContactIdentity, ContextScopes.MessagesPublic, ContextScopes.AgentEmail },
        }))).ExpectAsync(HttpStatusCode.OK);
        var created = await admin.CreateConversationAsync(account, "Maria Lopez", "Where is my order?");
        var conversation = created["id"]!.GetValue<int>();
        var contactId = created["meta"]!["sender"]!["id"]!.GetValue<int>();
        // The same number in another account the same administrator works in.
        var elsewhere = await admin.CreateConversationAsync(other, "Tom Becker", "Other account");
        Assert.Equal(conversation, elsewhere["id"]!.GetValue<int>());
        var adminId = fx.Server.AdminUserId;

        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.OpenConversationAsync(account, conversation);
        var frames = new List<IFrame>();
        foreach (var (title, i) in new[] { "Everything", "Narrow", "Plain" }.Select((t, i) => (t, i)))
        {
            await page.GetByRole(AriaRole.Tab, new() { Name = title, Exact = true }).ClickAsync();
            var frame = await page.AppFrameAsync($"dashboard-app--frame-{i}-0");
            await frame.WaitForAsync(r => r.Contexts().Any());
            frames.Add(frame);
        }
        var (all, scoped, plain) = (frames[0], frames[1], frames[2]);
        await SubscribeAsync(all, "*");
        await SubscribeAsync(scoped, "*");
        // Subscribing is per type: the contexts go on as before for everyone.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Messages", Exact = true }).ClickAsync();
        await Task.Delay(300);

        var c = $"/api/v1/accounts/{account}/conversations/{conversation}";
        var o = $"/api/v1/accounts/{other}/conversations/{conversation}";
        foreach (var path in new[] { o, c })
        {
            var tag = path == o ? "other" : "here";
            await (await admin.PostAsync($"{path}/messages", HttpAssertions.Json(new { content = $"public-{tag}", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
            await (await admin.PostAsync($"{path}/messages", HttpAssertions.Json(new { content = $"note-{tag}", @private = true }))).ExpectAsync(HttpStatusCode.OK);
            await (await admin.PostAsync($"{path}/toggle_status", HttpAssertions.Json(new { status = "pending" }))).ExpectAsync(HttpStatusCode.OK);
            await (await admin.PostAsync($"{path}/assignments", HttpAssertions.Json(new { assignee_id = adminId }))).ExpectAsync(HttpStatusCode.OK);
            await (await admin.PostAsync($"{path}/labels", HttpAssertions.Json(new { labels = new[] { $"vip-{tag}" } }))).ExpectAsync(HttpStatusCode.OK);
            await (await admin.PostAsync($"{path}/custom_attributes", HttpAssertions.Json(new { custom_attributes = new { order_ref = $"SO-{tag}" } }))).ExpectAsync(HttpStatusCode.OK);
        }
        var first = (await admin.GetAsync($"{c}/messages")).Content;
        var firstId = JsonNode.Parse(await first.ReadAsStringAsync())!["payload"]!.AsArray().First(m => m!["content"]?.GetValue<string>() == "Where is my order?")!["id"]!.GetValue<int>();
        await (await admin.DeleteAsync($"{c}/messages/{firstId}")).ExpectAsync(HttpStatusCode.OK);
        // Only a field Narrow does not see: the e-mail.
        await (await admin.PutAsync($"/api/v1/accounts/{account}/contacts/{contactId}", HttpAssertions.Json(new { email = "maria.new@example.com" }))).ExpectAsync(HttpStatusCode.OK);

        var got = await all.WaitForAsync(r => Events(r, "contact.updated").Any() && Events(r, "message.updated").Any()
                                              && Events(r, "conversation.custom_attributes_changed").Any());
        Assert.Contains(Events(got, "message.created"), e => e["data"]!["content"]?.GetValue<string>() == "public-here" && e["data"]!["conversation_id"]!.GetValue<int>() == conversation);
        Assert.Contains(Events(got, "message.created"), e => e["data"]!["content"]?.GetValue<string>() == "note-here" && e["data"]!["private"]!.GetValue<bool>());
        Assert.Contains(Events(got, "message.updated"), e => e["data"]!["id"]!.GetValue<int>() == firstId);
        Assert.Contains(Events(got, "conversation.status_changed"), e => e["data"]!["status"]!.GetValue<string>() == "pending" && e["data"]!["id"]!.GetValue<int>() == conversation);
        Assert.Contains(Events(got, "conversation.assigned"), e => e["data"]!["meta"]!["assignee"]?["id"]?.GetValue<int>() == adminId);
        Assert.Contains(Events(got, "conversation.labels_changed"), e => e["data"]!["labels"]!.AsArray().Any(l => l!.GetValue<string>() == "vip-here"));
        Assert.Contains(Events(got, "conversation.custom_attributes_changed"), e => e["data"]!["custom_attributes"]!["order_ref"]!.GetValue<string>() == "SO-here");
        Assert.Equal("maria.new@example.com", Events(got, "contact.updated").Last()["data"]!["email"]!.GetValue<string>());
        // The conversation record is the API's: the latest message only, without the dashboard's flags.
        var record = Events(got, "conversation.status_changed").First()["data"]!;
        Assert.True(record["messages"]!.AsArray().Count <= 1);
        Assert.Null(record["dataFetched"]);
        // Nothing of the other account, although its conversation has the same number.
        Assert.DoesNotContain("-other", got.ToJsonString());

        // Narrow: public messages only, no attributes, and no news of a contact field it does not see.
        var narrowGot = await scoped.WaitForAsync(r => Events(r, "message.updated").Any() && Events(r, "conversation.labels_changed").Any());
        await Task.Delay(500);
        narrowGot = await scoped.ReceivedAsync();
        Assert.Contains(Events(narrowGot, "message.created"), e => e["data"]!["content"]?.GetValue<string>() == "public-here");
        Assert.DoesNotContain(Events(narrowGot, "message.created"), e => e["data"]!["private"]!.GetValue<bool>());
        Assert.Empty(Events(narrowGot, "conversation.custom_attributes_changed"));
        Assert.Empty(Events(narrowGot, "contact.updated"));
        var narrowText = narrowGot.ToJsonString();
        Assert.DoesNotContain("note-here", narrowText);
        Assert.DoesNotContain("maria.new@example.com", narrowText);
        Assert.All(Events(narrowGot), e => Assert.Equal("{}", e["data"]!["custom_attributes"]?.ToJsonString() ?? "{}"));
        // Every event and context as the frames got them is valid under the published protocol (/sdk/schema/v1/).
        var schemas = new UniLink.Tests.DashboardApps.Platform.ProtocolSchemas();
        foreach (var e in Events(got).Concat(Events(narrowGot))) schemas.AssertValid("events", e.ToJsonString());
        foreach (var context in got.Concat(narrowGot).Where(r => r?["data"]?["event"]?.GetValue<string>() == "appContext"))
            schemas.AssertValid("context", context!["data"]!.ToJsonString());

        // An app that never subscribed (written for Chatwoot) gets its contexts and nothing else.
        var plainGot = await plain.ReceivedAsync();
        Assert.Empty(Events(plainGot));
        Assert.All(plainGot, r => Assert.Equal("appContext", r!["data"]!["event"]!.GetValue<string>()));

        // The reply box's draft, once typing pauses: a reply to both, a private note only to the app that sees notes.
        var reply = page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        await reply.FillAsync("Hello Maria");
        await all.WaitForAsync(r => Events(r, "reply.draft_changed").Any(e => e["data"]!["content"]!.GetValue<string>() == "Hello Maria"));
        await scoped.WaitForAsync(r => Events(r, "reply.draft_changed").Any(e => e["data"]!["content"]!.GetValue<string>() == "Hello Maria"));
        await page.GetByRole(AriaRole.Radio, new() { Name = "Private note" }).CheckAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Private note" }).FillAsync("secret-draft");
        var draft = await all.WaitForAsync(r => Events(r, "reply.draft_changed").Any(e => e["data"]!["content"]!.GetValue<string>() == "secret-draft"));
        Assert.True(Events(draft, "reply.draft_changed").Last()["data"]!["private"]!.GetValue<bool>());
        Assert.Equal(conversation, Events(draft, "reply.draft_changed").Last()["data"]!["conversation_id"]!.GetValue<int>());
        await Task.Delay(600);
        Assert.DoesNotContain("secret-draft", (await scoped.ReceivedAsync()).ToJsonString());
        // Debounced: typing a word is one event, not one per key.
        var before = Events(await all.ReceivedAsync(), "reply.draft_changed").Count();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Private note" }).PressSequentiallyAsync("abcdef", new() { Delay = 20 });
        await all.WaitForAsync(r => Events(r, "reply.draft_changed").Any(e => e["data"]!["content"]!.GetValue<string>() == "secret-draftabcdef"));
        Assert.InRange(Events(await all.ReceivedAsync(), "reply.draft_changed").Count() - before, 1, 2);

        // Unsubscribing (an empty list) stops the events.
        await SubscribeAsync(all);
        await Task.Delay(200);
        var count = Events(await all.ReceivedAsync()).Count();
        await (await admin.PostAsync($"{c}/messages", HttpAssertions.Json(new { content = "after-unsubscribe", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await scoped.WaitForAsync(r => Events(r, "message.created").Any(e => e["data"]!["content"]?.GetValue<string>() == "after-unsubscribe"));
        await Task.Delay(300);
        Assert.Equal(count, Events(await all.ReceivedAsync()).Count());
        Assert.Empty(errors);
    }
}
