using System.Net;
using Microsoft.AspNetCore.Http;
using SkiaSharp;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;
using static UniLink.Tests.Attachments.TestFiles;

namespace UniLink.Tests.Attachments;

/// <summary>A contact's avatar_url, fetched once through the guarded client and shown as its thumbnail.</summary>
public sealed class ContactAvatarTests(SharedServer server) : AdminApiTests(server)
{
    private static readonly byte[] Photo = Png(400, 300);

    private static Task Respond(HttpContext http) => http.Request.Path.Value switch
    {
        "/photo.png" => Send(http, "image/png", Photo),
        "/moved.png" => Redirect(http),
        "/page.html" => Send(http, "text/html", "<html></html>"u8.ToArray()),
        "/fake.png" => Send(http, "image/png", Bytes(2000)),
        "/huge.png" => Send(http, "image/png", Bytes(5 * 1024 * 1024 + 1)),
        _ => Task.FromResult(http.Response.StatusCode = 404),
    };

    private static Task Send(HttpContext http, string type, byte[] bytes)
    {
        http.Response.ContentType = type;
        return http.Response.Body.WriteAsync(bytes).AsTask();
    }

    private static Task Redirect(HttpContext http)
    {
        http.Response.StatusCode = 302;
        http.Response.Headers.Location = "/photo.png";
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_avatar_url_is_fetched_once_stored_and_shown_as_the_thumbnail_and_anything_else_is_left_out()
    {
        await using var host = new LoopbackReceiver(Respond);
        var created = await (await _admin.PostAsync(P("contacts"), Json(new { name = "Avatar Ann", avatar_url = host.Url("/photo.png") })))
            .ExpectAsync(HttpStatusCode.OK);
        var contact = created!["payload"]!["contact"]!;
        var thumbnail = contact["thumbnail"]!.GetValue<string>();
        Assert.StartsWith(_server.BaseAddress.GetLeftPart(UriPartial.Authority) + "/avatars/avatar-", thumbnail);
        Assert.Single(host.Received, r => r.PathAndQuery == "/photo.png");

        using var anonymous = _server.Client();
        var served = await anonymous.GetAsync(thumbnail);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        using (var image = SKBitmap.Decode(await served.Content.ReadAsByteArrayAsync())) Assert.Equal((250, 250), (image.Width, image.Height));
        var id = contact["id"]!.GetValue<int>();
        var shown = await (await _admin.GetAsync(P($"contacts/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(thumbnail, shown!["payload"]!["thumbnail"]!.GetValue<string>());

        // A redirect is not followed; HTML, bytes that are not an image and more than 5 MB are not taken: the avatar stays.
        foreach (var path in new[] { "/moved.png", "/page.html", "/fake.png", "/huge.png", "/missing.png" })
        {
            var updated = await (await _admin.PatchAsync(P($"contacts/{id}"), Json(new { avatar_url = host.Url(path), name = "Ann " + path })))
                .ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(thumbnail, updated!["payload"]!["thumbnail"]!.GetValue<string>());
            Assert.Equal("Ann " + path, updated["payload"]!["name"]!.GetValue<string>());
        }
        Assert.DoesNotContain(host.Received, r => r.PathAndQuery == "/photo.png" && r != host.Received.First());
        await (await _admin.PatchAsync(P($"contacts/{id}"), Json(new { avatar_url = "ftp://example.com/a.png" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Avatar url is not an http(s) address","attributes":["avatar_url"]}""");
        await (await anonymous.GetAsync("/avatars/avatar-00000000000000000000000000000000-jpg")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_avatar_on_a_private_address_is_never_fetched_unless_allowed()
    {
        await using var host = new LoopbackReceiver(Respond);
        using var guarded = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_OUTBOUND_ALLOW_PRIVATE"] = "0" });
        using var admin = guarded.AdminClient();
        var created = await (await admin.PostAsync($"/api/v1/accounts/{guarded.AccountId}/contacts", Json(new { name = "Loopback Lou", avatar_url = host.Url("/photo.png") })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("", created!["payload"]!["contact"]!["thumbnail"]!.GetValue<string>());
        Assert.Empty(host.Received);
    }
}
