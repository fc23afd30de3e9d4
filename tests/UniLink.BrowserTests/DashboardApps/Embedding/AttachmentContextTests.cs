using System.Net;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Attachments.TestFiles;

namespace UniLink.BrowserTests.DashboardApps.Embedding;

/// <summary>An app on another origin gets a message's attachments in its context, and can show them through the signed link.</summary>
public sealed class AttachmentContextTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    [Fact]
    public async Task An_app_receives_the_attachment_in_its_context_and_shows_the_image_without_a_session()
    {
        var account = await fx.NewAccountAsync();
        await fx.AddAppAsync(account, "CRM", fx.Apps.Url("/app?mode=listen"));
        using var admin = fx.Server.AdminClient();
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez", "Where is order #1042?"))["id"]!.GetValue<int>();
        await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages",
            Form([("content", "photo"), ("message_type", "incoming")], ("damage.png", Png(600, 400), "image/png")))).ExpectAsync(HttpStatusCode.OK);
        var errors = new List<string>();
        var page = await fx.SignedInPageAsync(errors);
        await page.OpenConversationAsync(account, conversation);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Tab, new() { Name = "CRM" }).ClickAsync();
        var frame = await page.AppFrameAsync("dashboard-app--frame-0-0");
        var received = await frame.WaitForAsync(r => r.Contexts().Any());
        var attachment = received.Contexts().Last()["conversation"]!["messages"]!.AsArray()[^1]!["attachments"]!.AsArray().Single()!;
        Assert.Equal("image", attachment["file_type"]!.GetValue<string>());
        Assert.Equal("png", attachment["extension"]!.GetValue<string>());
        Assert.Equal(600, attachment["width"]!.GetValue<int>());
        Assert.Equal(account, attachment["account_id"]!.GetValue<int>());
        // The app's origin has no UniLink session: the signed data_url alone shows the image.
        var width = await frame.EvaluateAsync<int>("""
            url => new Promise((resolve, reject) => { const img = new Image(); img.onload = () => resolve(img.naturalWidth); img.onerror = reject; img.src = url; })
            """, attachment["data_url"]!.GetValue<string>());
        Assert.Equal(600, width);
        Assert.Empty(errors);
    }
}
