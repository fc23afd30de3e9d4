using System.Net;
using Amazon.S3;
using Microsoft.AspNetCore.Http;
using UniLink.Features.Attachments;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Attachments.TestFiles;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Attachments;

/// <summary>Stored files go when what named them goes: a replaced avatar, a deleted conversation, a deleted contact with its conversations' files — in the data folder and in the bucket.</summary>
public sealed class FileRemovalTests
{
    private static readonly byte[] First = Png(300, 300);
    private static readonly byte[] Second = Png(320, 320);

    private static Task Respond(HttpContext http)
    {
        http.Response.ContentType = "image/png";
        return http.Response.Body.WriteAsync(http.Request.Path.Value == "/first.png" ? First : Second).AsTask();
    }

    [Fact]
    public Task In_the_data_folder() => RunAsync(new UniLinkServer(), null);

    [Fact]
    public Task In_the_bucket()
    {
        var s3 = Environment.GetEnvironmentVariable("UNILINK_TEST_S3") is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException("UNILINK_TEST_S3 is not set: run the tests through ./test, which starts s3rver");
        Assert.True(S3Location.TryParse(s3, out var location, out var why), why);
        return RunAsync(new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_S3_URL"] = s3 }), location);
    }

    private static async Task RunAsync(UniLinkServer server, S3Location? bucket)
    {
        using var _ = server;
        using var admin = server.AdminClient();
        using var outsider = new HttpClient();
        var account = server.AccountId;
        string A(string rest) => $"/api/v1/accounts/{account}/{rest}";
        await using var host = new LoopbackReceiver(Respond);

        // A replaced avatar's file is gone.
        var contact = (await (await admin.PostAsync(A("contacts"), Json(new { name = "Leaving Lee", avatar_url = host.Url("/first.png") })))
            .ExpectAsync(HttpStatusCode.OK))!["payload"]!["contact"]!;
        var contactId = contact["id"]!.GetValue<int>();
        var firstAvatar = contact["thumbnail"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await outsider.GetAsync(firstAvatar)).StatusCode);
        var secondAvatar = (await (await admin.PatchAsync(A($"contacts/{contactId}"), Json(new { avatar_url = host.Url("/second.png") })))
            .ExpectAsync(HttpStatusCode.OK))!["payload"]!["thumbnail"]!.GetValue<string>();
        Assert.NotEqual(firstAvatar, secondAvatar);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync(firstAvatar)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await outsider.GetAsync(secondAvatar)).StatusCode);

        // The contact's conversation has files; another contact's conversation has one too.
        var inbox = await admin.CreateInboxAsync(account);
        var conversation = (await (await admin.PostAsync(A("conversations"), Json(new { inbox_id = inbox, contact_id = contactId }))).ExpectAsync(HttpStatusCode.OK))!["id"]!;
        var message = await (await admin.PostAsync(A($"conversations/{conversation}/messages"),
            Form([("content", "files")], ("photo.png", Png(500, 400), "image/png"), ("terms.pdf", Bytes(50_000), "application/pdf")))).ExpectAsync(HttpStatusCode.OK);
        var other = (await admin.CreateConversationAsync(account, "Staying Sam"))["id"]!;
        var kept = Bytes(10_000, 9);
        var otherMessage = await (await admin.PostAsync(A($"conversations/{other}/messages"), Form([("content", "mine")], ("kept.pdf", kept, "application/pdf"))))
            .ExpectAsync(HttpStatusCode.OK);
        var links = message!["attachments"]!.AsArray().SelectMany(a => new[] { a!["data_url"]!.GetValue<string>(), a["thumb_url"]!.GetValue<string>() })
            .Where(u => u.Length > 0).ToList();
        Assert.Equal(3, links.Count);
        foreach (var link in links) Assert.Equal(HttpStatusCode.OK, (await outsider.GetAsync(link)).StatusCode);
        var messageId = message["id"]!.GetValue<int>();
        var keys = server.Db(db => db.Attachments.Where(a => a.MessageId == messageId).ToList()).SelectMany(a => new[] { a.StorageKey, a.ThumbKey })
            .OfType<string>().Append(secondAvatar[(secondAvatar.LastIndexOf('/') + 1)..]).ToList();
        Assert.Equal(4, keys.Count);

        // Deleting a conversation removes its messages' files; only an administrator of its own account can.
        var doomed = (await admin.CreateConversationAsync(account, "Gone Gus"))["id"]!;
        var doomedMessage = await (await admin.PostAsync(A($"conversations/{doomed}/messages"), Form([("content", "soon gone")],
            ("gone.png", Png(200, 200), "image/png")))).ExpectAsync(HttpStatusCode.OK);
        var doomedId = doomedMessage!["id"]!.GetValue<int>();
        var doomedKeys = server.Db(db => db.Attachments.Where(a => a.MessageId == doomedId).ToList()).SelectMany(a => new[] { a.StorageKey, a.ThumbKey })
            .OfType<string>().ToList();
        var doomedLinks = new[] { doomedMessage["attachments"]![0]!["data_url"]!.GetValue<string>(), doomedMessage["attachments"]![0]!["thumb_url"]!.GetValue<string>() };
        var agent = await server.CreateUserAsync(account, UniLink.Features.Accounts.Roles.Agent);
        var elsewhere = await server.CreateAccountAsync("Elsewhere", agent.Id);
        using var agentClient = server.Client(agent.Token);
        await (await agentClient.DeleteAsync(A($"conversations/{doomed}"))).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await agentClient.DeleteAsync($"/api/v1/accounts/{elsewhere}/conversations/{doomed}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync(A("conversations/not-a-number"))).ExpectAsync(HttpStatusCode.NotFound);
        foreach (var link in doomedLinks) Assert.Equal(HttpStatusCode.OK, (await outsider.GetAsync(link)).StatusCode);
        await (await admin.DeleteAsync(A($"conversations/{doomed}"))).ExpectAsync(HttpStatusCode.OK);
        await (await admin.GetAsync(A($"conversations/{doomed}"))).ExpectAsync(HttpStatusCode.NotFound);
        foreach (var link in doomedLinks) Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync(link)).StatusCode);
        keys.AddRange(doomedKeys);

        // Deleting the contact removes its conversation, its messages' files and its avatar; the other contact's file stays.
        await (await admin.DeleteAsync(A($"contacts/{contactId}"))).ExpectAsync(HttpStatusCode.OK);
        foreach (var link in links.Append(secondAvatar)) Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync(link)).StatusCode);
        Assert.Equal(kept, await outsider.GetByteArrayAsync(otherMessage!["attachments"]![0]!["data_url"]!.GetValue<string>()));
        if (bucket is null)
        {
            var folder = Path.Combine(server.DataDir, "attachments");
            foreach (var key in keys) Assert.False(System.IO.File.Exists(Path.Combine(folder, key[..2], key)), $"{key} is still in the data folder");
            Assert.Single(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)); // the other contact's file
        }
        else
        {
            using var s3 = new AmazonS3Client(bucket.AccessKey, bucket.SecretKey,
                new AmazonS3Config { ServiceURL = bucket.Endpoint, ForcePathStyle = true, AuthenticationRegion = bucket.Region });
            foreach (var key in keys)
            {
                var gone = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket.Bucket, key));
                Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            }
        }
    }
}
