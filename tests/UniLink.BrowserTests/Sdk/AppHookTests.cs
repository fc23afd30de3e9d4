using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.Conversations;
using UniLink.Features.DashboardApps;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.Sdk;

/// <summary>
/// Hooks (before_send, before_resolve) in apps on other origins, registered by name and URL and granted in their
/// settings: the card-number example of the docs, two apps answering differently (the strictest wins), an app that does
/// not answer (both outcomes the administrator can choose), another account untouched.
/// </summary>
public sealed class AppHookTests(SdkFixture fx) : IClassFixture<SdkFixture>
{
    private async Task<int> AddAppAsync(int account, string title, string url) =>
        await fx.Server.DbAsync(async db =>
        {
            var now = UnixTime.Now();
            var app = new DashboardApp
            {
                AccountId = account, Title = title, CreatedAt = now, UpdatedAt = now,
                Content = JsonSerializer.Serialize(new[] { new { type = "frame", url } }),
            };
            db.DashboardApps.Add(app);
            await db.SaveChangesAsync();
            return app.Id;
        });

    private static async Task SettingsAsync(HttpClient admin, int account, int app, object settings) =>
        await (await admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{app}/settings", HttpAssertions.Json(settings))).ExpectAsync(HttpStatusCode.OK);

    /// <summary>The frame of an SDK page once its module has connected (hooked apps load at once, even in a closed tab).</summary>
    private static async Task<IFrame> ConnectedAsync(IPage page, string id)
    {
        var iframe = page.Locator($"#{id}");
        await Expect(iframe).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^https?://"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var frame = await (await iframe.ElementHandleAsync()).ContentFrameAsync();
            try
            {
                if (frame is not null && !frame.Url.StartsWith("about:") && await frame.EvaluateAsync<bool>("() => !!window.app")) return frame;
            }
            catch (PlaywrightException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{id} did not connect");
            await Task.Delay(50);
        }
    }

    private List<string> Outgoing(int account) => fx.Server.Db(db => db.Messages.AsNoTracking()
        .Where(m => m.AccountId == account && m.MessageType == MessageType.Outgoing).OrderBy(m => m.Id).Select(m => m.Content!).ToList());

    private async Task<int> NewAccountAsync() => await fx.Server.CreateAccountAsync("Hooks " + Guid.NewGuid().ToString("N")[..6],
        fx.Server.AdminUserId);

    [Fact]
    public async Task The_card_guard_blocks_a_card_number_another_app_replaces_the_text_the_strictest_wins_and_the_agent_sends_again()
    {
        var account = await NewAccountAsync();
        var other = await NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        var guard = await AddAppAsync(account, "Card guard", fx.Apps.Url($"/card-guard?sdk={Uri.EscapeDataString(fx.UniLinkOrigin)}"));
        var signature = await AddAppAsync(account, "Signature", fx.Host.Url($"/sdk-app?sdk={Uri.EscapeDataString(fx.UniLinkOrigin)}"));
        // Granted in each app's settings, as an administrator does in its dialog.
        await SettingsAsync(admin, account, guard, new { permissions = new[] { "before_send" } });
        await SettingsAsync(admin, account, signature, new { permissions = new[] { "before_send" } });
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez", "Can I pay by phone?"))["id"]!.GetValue<int>();
        var elsewhere = (await admin.CreateConversationAsync(other, "Tom Becker", "Other account"))["id"]!.GetValue<int>();
        Assert.Equal(conversation, elsewhere);

        var errors = new List<string>();
        var page = await fx.Browser.NewPageAsync(fx.Server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.OpenConversationAsync(account, conversation);
        // Neither tab was opened: the hooked apps are loaded anyway, hidden.
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Messages" })).ToHaveAttributeAsync("aria-selected", "true");
        await ConnectedAsync(page, "dashboard-app--frame-0-0");
        var signatureFrame = await ConnectedAsync(page, "dashboard-app--frame-1-0");
        await signatureFrame.EvaluateAsync("""
            () => window.app.onHook('before_send', data => {
              window.hooked = data;
              return new Promise(resolve => setTimeout(() => resolve({ outcome: 'replace', text: data.draft + '\n— Sent with care' }), 150));
            })
            """);

        var reply = page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Send" });
        await reply.FillAsync("Sure, read me your card: 4111 1111 1111 1111");
        await send.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not sent. Card guard blocked it: the reply contains a card number; never ask for or repeat one");
        await Expect(reply).ToHaveValueAsync("Sure, read me your card: 4111 1111 1111 1111");
        Assert.Empty(Outgoing(account));
        // What the second app was asked: the draft, whether it is a note, and the conversation as the API shows it.
        var asked = JsonNode.Parse(await signatureFrame.EvaluateAsync<string>("() => JSON.stringify(window.hooked)"))!;
        Assert.Equal("Sure, read me your card: 4111 1111 1111 1111", asked["draft"]!.GetValue<string>());
        Assert.False(asked["private"]!.GetValue<bool>());
        Assert.Equal(conversation, asked["conversation"]!["id"]!.GetValue<int>());

        // The agent edits and sends again: the guard allows, the other app's replacement is what goes out.
        await reply.FillAsync("Please pay with the link I sent you.");
        await send.ClickAsync();
        await Expect(reply).ToHaveValueAsync("");
        Assert.Equal(["Please pay with the link I sent you.\n— Sent with care"], Outgoing(account));
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

        // Recorded: the block and the replacement, each with its app.
        var audit = fx.Server.Db(db => db.AppAuditLog.AsNoTracking().Where(e => e.AccountId == account && e.Event == "hook_answered")
            .OrderBy(e => e.Id).Select(e => new { e.AppId, e.Outcome, e.Request, e.ConversationId }).ToList());
        Assert.Equal(2, audit.Count);
        Assert.Equal((guard, "before_send", conversation), (audit[0].AppId, audit[0].Request, audit[0].ConversationId));
        Assert.StartsWith("blocked: the reply contains a card number", audit[0].Outcome);
        Assert.Equal((signature, "replaced the text"), (audit[1].AppId, audit[1].Outcome));

        // The other account (same conversation number, the same administrator) has none of these apps: nothing is held.
        await page.OpenConversationAsync(other, elsewhere);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("Card 4111 1111 1111 1111 noted");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" })).ToHaveValueAsync("");
        Assert.Equal(["Card 4111 1111 1111 1111 noted"], Outgoing(other));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_app_that_does_not_answer_in_time_lets_the_reply_go_or_blocks_it_and_the_resolve_as_the_administrator_chose()
    {
        var account = await NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        var silent = await AddAppAsync(account, "Silent", fx.Apps.Url("/app?mode=listen"));
        // Bad values are refused naming the field, and nothing is saved.
        var bad = await admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{silent}/settings",
            HttpAssertions.Json(new { permissions = new[] { "before_send" }, hook_timeout_ms = 50 }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("hook_timeout_ms", await bad.Content.ReadAsStringAsync());
        var badOutcome = await admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{silent}/settings",
            HttpAssertions.Json(new { hook_timeout_outcome = "shrug" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badOutcome.StatusCode);
        Assert.Contains("hook_timeout_outcome", await badOutcome.Content.ReadAsStringAsync());
        Assert.Equal("", fx.Server.Db(db => db.DashboardApps.Single(a => a.Id == silent).Permissions));

        await SettingsAsync(admin, account, silent, new { permissions = new[] { "before_send", "before_resolve" }, hook_timeout_ms = 400 });
        var read = (await (await admin.GetAsync($"/api/v1/accounts/{account}/dashboard_apps/{silent}/settings")).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal((400, "send"), (read["hook_timeout_ms"]!.GetValue<int>(), read["hook_timeout_outcome"]!.GetValue<string>()));
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez", "Hello?"))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await fx.Browser.NewPageAsync(fx.Server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.OpenConversationAsync(account, conversation);
        // The tab was never opened: the app with a hook is loaded anyway, hidden.
        await Expect(page.Locator("#dashboard-app--frame-0-0")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^https?://"));
        await Expect(page.FrameLocator("#dashboard-app--frame-0-0").Locator("h1")).ToHaveTextAsync("Test app (listen)");

        // Send anyway (the default): the reply goes once the time limit has passed.
        var reply = page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        await reply.FillAsync("First answer");
        var started = DateTime.UtcNow;
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(reply).ToHaveValueAsync("");
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(400), "sent before the time limit passed");
        Assert.Equal(["First answer"], Outgoing(account));

        // Block: nothing goes, and the agent reads which app and why.
        await SettingsAsync(admin, account, silent, new { hook_timeout_outcome = "block" });
        await page.WaitForTimeoutAsync(500); // the open page follows the change live
        await reply.FillAsync("Second answer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not sent. Silent blocked it: it did not answer within 0.4 s");
        await Expect(reply).ToHaveValueAsync("Second answer");
        Assert.Equal(["First answer"], Outgoing(account));

        // before_resolve the same way: the conversation stays open.
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(page.GetByText("Not resolved. Silent blocked it: it did not answer within 0.4 s")).ToBeVisibleAsync();
        Assert.Equal(ConversationStatus.Open, fx.Server.Db(db => db.Conversations.Single(c => c.AccountId == account && c.DisplayId == conversation).Status));

        // Send anyway again: resolving goes through after the time limit.
        await SettingsAsync(admin, account, silent, new { hook_timeout_outcome = "send" });
        await page.WaitForTimeoutAsync(500);
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(page.Locator(".status-badge")).ToHaveAttributeAsync("data-status", "resolved");
        Assert.Equal(2, fx.Server.Db(db => db.AppAuditLog.Count(e => e.AppId == silent && e.Event == "hook_answered" && e.Outcome!.StartsWith("blocked: it did not answer"))));
        Assert.Empty(errors);
    }
}
