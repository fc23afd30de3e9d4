using System.Net;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.Host;

/// <summary>A real restart of the server under an open dashboard: same address, same data, a new process.</summary>
public sealed class ServerRestartTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private UniLinkServer _server = new();
    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task An_open_conversation_reconnects_after_a_restart_catches_up_and_keeps_the_draft()
    {
        var accountId = _server.AccountId;
        using (var admin = _server.AdminClient())
        {
            var conversation = (await admin.CreateConversationAsync(accountId, "Maria Lopez", "Where is order #1042?"))["id"]!.GetValue<int>();
            var errors = new List<string>();
            var page = await browser.NewPageAsync(_server.BaseAddress, errors);
            await page.SignInAsAdminAsync();
            await page.GotoAsync($"/app/accounts/{accountId}/conversations/{conversation}");
            await page.WaitForInteractiveAsync();
            await page.Locator("textarea[data-draft-ready]").WaitForAsync();
            var reply = page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
            await reply.PressSequentiallyAsync("Half-written");
            await page.EvaluateAsync("() => { window.beforeRestart = true; }");

            var stopped = _server.Stop();
            var banner = page.Locator("#components-reconnect-modal");
            await Expect(banner).ToContainTextAsync("Reconnecting", new() { Timeout = 30_000 });
            await Expect(banner).ToBeVisibleAsync();
            // The banner does not cover the page: the agent goes on typing while the server is away.
            await reply.PressSequentiallyAsync(" answer");

            _server = stopped.StartAgain();
            using var restarted = _server.AdminClient();
            await (await restarted.PostAsync($"/api/v1/accounts/{accountId}/conversations/{conversation}/messages",
                HttpAssertions.Json(new { content = "Sent while you were away", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);

            await Expect(page.Locator(".message.incoming").Last).ToContainTextAsync("Sent while you were away", new() { Timeout = 60_000 });
            await page.WaitForInteractiveAsync();
            await page.Locator("textarea[data-draft-ready]").WaitForAsync();
            await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" })).ToHaveValueAsync("Half-written answer");
            await Expect(banner).ToBeHiddenAsync();
            // The page recovered by reloading itself (the old circuit died with the old server); nobody pressed reload.
            Assert.False(await page.EvaluateAsync<bool>("() => window.beforeRestart === true"));

            // And it is live again.
            await (await restarted.PostAsync($"/api/v1/accounts/{accountId}/conversations/{conversation}/messages",
                HttpAssertions.Json(new { content = "And one more", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
            await Expect(page.Locator(".message.incoming").Last).ToContainTextAsync("And one more", new() { Timeout = 30_000 });
            Assert.Empty(errors);
        }
    }

    [Fact]
    public async Task After_a_lost_connection_comes_back_what_was_typed_meanwhile_is_what_gets_sent()
    {
        using var admin = _server.AdminClient();
        var conversation = (await admin.CreateConversationAsync(_server.AccountId, "Maria Lopez", "Where is order #1042?"))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        // The circuit's WebSocket passes through the test, which can cut it and refuse new ones, as a network outage does.
        var down = false;
        IWebSocketRoute? current = null;
        await page.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/_blazor"), async ws =>
        {
            if (down)
            {
                await ws.CloseAsync();
                return;
            }
            current = ws;
            ws.ConnectToServer();
        });
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{_server.AccountId}/conversations/{conversation}");
        await page.WaitForInteractiveAsync();
        await page.Locator("textarea[data-draft-ready]").WaitForAsync();
        var reply = page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        await reply.PressSequentiallyAsync("Half");
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        down = true;
        await current!.CloseAsync();
        var banner = page.Locator("#components-reconnect-modal");
        await Expect(banner).ToContainTextAsync("Reconnecting", new() { Timeout = 30_000 });
        await reply.PressSequentiallyAsync(" and the rest");
        down = false;
        await Expect(banner).ToBeHiddenAsync(new() { Timeout = 30_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true")); // the same circuit came back, no reload

        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator(".message.outgoing").Last).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Half and the rest"));
        Assert.Contains(_server.Db(db => db.Messages.Select(m => m.Content).ToList()), c => c == "Half and the rest");
    }
}
