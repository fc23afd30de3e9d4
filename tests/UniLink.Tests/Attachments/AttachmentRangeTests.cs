using System.Net;
using System.Net.Http.Headers;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Attachments.TestFiles;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Attachments;

/// <summary>Video and audio players seek with byte ranges: 206 with Content-Range, from the data folder and from the bucket.</summary>
public sealed class AttachmentRangeTests
{
    [Fact]
    public Task From_the_data_folder() => RunAsync(new UniLinkServer());

    [Fact]
    public Task From_the_bucket()
    {
        var s3 = Environment.GetEnvironmentVariable("UNILINK_TEST_S3") is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException("UNILINK_TEST_S3 is not set: run the tests through ./test, which starts s3rver");
        return RunAsync(new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_S3_URL"] = s3 }));
    }

    private static async Task RunAsync(UniLinkServer server)
    {
        using var _ = server;
        using var admin = server.AdminClient();
        var account = server.AccountId;
        var conversation = (await admin.CreateConversationAsync(account))["id"]!.GetValue<int>();
        var video = Bytes(300_000, 21);
        var message = await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages",
            Form([("content", "the clip")], ("clip.mp4", video, "video/mp4")))).ExpectAsync(HttpStatusCode.OK);
        var link = message!["attachments"]![0]!["data_url"]!.GetValue<string>();
        using var player = new HttpClient(); // as a <video> element fetching the signed link

        async Task<HttpResponseMessage> Get(string? range)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, link);
            if (range is not null) request.Headers.TryAddWithoutValidation("Range", range);
            return await player.SendAsync(request);
        }

        var whole = await Get(null);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal(video, await whole.Content.ReadAsByteArrayAsync());

        foreach (var (range, from, to) in new[] { ("bytes=1000-1999", 1000, 1999), ("bytes=299500-", 299_500, 299_999), ("bytes=-700", 299_300, 299_999),
                     ("bytes=299990-400000", 299_990, 299_999), ("bytes=0-0", 0, 0) })
        {
            var part = await Get(range);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal(new ContentRangeHeaderValue(from, to, video.Length), part.Content.Headers.ContentRange);
            Assert.Equal(to - from + 1, part.Content.Headers.ContentLength);
            Assert.Equal(video[from..(to + 1)], await part.Content.ReadAsByteArrayAsync());
            Assert.Equal("video/mp4", part.Content.Headers.ContentType!.MediaType);
            Assert.Equal("nosniff", part.Headers.GetValues("X-Content-Type-Options").Single());
        }

        var beyond = await Get("bytes=300000-");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal("bytes */300000", beyond.Content.Headers.ContentRange!.ToString());
        // Several ranges at once: the whole file, as HTTP allows.
        var several = await Get("bytes=0-10,20-30");
        Assert.Equal(HttpStatusCode.OK, several.StatusCode);
        Assert.Equal(video.Length, (await several.Content.ReadAsByteArrayAsync()).Length);
        // A range does not open the file to outsiders: an expired or forged link is still refused.
        using var forged = new HttpRequestMessage(HttpMethod.Get, link[..^4] + "AAAA");
        forged.Headers.TryAddWithoutValidation("Range", "bytes=0-99");
        Assert.Equal(HttpStatusCode.Forbidden, (await player.SendAsync(forged)).StatusCode);
    }
}
