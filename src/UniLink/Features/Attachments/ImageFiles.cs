using SkiaSharp;

namespace UniLink.Features.Attachments;

/// <summary>An uploaded image's size, and its thumbnail (250 px wide at most, as the reference's), made once with SkiaSharp.</summary>
public static class ImageFiles
{
    public const int ThumbWidth = 250;
    /// <summary>Larger images keep their size on the wire but get no thumbnail (decoding them would take hundreds of MB).</summary>
    private const long MaxThumbnailPixels = 50_000_000;

    public static (StagedFile? File, string? Problem) Analyse(StagedFile file, AttachmentStaging staging)
    {
        using var codec = SKCodec.Create(file.Path);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
            return (null, $"Attachment '{file.FileName}' is not a readable image ({file.ContentType})");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > MaxThumbnailPixels) return (file with { Width = width, Height = height }, null);

        var thumbWidth = Math.Min(ThumbWidth, width);
        var thumbHeight = Math.Max(1, (int)Math.Round((double)height * thumbWidth / width));
        // JPEG decodes at 1/2, 1/4, 1/8 directly: far less memory for a phone photo.
        var decodeSize = codec.GetScaledDimensions(Math.Max((float)thumbWidth / width, 0.125f));
        var info = new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        var result = codec.GetPixels(info, decoded.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            return (null, $"Attachment '{file.FileName}' is not a readable image ({file.ContentType})");
        using var thumb = decoded.Resize(new SKImageInfo(thumbWidth, thumbHeight, SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        if (thumb is null) return (file with { Width = width, Height = height }, null);
        var opaque = codec.Info.AlphaType == SKAlphaType.Opaque;
        using var image = SKImage.FromBitmap(thumb);
        using var encoded = image.Encode(opaque ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, 80);
        var thumbPath = staging.NewPath();
        using (var output = File.Create(thumbPath)) encoded.SaveTo(output);
        return (file with { Width = width, Height = height, ThumbPath = thumbPath, ThumbContentType = opaque ? "image/jpeg" : "image/png" }, null);
    }
}
