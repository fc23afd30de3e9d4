using System.Net;
using Amazon.S3;
using UniLink.Features.Attachments;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Attachments.TestFiles;

namespace UniLink.Tests.Attachments;

/// <summary>Attachments in an S3-compatible bucket (./test runs s3rver on loopback), shared by two nodes.</summary>
public sealed class S3StoreTests
{
    private static string S3Url => Environment.GetEnvironmentVariable("UNILINK_TEST_S3") is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException("UNILINK_TEST_S3 is not set: run the tests through ./test, which starts s3rver");

    private static string Redis => Environment.GetEnvironmentVariable("UNILINK_TEST_REDIS") is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException("UNILINK_TEST_REDIS is not set: run the tests through ./test, which starts redis-server");

    [Fact]
    public async Task Two_nodes_sharing_the_bucket_serve_each_others_files_and_a_delete_removes_the_object()
    {
        Assert.True(S3Location.TryParse(S3Url, out var location, out var why), why);
        using var bucket = new AmazonS3Client(location!.AccessKey, location.SecretKey,
            new AmazonS3Config { ServiceURL = location.Endpoint, ForcePathStyle = true, AuthenticationRegion = location.Region });
        using var nodeA = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_S3_URL"] = S3Url, ["UNILINK_REDIS_URL"] = Redis });
        using var nodeB = nodeA.AnotherNode();
        var account = nodeA.AccountId;
        using var adminA = nodeA.AdminClient();
        using var adminB = nodeB.AdminClient();
        var id = (await adminA.CreateConversationAsync(account))["id"]!.GetValue<int>();

        var png = Png(800, 600);
        var pdf = Bytes(300_000);
        var message = await (await adminA.PostAsync($"/api/v1/accounts/{account}/conversations/{id}/messages",
            Form([("content", "from node A")], ("photo.png", png, "image/png"), ("terms.pdf", pdf, "application/pdf")))).ExpectAsync(HttpStatusCode.OK);
        var attachments = message!["attachments"]!.AsArray();
        Assert.False(Directory.Exists(Path.Combine(nodeA.DataDir, "attachments")), "files went to the data folder, not the bucket");

        var keys = nodeA.Db(db => db.Attachments.Where(a => a.MessageId == message["id"]!.GetValue<int>()).OrderBy(a => a.Id)
            .Select(a => new { a.StorageKey, a.ThumbKey }).ToList());
        Assert.Equal(png.Length, (await bucket.GetObjectMetadataAsync(location.Bucket, keys[0].StorageKey)).ContentLength);
        Assert.NotNull(keys[0].ThumbKey);

        // Node B serves node A's files: to a member, and through node A's signed link.
        Assert.Equal(pdf, await adminB.GetByteArrayAsync(new Uri(attachments[1]!["data_url"]!.GetValue<string>()).AbsolutePath));
        using var anonymousB = nodeB.Client();
        var signedOnB = new UriBuilder(attachments[0]!["data_url"]!.GetValue<string>()) { Port = nodeB.BaseAddress.Port }.Uri;
        Assert.Equal(png, await anonymousB.GetByteArrayAsync(signedOnB));
        var thumbOnB = new UriBuilder(attachments[0]!["thumb_url"]!.GetValue<string>()) { Port = nodeB.BaseAddress.Port }.Uri;
        Assert.Equal("image/png", (await anonymousB.GetAsync(thumbOnB)).Content.Headers.ContentType!.MediaType); // it has an alpha channel

        // Deleted on node B: the objects are gone from the bucket, and node A no longer serves them.
        await (await adminB.DeleteAsync($"/api/v1/accounts/{account}/conversations/{id}/messages/{message["id"]}")).ExpectAsync(HttpStatusCode.OK);
        foreach (var key in new[] { keys[0].StorageKey, keys[0].ThumbKey!, keys[1].StorageKey })
        {
            var gone = await Assert.ThrowsAsync<AmazonS3Exception>(() => bucket.GetObjectMetadataAsync(location.Bucket, key));
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        using var anonymousA = nodeA.Client();
        await (await anonymousA.GetAsync(attachments[1]!["data_url"]!.GetValue<string>())).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public void A_bad_store_address_stops_start_up_with_a_message()
    {
        Assert.False(S3Location.TryParse("s3://bucket-only", out _, out var why));
        Assert.Contains("access key and secret", why);
        Assert.False(S3Location.TryParse("https://key:secret@host/bucket", out _, out why));
        Assert.Contains("s3://ACCESS_KEY:SECRET@host", why);
        Assert.True(S3Location.TryParse("s3://AK%2F1:se%2Bcret@s3.eu-west-1.amazonaws.com/my-bucket?region=eu-west-1", out var aws, out _));
        Assert.Equal(("https://s3.eu-west-1.amazonaws.com", "my-bucket", "AK/1", "se+cret", "eu-west-1"), (aws!.Endpoint, aws.Bucket, aws.AccessKey, aws.SecretKey, aws.Region));
        Assert.DoesNotContain("se+cret", aws.ToString());
    }
}
