using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Attachments.TestFiles;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Webhooks;

/// <summary>
/// Messages with files reach every kind of receiver (account webhook, API inbox webhook_url, agent bot) with the
/// reference's <c>attachments</c> array, and the receiver can download each file from its <c>data_url</c> without any
/// credential of its own.
/// </summary>
public sealed class WebhookAttachmentTests(WebhookServer shared) : WebhookTests(shared)
{
    private static readonly string[] AttachmentFields =
        ["account_id", "data_url", "extension", "file_size", "file_type", "height", "id", "message_id", "thumb_url", "width"];

    /// <summary>What a receiver does with a payload: reads each attachment and downloads it as an outsider.</summary>
    private async Task ExpectFilesAsync(JsonObject payload, int messageId, params (string Extension, string FileType, byte[] Bytes)[] expected)
    {
        var attachments = payload["attachments"]!.AsArray();
        Assert.Equal(expected.Length, attachments.Count);
        using var outsider = new HttpClient(); // no cookie, no token: only the signed link
        for (var i = 0; i < expected.Length; i++)
        {
            var a = attachments[i]!.AsObject();
            Assert.Equal(AttachmentFields, a.Select(p => p.Key).Order(StringComparer.Ordinal));
            Assert.Equal(messageId, a["message_id"]!.GetValue<int>());
            Assert.Equal(_account, a["account_id"]!.GetValue<int>());
            Assert.Equal(expected[i].Extension, a["extension"]!.GetValue<string>());
            Assert.Equal(expected[i].FileType, a["file_type"]!.GetValue<string>());
            Assert.Equal(expected[i].Bytes.Length, a["file_size"]!.GetValue<long>());
            var downloaded = await outsider.GetAsync(a["data_url"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, downloaded.StatusCode);
            Assert.Equal(expected[i].Bytes, await downloaded.Content.ReadAsByteArrayAsync());
            if (expected[i].FileType == "image")
            {
                Assert.Equal(640, a["width"]!.GetValue<int>());
                Assert.Equal(480, a["height"]!.GetValue<int>());
                var thumb = await outsider.GetAsync(a["thumb_url"]!.GetValue<string>());
                Assert.Equal(HttpStatusCode.OK, thumb.StatusCode);
                Assert.StartsWith("image/", thumb.Content.Headers.ContentType!.MediaType);
            }
            else
            {
                Assert.Null(a["width"]);
                Assert.Equal("", a["thumb_url"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task Messages_with_files_reach_the_webhook_the_api_inbox_and_the_bot_with_downloadable_attachments()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var inboxHook = await WebhookReceiver.StartAsync("/inbox");
        await using var botHook = await WebhookReceiver.StartAsync("/bot");
        await (await _admin.PostAsync(P("webhooks"), Json(new { webhook = new { url = hook.Url, subscriptions = new[] { "message_created" } } })))
            .ExpectAsync(HttpStatusCode.OK);
        var inbox = await (await _admin.PostAsync(P("inboxes"), Json(new { name = "Files API", channel = new { type = "api", webhook_url = inboxHook.Url } })))
            .ExpectAsync(HttpStatusCode.OK);
        var bot = await (await _admin.PostAsync(P("agent_bots"), Json(new { name = "File bot", outgoing_url = botHook.Url }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"inboxes/{inbox!["id"]}/set_agent_bot"), Json(new { agent_bot = bot!["id"]!.GetValue<int>() })))
            .ExpectAsync(HttpStatusCode.OK);

        // A customer sends a photo and a PDF through the public API (as a WhatsApp bridge does).
        var identifier = inbox["inbox_identifier"]!.GetValue<string>();
        using var anonymous = _server.Client();
        var contact = await (await anonymous.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts", Json(new { name = "Customer" }))).ExpectAsync(HttpStatusCode.OK);
        var source = contact!["source_id"]!.GetValue<string>();
        var conversation = (await (await anonymous.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts/{source}/conversations", Json(new { })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var photo = Png(640, 480);
        var receipt = Bytes(20_000, 11);
        var incoming = await (await anonymous.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts/{source}/conversations/{conversation}/messages",
            Form([("content", "The parcel arrived broken")], ("parcel.png", photo, "image/png"), ("receipt.pdf", receipt, "application/pdf"))))
            .ExpectAsync(HttpStatusCode.OK);
        var incomingId = incoming!["id"]!.GetValue<int>();

        // An agent answers with a photo and a file through the API.
        var label = Png(640, 480);
        var form = Bytes(9_000, 12);
        var reply = await (await _admin.PostAsync(P($"conversations/{conversation}/messages"),
            Form([("content", "Here is the return label"), ("message_type", "outgoing")], ("label.png", label, "image/png"), ("return.zip", form, "application/zip"))))
            .ExpectAsync(HttpStatusCode.OK);
        var replyId = reply!["id"]!.GetValue<int>();

        static bool Has(IReadOnlyList<ReceivedRequest> got, int id) => got.Any(r => r.Event == "message_created" && r.Json["id"]!.GetValue<int>() == id);
        static JsonObject Of(IReadOnlyList<ReceivedRequest> got, int id) => got.Single(r => r.Event == "message_created" && r.Json["id"]!.GetValue<int>() == id).Json;

        var atHook = await hook.WaitForAsync(r => Has(r, incomingId) && Has(r, replyId));
        var atInbox = await inboxHook.WaitForAsync(r => Has(r, incomingId) && Has(r, replyId));
        var atBot = await botHook.WaitForAsync(r => Has(r, incomingId)); // the conversation is pending: the bot's

        (string, string, byte[])[] incomingFiles = [("png", "image", photo), ("pdf", "file", receipt)];
        (string, string, byte[])[] replyFiles = [("png", "image", label), ("zip", "file", form)];
        foreach (var got in new[] { atHook, atInbox })
        {
            await ExpectFilesAsync(Of(got, incomingId), incomingId, incomingFiles);
            await ExpectFilesAsync(Of(got, replyId), replyId, replyFiles);
        }
        await ExpectFilesAsync(Of(atBot, incomingId), incomingId, incomingFiles);

        // The conversation inside the payload shows its last message as the API does, files included.
        var last = Of(atHook, replyId)["conversation"]!["messages"]!.AsArray().Last()!.AsObject();
        Assert.Equal(replyId, last["id"]!.GetValue<int>());
        Assert.Equal(2, last["attachments"]!.AsArray().Count);

        // A message without files has no attachments key, as the reference.
        var plain = (await (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "Anything else?" })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        Assert.Null(Of(await hook.WaitForAsync(r => Has(r, plain)), plain)["attachments"]);
    }

    /// <summary>
    /// With the files in an S3-compatible bucket, and links that expire after a second in the API: the payload's links are
    /// made to outlive the delivery's retries, so the receiver still downloads the bytes after the API's links have expired.
    /// </summary>
    [Fact]
    public async Task Files_in_the_bucket_are_downloadable_from_the_payload_after_the_api_links_expire()
    {
        var s3 = Environment.GetEnvironmentVariable("UNILINK_TEST_S3") is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException("UNILINK_TEST_S3 is not set: run the tests through ./test, which starts s3rver");
        using var server = new UniLinkServer(new Dictionary<string, string?>(WebhookServer.Settings)
        {
            ["UNILINK_S3_URL"] = s3, ["UNILINK_FILE_URL_SECONDS"] = "1",
        });
        using var admin = server.AdminClient();
        var account = server.AccountId;
        await using var hook = await WebhookReceiver.StartAsync();
        await (await admin.PostAsync($"/api/v1/accounts/{account}/webhooks", Json(new { url = hook.Url, subscriptions = new[] { "message_created" } })))
            .ExpectAsync(HttpStatusCode.OK);
        var conversation = (await admin.CreateConversationAsync(account))["id"]!.GetValue<int>();
        var photo = Png(640, 480);
        var manual = Bytes(300_000, 5);
        var sent = await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages",
            Form([("content", "From the bucket")], ("photo.png", photo, "image/png"), ("manual.pdf", manual, "application/pdf")))).ExpectAsync(HttpStatusCode.OK);
        Assert.False(Directory.Exists(Path.Combine(server.DataDir, "attachments")), "the files went to the bucket");
        var id = sent!["id"]!.GetValue<int>();
        var got = (await hook.WaitForAsync(r => r.Any(x => x.Json["id"]?.GetValue<int>() == id))).Single(x => x.Json["id"]?.GetValue<int>() == id);

        await Task.Delay(2500);
        using var outsider = new HttpClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync(sent["attachments"]![0]!["data_url"]!.GetValue<string>())).StatusCode);
        var attachments = got.Json["attachments"]!.AsArray();
        Assert.Equal(photo, await outsider.GetByteArrayAsync(attachments[0]!["data_url"]!.GetValue<string>()));
        Assert.Equal(manual, await outsider.GetByteArrayAsync(attachments[1]!["data_url"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await outsider.GetAsync(attachments[0]!["thumb_url"]!.GetValue<string>())).StatusCode);
    }
}
