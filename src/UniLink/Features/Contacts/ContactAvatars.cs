using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using SkiaSharp;
using UniLink.Features.Attachments;
using UniLink.Infrastructure.Outbound;

namespace UniLink.Features.Contacts;

/// <summary>
/// A contact's <c>avatar_url</c>, fetched once through the guarded outbound client (public addresses only, no redirects),
/// at most 5 MB of JPEG, PNG, GIF or WebP that really decodes, kept as a 250 px thumbnail in the file store and shown as the
/// contact's <c>thumbnail</c>. As the reference (which fetches it in a background job), a URL that cannot be fetched leaves
/// the contact without one rather than refusing the contact.
/// </summary>
public sealed class ContactAvatars(IHttpClientFactory clients, IFileStore files, AttachmentStaging staging, AttachmentLinks links,
    ILogger<ContactAvatars> log)
{
    public const long MaxBytes = 5L * 1024 * 1024;
    private const int Size = 250;
    private static readonly HashSet<string> Types = ["image/jpeg", "image/png", "image/gif", "image/webp"];

    /// <summary>The thumbnail's URL, or null (logged) when the address gave no usable image.</summary>
    public async Task<string?> FetchAsync(Uri url, CancellationToken ct)
    {
        var path = staging.NewPath();
        try
        {
            using var response = await clients.CreateClient(OutboundHttp.ClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            var type = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
            if (response.StatusCode != System.Net.HttpStatusCode.OK || type is null || !Types.Contains(type)
                || response.Content.Headers.ContentLength > MaxBytes)
            {
                log.LogInformation("Avatar {Url} not taken: {Status} {Type} {Length} bytes", url, (int)response.StatusCode, type, response.Content.Headers.ContentLength);
                return null;
            }
            await using (var source = await response.Content.ReadAsStreamAsync(ct))
            await using (var target = File.Create(path))
            {
                var buffer = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = await source.ReadAsync(buffer, ct)) > 0)
                {
                    if ((total += n) > MaxBytes) { log.LogInformation("Avatar {Url} not taken: over {Max} bytes", url, MaxBytes); return null; }
                    await target.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
            var thumbPath = Thumbnail(path);
            if (thumbPath is null) { log.LogInformation("Avatar {Url} not taken: not a readable image", url); return null; }
            var key = "avatar-" + Guid.NewGuid().ToString("N") + "-jpg";
            await files.PutAsync(key, thumbPath, "image/jpeg", ct);
            return links.AvatarUrl(key);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OutboundAddressRefusedException or IOException && !ct.IsCancellationRequested)
        {
            log.LogInformation("Avatar {Url} not taken: {Reason}", url, e.Message);
            return null;
        }
        finally { File.Delete(path); }
    }

    /// <summary>A square JPEG cut from the image's centre, or null when it does not decode.</summary>
    private string? Thumbnail(string path)
    {
        using var codec = SKCodec.Create(path);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0 || (long)codec.Info.Width * codec.Info.Height > 50_000_000) return null;
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null) return null;
        var side = Math.Min(decoded.Width, decoded.Height);
        using var square = new SKBitmap(Size, Size);
        using (var canvas = new SKCanvas(square))
        {
            canvas.Clear(SKColors.White);
            using var image = SKImage.FromBitmap(decoded);
            canvas.DrawImage(image, SKRect.Create((decoded.Width - side) / 2f, (decoded.Height - side) / 2f, side, side), SKRect.Create(Size, Size),
                new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        }
        using var encoded = SKImage.FromBitmap(square).Encode(SKEncodedImageFormat.Jpeg, 85);
        var thumbPath = staging.NewPath();
        using (var output = File.Create(thumbPath)) encoded.SaveTo(output);
        return thumbPath;
    }

    /// <summary><c>GET /avatars/{key}</c>: public, as an avatar is shown wherever the contact is (the key is random, 128 bits).</summary>
    public static void MapAvatars(WebApplication app) =>
        app.MapGet("/avatars/{key}", async Task<Results<NotFound, FileStreamHttpResult>> (HttpContext http, string key, IFileStore files, CancellationToken ct) =>
        {
            if (!key.StartsWith("avatar-", StringComparison.Ordinal) || key.Length != 43 || !key[7..].All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                || await files.OpenReadAsync(key, ct) is not { } stored) return TypedResults.NotFound();
            http.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            http.Response.Headers[HeaderNames.ContentSecurityPolicy] = "sandbox";
            http.Response.Headers[HeaderNames.CacheControl] = "public, max-age=86400, immutable";
            http.Response.ContentLength = stored.Length;
            return TypedResults.Stream(stored.Content, "image/jpeg");
        }).AllowAnonymous().ExcludeFromDescription();
}
