using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.Conversations;
using UniLink.Features.Messages;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.DashboardApps.Platform;

/// <summary>
/// The actions of part 4 (assign, set_status, set_priority, send_reply, notify, open_conversation, open_url) from an app
/// on another origin registered by name and URL: each refused without its grant, refused with a reason when malformed
/// or aimed at another account's records, performed with it — with the conversation's activity and the audit log.
/// </summary>
public sealed class AppActionTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    private static async Task<JsonNode> ActAsync(IFrame frame, string id, string action, object payload)
    {
        var request = System.Text.Json.JsonSerializer.Serialize(new { @event = "unilink:action", id, action, payload });
        await frame.EvaluateAsync("r => window.parent.postMessage(r, '*')", request);
        var received = await frame.WaitForAsync(r => r.Any(m => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result" && m["data"]!["id"]?.GetValue<string>() == id));
        return received.Last(m => m?["data"]?["event"]?.GetValue<string>() == "unilink:action-result" && m["data"]!["id"]?.GetValue<string>() == id)!["data"]!;
    }

    private static async Task<int> TeamAsync(HttpClient admin, int account, string name) =>
        (await (await admin.PostAsync($"/api/v1/accounts/{account}/teams", HttpAssertions.Json(new { name }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();

    private static readonly string[] NewActions = ["assign", "set_status", "set_priority", "send_reply", "notify", "open_conversation", "open_url"];

    [Fact]
    public async Task Each_new_action_needs_its_grant_refuses_bad_or_foreign_input_and_is_performed_recorded_and_shown()
    {
        var account = await fx.NewAccountAsync();
        var other = await fx.NewAccountAsync();
        var appId = await fx.AddAppAsync(account, "Ops", fx.Apps.Url("/app?mode=listen"));
        using var admin = fx.Server.AdminClient();
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez", "Please call me"))["id"]!.GetValue<int>();
        var second = (await admin.CreateConversationAsync(account, "Tom Becker", "Second one"))["id"]!.GetValue<int>();
        // Another account the administrator also works in: a third conversation exists only there.
        for (var i = 0; i < 3; i++) await admin.CreateConversationAsync(other, "Elsewhere", "Other account");
        var teamHere = await TeamAsync(admin, account, "Billing");
        var teamThere = await TeamAsync(admin, other, "Theirs");
        var agent = await fx.Server.CreateUserAsync(account, name: "Ana Agent");
        var outsider = await fx.Server.CreateUserAsync(other, name: "Otto Other");
        var adminId = fx.Server.AdminUserId;

        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.OpenConversationAsync(account, conversation);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Ops", Exact = true }).ClickAsync();
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        await frame.WaitForAsync(r => r.Contexts().Any());
        Conversation Current() => fx.Server.Db(db => db.Conversations.AsNoTracking().Single(c => c.AccountId == account && c.DisplayId == conversation));

        // Without a grant: each refused, nothing changes.
        var n = 0;
        foreach (var action in NewActions)
        {
            var refused = await ActAsync(frame, $"d{n++}", action, new { });
            Assert.False(refused["ok"]!.GetValue<bool>());
            Assert.Equal($"The app is not allowed to {action.Replace('_', ' ')}", refused["error"]!.GetValue<string>());
        }
        Assert.Null(Current().AssigneeId);

        await (await admin.PutAsync($"/api/v1/accounts/{account}/dashboard_apps/{appId}/permissions",
            HttpAssertions.Json(new { permissions = NewActions }))).ExpectAsync(HttpStatusCode.OK);

        // Malformed, or aimed at what is not this account's: refused with a reason naming the field; nothing changes.
        (string Action, object Payload, string Reason)[] bad =
        [
            ("assign", new { }, "payload needs assignee_id"),
            ("assign", new { assignee_id = "ana" }, "payload.assignee_id must be"),
            ("assign", new { assignee_id = outsider.Id }, "is not a member of this account"),
            ("assign", new { team_id = teamThere }, "is not a team of this account"),
            ("set_status", new { status = "closed" }, "payload.status must be one of open, pending, resolved, snoozed"),
            ("set_status", new { status = "open", snoozed_until = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds() }, "applies only to the status snoozed"),
            ("set_status", new { status = "snoozed", snoozed_until = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds() }, "must be in the future"),
            ("set_priority", new { priority = "extreme" }, "payload.priority must be one of low, medium, high, urgent"),
            ("send_reply", new { content = "   " }, "payload.content must be"),
            ("notify", new { message = "Hi", level = "loud" }, "payload.level must be one of info, success, warning, error"),
            ("notify", new { message = new string('x', 501) }, "payload.message must be"),
            ("open_conversation", new { conversation_id = 3 }, "There is no conversation 3 you can open"),
            ("open_conversation", new { conversation_id = "2" }, "payload.conversation_id must be"),
            ("open_url", new { url = "javascript:alert(1)" }, "payload.url must be an absolute http:// or https:// URL"),
            ("open_url", new { url = "https://user:pw@example.com/" }, "without credentials"),
        ];
        foreach (var (action, payload, reason) in bad)
        {
            var refused = await ActAsync(frame, $"b{n++}", action, payload);
            Assert.False(refused["ok"]!.GetValue<bool>(), $"{action} {System.Text.Json.JsonSerializer.Serialize(payload)}");
            Assert.Contains(reason, refused["error"]!.GetValue<string>());
        }
        var unchanged = Current();
        Assert.Equal((null, null, ConversationStatus.Open, null), (unchanged.AssigneeId, unchanged.TeamId, unchanged.Status, unchanged.Priority));

        // Performed.
        async Task OkAsync(string action, object payload)
        {
            var done = await ActAsync(frame, $"p{n++}", action, payload);
            Assert.True(done["ok"]!.GetValue<bool>(), $"{action}: {done.ToJsonString()}");
        }
        await OkAsync("assign", new { assignee_id = agent.Id, team_id = teamHere });
        await OkAsync("set_priority", new { priority = "urgent" });
        var until = DateTimeOffset.UtcNow.AddDays(2).ToUnixTimeSeconds();
        await OkAsync("set_status", new { status = "snoozed", snoozed_until = until });
        var changed = Current();
        Assert.Equal((agent.Id, teamHere, ConversationStatus.Snoozed, "urgent"), (changed.AssigneeId, changed.TeamId, changed.Status, changed.Priority));
        Assert.Equal(until, new DateTimeOffset(DateTime.SpecifyKind(changed.SnoozedUntil!.Value, DateTimeKind.Utc)).ToUnixTimeSeconds());
        await OkAsync("set_status", new { status = "resolved" });
        await OkAsync("assign", new { assignee_id = (int?)null });
        Assert.Equal((null, teamHere, ConversationStatus.Resolved), (Current().AssigneeId, Current().TeamId, Current().Status));

        await OkAsync("send_reply", new { content = "We will call you at 3 pm." });
        var sent = fx.Server.Db(db => db.Messages.AsNoTracking().Single(m => m.AccountId == account && m.Content == "We will call you at 3 pm."));
        Assert.Equal((MessageType.Outgoing, false, adminId), (sent.MessageType, sent.Private, sent.SenderId));

        // Each performed change left its activity naming the app, as the dashboard shows it.
        var activities = fx.Server.Db(db => db.Messages.AsNoTracking()
            .Where(m => m.AccountId == account && m.MessageType == MessageType.Activity).Select(m => m.Content!).ToList());
        var log = string.Join(" | ", activities);
        Assert.True(activities.Any(a => a.Contains("Ana Agent") && a.Contains("Ops (app)")), log);
        Assert.True(activities.Any(a => a.Contains("Assigned to billing by Ops (app)")), log);
        Assert.Contains(activities, a => a.Contains("urgent") && a.Contains("Ops (app)"));
        Assert.Contains(activities, a => a.Contains("snoozed") && a.Contains("Ops (app)"));
        Assert.Contains(activities, a => a.Contains("resolved") && a.Contains("Ops (app)"));
        Assert.Contains(activities, a => a == "Ops (app) sent a reply for Admin" || a.StartsWith("Ops (app) sent a reply for "));

        // notify: a toast naming the app.
        await OkAsync("notify", new { message = "Order #1042 refunded", level = "success" });
        var toast = page.GetByRole(AriaRole.List, new() { Name = "Notifications from apps" }).Locator("li");
        await Expect(toast).ToContainTextAsync("Ops");
        await Expect(toast).ToContainTextAsync("Order #1042 refunded");
        await toast.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).ClickAsync();
        await Expect(toast).ToHaveCountAsync(0);

        // open_url: a new tab, the dashboard stays where it is.
        var dashboardUrl = page.Url;
        var popup = await page.Context.RunAndWaitForPageAsync(() => OkAsync("open_url", new { url = fx.Elsewhere.Url("/away?from=app") }));
        await popup.WaitForLoadStateAsync();
        Assert.Equal(fx.Elsewhere.Url("/away?from=app"), popup.Url);
        Assert.Null(await popup.EvaluateAsync<object?>("() => window.opener"));
        Assert.Equal(dashboardUrl, page.Url);
        await popup.CloseAsync();

        // open_conversation: the dashboard opens it.
        // (the app's frame goes with the conversation it belonged to: only a keep-alive app would read its result)
        await frame.EvaluateAsync("r => window.parent.postMessage(r, '*')",
            System.Text.Json.JsonSerializer.Serialize(new { @event = "unilink:action", id = "open", action = "open_conversation", payload = new { conversation_id = second } }));
        await page.WaitForAddressAsync(url => url.Contains($"/app/accounts/{account}/conversations/{second}"));
        await Expect(page.Locator(".conversation-header h1")).ToContainTextAsync("Tom Becker");

        // The audit log: every refusal and every performed action, with the app and the conversation.
        var audit = fx.Server.Db(db => db.AppAuditLog.AsNoTracking().Where(e => e.AppId == appId).Select(e => new { e.Event, e.Outcome, e.ConversationId }).ToList());
        Assert.Equal(NewActions.Length + bad.Length, audit.Count(e => e.Event == "action_refused"));
        Assert.Equal(9, audit.Count(e => e.Event == "action_performed"));
        Assert.All(audit.Where(e => e.Event.StartsWith("action_")), e => Assert.Equal(conversation, e.ConversationId));
        Assert.Empty(errors);
    }
}
