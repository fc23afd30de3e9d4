using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;
using static UniLink.Tests.Attachments.TestFiles;

namespace UniLink.Tests.Attachments;

public sealed class AttachmentsApiTests(SharedServer server) : AdminApiTests(server)
{
    private static readonly string[] AttachmentFields =
        ["account_id", "data_url", "extension", "file_size", "file_type", "height", "id", "message_id", "thumb_url", "width"];

    private static List<string> Keys(JsonNode node) => node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    private async Task<int> ConversationAsync() => (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();

    private int StoredFiles() => Directory.Exists(Path.Combine(_server.DataDir, "attachments"))
        ? Directory.EnumerateFiles(Path.Combine(_server.DataDir, "attachments"), "*", SearchOption.AllDirectories).Count() : 0;

    private int MessageCount(int conversation) =>
        _server.Db(db => db.Messages.Count(m => db.Conversations.Any(c => c.Id == m.ConversationId && c.DisplayId == conversation && c.AccountId == _account)));

    [Fact]
    public async Task A_plain_text_message_sent_as_multipart_is_the_same_as_its_json_form()
    {
        var id = await ConversationAsync();
        var json = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new
        {
            content = "Same either way", message_type = "outgoing", @private = false, content_type = "text", content_attributes = new { in_reply_to = 3 },
        }))).ExpectAsync(HttpStatusCode.OK);
        // The form a generated JavaScript client of the reference's API sends for every message: objects as JSON text, booleans as text.
        var form = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form(
            [("content", "Same either way"), ("message_type", "outgoing"), ("private", "false"), ("content_type", "text"),
             ("content_attributes", """{"in_reply_to":3}""")]))).ExpectAsync(HttpStatusCode.OK);
        foreach (var field in new[] { "id", "created_at" }) { json!.AsObject().Remove(field); form!.AsObject().Remove(field); }
        Assert.Equal(json!.ToJsonString(), form!.ToJsonString());
        Assert.Null(form["attachments"]);

        var note = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([("content", "Private note"), ("private", "true")])))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.True(note!["private"]!.GetValue<bool>());
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([("content_attributes", "{not json"), ("content", "x")])))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Content attributes must be an object","attributes":["content_attributes"]}""");
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([("private", "false")])))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Content can't be blank","attributes":["content"]}""");
    }

    [Fact]
    public async Task Several_files_are_stored_with_their_message_and_classified_as_the_reference_does()
    {
        var id = await ConversationAsync();
        var png = Png(600, 400);
        var pdf = Bytes(3000);
        var mp3 = Bytes(2000, 2);
        var mp4 = Bytes(1000, 3);
        var message = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([("content", "Photos of the parcel")],
            ("parcel.PNG", png, "image/png"), ("invoice.pdf", pdf, "application/pdf"), ("voice.mp3", mp3, "audio/mpeg"), ("clip.mp4", mp4, "video/mp4"))))
            .ExpectAsync(HttpStatusCode.OK);
        var attachments = message!["attachments"]!.AsArray();
        Assert.Equal(4, attachments.Count);
        Assert.All(attachments, a => Assert.Equal(AttachmentFields, Keys(a!)));
        Assert.Equal(["image", "file", "audio", "video"], attachments.Select(a => a!["file_type"]!.GetValue<string>()));
        Assert.Equal(["png", "pdf", "mp3", "mp4"], attachments.Select(a => a!["extension"]!.GetValue<string>()));
        Assert.Equal([png.Length, pdf.Length, mp3.Length, mp4.Length], attachments.Select(a => a!["file_size"]!.GetValue<int>()));
        Assert.All(attachments, a => Assert.Equal(message["id"]!.GetValue<int>(), a!["message_id"]!.GetValue<int>()));
        Assert.All(attachments, a => Assert.Equal(_account, a!["account_id"]!.GetValue<int>()));
        var image = attachments[0]!;
        Assert.Equal(600, image["width"]!.GetValue<int>());
        Assert.Equal(400, image["height"]!.GetValue<int>());
        Assert.Null(attachments[1]!["width"]);
        Assert.Equal("", attachments[1]!["thumb_url"]!.GetValue<string>());

        // The signed links work without any credentials and give back the very bytes.
        using var anonymous = _server.Client();
        Assert.Equal(png, await anonymous.GetByteArrayAsync(image["data_url"]!.GetValue<string>()));
        Assert.Equal(pdf, await anonymous.GetByteArrayAsync(attachments[1]!["data_url"]!.GetValue<string>()));
        var thumb = await anonymous.GetByteArrayAsync(image["thumb_url"]!.GetValue<string>());
        using (var decoded = SKBitmap.Decode(thumb))
        {
            Assert.Equal(250, decoded.Width);
            Assert.Equal(167, decoded.Height);
        }

        // Everywhere a message is shown: the list, the conversation, the public API.
        var listed = (await (await _admin.GetAsync(P($"conversations/{id}/messages"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray();
        Assert.Equal(4, listed[^1]!["attachments"]!.AsArray().Count);
        Assert.Null(listed[0]!["attachments"]);
        var shown = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(attachments.Select(a => a!["id"]!.GetValue<int>()),
            shown!["messages"]![0]!["attachments"]!.AsArray().Select(a => a!["id"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_message_of_files_only_needs_no_content_and_incoming_files_come_from_the_contact()
    {
        var id = await ConversationAsync();
        var message = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([("message_type", "incoming")],
            ("broken.jpg", Png(40, 30), "image/png")))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(message!["content"]);
        Assert.Equal(0, message["message_type"]!.GetValue<int>());
        Assert.Equal("contact", message["sender"]!["type"]!.GetValue<string>());
        Assert.Equal(40, message["attachments"]![0]!["width"]!.GetValue<int>());
    }

    [Fact]
    public async Task Over_a_limit_is_a_422_naming_the_file_and_the_limit_and_nothing_is_saved()
    {
        var id = await ConversationAsync();
        var before = (MessageCount(id), StoredFiles());

        var eleven = Enumerable.Range(1, 11).Select(i => ($"f{i}.txt", Bytes(10), "text/plain")).ToArray();
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([("content", "too many")], eleven)))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Attachments are too many (maximum is 10 files per message)","attributes":["attachments"]}""");

        var big = Bytes(40 * 1024 * 1024 + 1);
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([("content", "too big")], ("small.txt", Bytes(10), "text/plain"),
                ("backup.zip", big, "application/zip"))))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Attachment 'backup.zip' is too large (maximum is 40 MB)","attributes":["attachments"]}""");

        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([("content", "not an image")], ("photo.png", Bytes(500), "image/png"))))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Attachment 'photo.png' is not a readable image (image/png)","attributes":["attachments"]}""");
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([("message_type", "sideways")], ("a.txt", Bytes(5), "text/plain"))))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Message type 'sideways' is not one of outgoing, incoming, template","attributes":["message_type"]}""");

        Assert.Equal(before, (MessageCount(id), StoredFiles()));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_server.DataDir, "uploads")));

        // Exactly 40 MB is within the limit.
        var largest = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([], ("largest.bin", Bytes(40 * 1024 * 1024), "application/octet-stream"))))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(40 * 1024 * 1024, largest!["attachments"]![0]!["file_size"]!.GetValue<long>());
    }

    [Fact]
    public async Task Files_are_served_to_members_and_through_signed_links_only()
    {
        var id = await ConversationAsync();
        var message = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([("content", "x")], ("notes.txt", "hello"u8.ToArray(), "text/plain"))))
            .ExpectAsync(HttpStatusCode.OK);
        var attachment = message!["attachments"]![0]!;
        var dataUrl = new Uri(attachment["data_url"]!.GetValue<string>());
        var plain = dataUrl.AbsolutePath; // without the signature
        Assert.Equal($"/api/v1/accounts/{_account}/attachments/{attachment["id"]}/file/notes.txt", plain);

        Assert.Equal("hello", await _admin.GetStringAsync(plain));
        var agent = await _server.CreateUserAsync(_account);
        using (var agentClient = _server.Client(agent.Token)) Assert.Equal("hello", await agentClient.GetStringAsync(plain));

        using var anonymous = _server.Client();
        await (await anonymous.GetAsync(plain)).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"errors":["You need to sign in or sign up before continuing."]}""");
        var outsider = await _server.CreateUserAsync(await _server.CreateAccountAsync("Elsewhere"));
        using (var outsiderClient = _server.Client(outsider.Token))
        {
            await (await outsiderClient.GetAsync(plain)).ExpectAsync(HttpStatusCode.Unauthorized);
            var ownAccount = _server.Db(db => db.AccountUsers.First(m => m.UserId == outsider.Id).AccountId);
            await (await outsiderClient.GetAsync(plain.Replace($"/accounts/{_account}/", $"/accounts/{ownAccount}/")))
                .ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
            // Their own account's path with A's signature: the link names account and file, so it is refused.
            await (await outsiderClient.GetAsync(plain.Replace($"/accounts/{_account}/", $"/accounts/{ownAccount}/") + dataUrl.Query))
                .ExpectBodyAsync(HttpStatusCode.Forbidden, """{"error":"This link is not valid"}""");
        }
        var token = dataUrl.Query["?token=".Length..];
        await (await anonymous.GetAsync(plain + "?token=" + token[..^2] + (token[^2] == 'A' ? "BB" : "AA")))
            .ExpectBodyAsync(HttpStatusCode.Forbidden, """{"error":"This link is not valid"}""");
        await (await anonymous.GetAsync(plain.Replace("/file/", "/thumb/") + dataUrl.Query))
            .ExpectBodyAsync(HttpStatusCode.Forbidden, """{"error":"This link is not valid"}""");
    }

    [Fact]
    public async Task Served_files_never_run_on_this_origin()
    {
        var id = await ConversationAsync();
        var html = "<script>document.title='ran'</script>"u8.ToArray();
        var message = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([],
            ("page.html", html, "text/html"), ("logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray(), "image/svg+xml"),
            ("photo.png", Png(10, 10), "image/png"), ("Résumé final.pdf", Bytes(10), "application/pdf")))).ExpectAsync(HttpStatusCode.OK);
        using var anonymous = _server.Client();
        var served = new List<HttpResponseMessage>();
        foreach (var a in message!["attachments"]!.AsArray()) served.Add(await anonymous.GetAsync(a!["data_url"]!.GetValue<string>()));
        Assert.All(served, r =>
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("sandbox", r.Headers.GetValues("Content-Security-Policy").Single());
        });
        Assert.Equal(["application/octet-stream", "application/octet-stream", "image/png", "application/octet-stream"],
            served.Select(r => r.Content.Headers.ContentType!.MediaType));
        Assert.Equal(["attachment", "attachment", "inline", "attachment"], served.Select(r => r.Content.Headers.ContentDisposition!.DispositionType));
        Assert.Equal("Résumé final.pdf", served[3].Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("file", message["attachments"]![1]!["file_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_a_message_removes_its_files()
    {
        var id = await ConversationAsync();
        var before = StoredFiles();
        var message = await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([("content", "oops")], ("wrong.png", Png(), "image/png"))))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before + 2, StoredFiles()); // the file and its thumbnail
        var attachment = message!["attachments"]![0]!;
        var deleted = await (await _admin.DeleteAsync(P($"conversations/{id}/messages/{message["id"]}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(deleted!["attachments"]);
        Assert.Equal(before, StoredFiles());
        using var anonymous = _server.Client();
        await (await anonymous.GetAsync(attachment["data_url"]!.GetValue<string>())).ExpectAsync(HttpStatusCode.NotFound);
        await (await _admin.GetAsync(new Uri(attachment["thumb_url"]!.GetValue<string>()).AbsolutePath)).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_message_with_files_among_many_without_shows_them_in_the_messages_and_the_app_context()
    {
        var id = await ConversationAsync();
        async Task<JsonNode> SendAsync(string content, params (string Name, byte[] Bytes, string Type)[] files) =>
            (await (await _admin.PostAsync(P($"conversations/{id}/messages"), Form([("content", content)], files))).ExpectAsync(HttpStatusCode.OK))!;
        for (var i = 0; i < 5; i++) await SendAsync($"before {i}");
        var withFile = await SendAsync("the invoice", ("invoice.pdf", Bytes(1500), "application/pdf"));
        var removed = await SendAsync("sent by mistake", ("wrong.pdf", Bytes(700), "application/pdf"));
        await (await _admin.DeleteAsync(P($"conversations/{id}/messages/{removed["id"]}"))).ExpectAsync(HttpStatusCode.OK);
        for (var i = 0; i < 5; i++) await SendAsync($"after {i}");
        var withFileId = withFile["id"]!.GetValue<int>();
        var expected = withFile["attachments"]!.AsArray().Select(a => a!["message_id"]!.GetValue<int>() + ":" + a["file_size"]).ToList();
        Assert.Equal([$"{withFileId}:1500"], expected);

        // Only that message carries attachments, each time its conversation's messages are read in a batch.
        void OnlyTheOneWithAFile(IEnumerable<JsonNode?> messages)
        {
            var shown = messages.Where(m => m!["attachments"] is not null).ToList();
            Assert.Equal([withFileId], shown.Select(m => m!["id"]!.GetValue<int>()));
            Assert.Equal(expected, shown[0]!["attachments"]!.AsArray().Select(a => a!["message_id"]!.GetValue<int>() + ":" + a["file_size"]));
        }
        var page = await (await _admin.GetAsync(P($"conversations/{id}/messages"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(MessageCount(id), page!["payload"]!.AsArray().Count);
        OnlyTheOneWithAFile(page["payload"]!.AsArray());

        var conversationId = _server.Db(db => db.Conversations.Single(c => c.AccountId == _account && c.DisplayId == id).Id);
        var loaded = _server.Db(db => db.Messages.Where(m => m.ConversationId == conversationId).OrderBy(m => m.Id).ToList());
        var context = await _server.Services.GetRequiredService<AppContextBuilder>()
            .BuildAsync(_account, id, _server.AdminUserId, loaded, allMessagesLoaded: true, "light");
        var json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(context!.Conversation, WireJson.Options))!;
        Assert.Equal(loaded.Count, json["messages"]!.AsArray().Count);
        OnlyTheOneWithAFile(json["messages"]!.AsArray());
    }

    [Fact]
    public async Task A_customer_sends_files_through_the_public_api()
    {
        var inbox = await _admin.CreateInboxAsync(_account);
        var identifier = _server.Db(db => db.Inboxes.First(i => i.Id == inbox).InboxIdentifier);
        using var visitor = _server.Client();
        var contact = await (await visitor.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts", Json(new { name = "Ana" }))).ExpectAsync(HttpStatusCode.OK);
        var source = contact!["source_id"]!.GetValue<string>();
        var conversation = await (await visitor.PostAsync($"/public/api/v1/inboxes/{identifier}/contacts/{source}/conversations", Json(new { })))
            .ExpectAsync(HttpStatusCode.OK);
        var path = $"/public/api/v1/inboxes/{identifier}/contacts/{source}/conversations/{conversation!["id"]}/messages";
        var png = Png(300, 300);
        var sent = await (await visitor.PostAsync(path, Form([("content", "It arrived broken"), ("echo_id", "e-1")], ("damage.png", png, "image/png"))))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("image", sent!["attachments"]![0]!["file_type"]!.GetValue<string>());
        Assert.Equal(png, await visitor.GetByteArrayAsync(sent["attachments"]![0]!["data_url"]!.GetValue<string>()));
        var listed = await (await visitor.GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(listed!.AsArray()[^1]!["attachments"]!.AsArray());
        await (await visitor.PostAsync(path, Form([], ("empty.png", Bytes(3), "image/png")))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
    }
}
