using System.Net;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static UniLink.Tests.Attachments.TestFiles;

namespace UniLink.BrowserTests.Attachments;

/// <summary>Files in the reply box (paperclip, drop, paste) and in the messages pane.</summary>
public sealed class AttachmentsDashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly UniLinkServer _server = new();
    public void Dispose() => _server.Dispose();

    private async Task<(IPage Page, int Conversation, List<string> Errors)> OpenConversationAsync()
    {
        using var admin = _server.AdminClient();
        var conversation = (await admin.CreateConversationAsync(_server.AccountId, "Maria Lopez", "The parcel arrived broken"))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{_server.AccountId}/conversations/{conversation}");
        await page.WaitForInteractiveAsync();
        await page.Locator("textarea[data-draft-ready]").WaitForAsync();
        return (page, conversation, errors);
    }

    /// <summary>Dispatches a drop of one file on the conversation, or a paste of it into the reply box, as the browser would.</summary>
    private static Task DropOrPasteAsync(IPage page, string how, string name, string type, byte[] bytes) => page.EvaluateAsync("""
        ([how, name, type, base64]) => {
            const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
            const data = new DataTransfer();
            data.items.add(new File([bytes], name, { type }));
            if (how === 'drop') {
                const zone = document.querySelector('.conversation-main');
                zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
                zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
            } else {
                document.querySelector('.reply-box textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
            }
        }
        """, new object[] { how, name, type, Convert.ToBase64String(bytes) });

    [Fact]
    public async Task An_agent_attaches_by_button_drop_and_paste_removes_one_and_sends_the_rest_with_the_text()
    {
        var (page, conversation, errors) = await OpenConversationAsync();
        var photo = Png(600, 400);
        var pdf = Bytes(150_000);
        await page.GetByLabel("Attach files").SetInputFilesAsync(new[]
        {
            new FilePayload { Name = "photo.png", MimeType = "image/png", Buffer = photo },
            new FilePayload { Name = "wrong.txt", MimeType = "text/plain", Buffer = "oops"u8.ToArray() },
        });
        await DropOrPasteAsync(page, "drop", "label.pdf", "application/pdf", pdf);
        await DropOrPasteAsync(page, "paste", "image.png", "image/png", Png(320, 200));
        var pending = page.GetByRole(AriaRole.List, new() { Name = "Files to send" }).Locator("li");
        await Expect(pending).ToHaveCountAsync(4);
        await Expect(pending.Nth(1)).ToContainTextAsync("wrong.txt");
        await Expect(pending.Nth(2)).ToContainTextAsync("146.5 KB");
        await Expect(pending.Nth(3)).ToContainTextAsync("screenshot-");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove wrong.txt" }).ClickAsync();
        await Expect(pending).ToHaveCountAsync(3);

        await page.Locator(".reply-box textarea").FillAsync("Here are the photos and the label");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        var message = page.Locator(".message.outgoing").Last;
        await Expect(message.Locator(".content")).ToHaveTextAsync("Here are the photos and the label");
        await Expect(message.Locator(".attachment-image img")).ToHaveCountAsync(2);
        await Expect(pending).ToHaveCountAsync(0);
        // The thumbnail, made once at upload, is what the pane shows; a click opens the full image.
        var thumb = message.Locator(".attachment-image img").First;
        await Expect(thumb).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("/thumb/"));
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await thumb.ElementHandleAsync());
        Assert.Equal(250, await thumb.EvaluateAsync<int>("img => img.naturalWidth"));
        var full = await page.Context.RunAndWaitForPageAsync(() => thumb.ClickAsync());
        await full.WaitForLoadStateAsync();
        Assert.Contains("/file/photo.png", full.Url);
        Assert.Equal(photo, await (await full.APIRequest.GetAsync(full.Url)).BodyAsync());
        await full.CloseAsync();

        // Other files are a card with name, size and a download.
        var card = message.Locator(".attachment-file");
        await Expect(card).ToContainTextAsync("label.pdf");
        await Expect(card).ToContainTextAsync("146.5 KB");
        var download = await page.RunAndWaitForDownloadAsync(() => card.ClickAsync());
        Assert.Equal("label.pdf", download.SuggestedFilename);
        Assert.Equal(pdf, await System.IO.File.ReadAllBytesAsync((await download.PathAsync())!));

        var stored = _server.Db(db => db.Attachments.Where(a => db.Messages.Any(m => m.Id == a.MessageId && m.Content == "Here are the photos and the label"))
            .OrderBy(a => a.Id).Select(a => a.FileName).ToList());
        Assert.Equal("photo.png", stored[0]);
        Assert.Equal("label.pdf", stored[1]);
        Assert.StartsWith("screenshot-", stored[2]);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_private_note_carries_files_and_a_refused_file_keeps_the_draft()
    {
        var (page, _, errors) = await OpenConversationAsync();
        await page.GetByText("Private note").First.ClickAsync();
        await page.GetByLabel("Attach files").SetInputFilesAsync(new FilePayload { Name = "broken.png", MimeType = "image/png", Buffer = Bytes(100) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(page.Locator(".reply-box .error")).ToHaveTextAsync("Attachment 'broken.png' is not a readable image (image/png)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove broken.png" }).ClickAsync();

        await page.GetByLabel("Attach files").SetInputFilesAsync(new FilePayload { Name = "refund.csv", MimeType = "text/csv", Buffer = "order,amount\n1042,20"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        var note = page.Locator(".message.private-note").Last;
        await Expect(note.Locator(".attachment-file")).ToContainTextAsync("refund.csv");
        Assert.True(_server.Db(db => db.Messages.Single(m => db.Attachments.Any(a => a.MessageId == m.Id && a.FileName == "refund.csv")).Private));
        Assert.DoesNotContain(errors, e => !e.Contains("422")); // at most the refused upload's response, as the browser may log it
    }

    [Fact]
    public async Task An_html_file_opened_from_the_dashboard_is_downloaded_and_never_runs()
    {
        var (page, conversation, _) = await OpenConversationAsync();
        using var admin = _server.AdminClient();
        var form = Form([("content", "see attached")], ("invoice.html", "<script>localStorage.setItem('ran', '1'); document.title = 'ran'</script>"u8.ToArray(), "text/html"),
            ("logo.svg", "<svg xmlns='http://www.w3.org/2000/svg' onload=\"localStorage.setItem('ran', 'svg')\"/>"u8.ToArray(), "image/svg+xml"));
        await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/conversations/{conversation}/messages", form)).ExpectAsync(HttpStatusCode.OK);
        var cards = page.Locator(".message").Last.Locator(".attachment-file");
        await Expect(cards).ToHaveCountAsync(2);
        foreach (var name in new[] { "invoice.html", "logo.svg" })
        {
            var card = cards.Filter(new() { HasText = name });
            var download = await page.RunAndWaitForDownloadAsync(() => card.ClickAsync());
            Assert.Equal(name, download.SuggestedFilename);
            // Opened directly in a tab, it is still a download, not a page of this origin.
            var href = await card.GetAttributeAsync("href");
            var tab = await page.Context.NewPageAsync();
            var direct = await tab.RunAndWaitForDownloadAsync(async () =>
            {
                try { await tab.GotoAsync(_server.BaseAddress + href!.TrimStart('/')); }
                catch (PlaywrightException e) when (e.Message.Contains("Download is starting")) { }
            });
            Assert.Equal(name, direct.SuggestedFilename);
            await tab.CloseAsync();
        }
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('ran')"));
        Assert.NotEqual("ran", await page.TitleAsync());
    }
}
