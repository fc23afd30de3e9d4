namespace UniLink.Features.Attachments;

/// <summary>What the reference previews (its FileTypeHelper), and which types are safe to serve as themselves.</summary>
public static class FileTypes
{
    private static readonly HashSet<string> Images = ["image/jpeg", "image/png", "image/gif", "image/bmp", "image/webp"];
    private static readonly HashSet<string> Videos = ["video/ogg", "video/mp4", "video/webm", "video/quicktime"];
    /// <summary>Audio the browser plays and never runs; any other <c>audio/*</c> is still classed audio but downloaded.</summary>
    private static readonly HashSet<string> SafeAudio =
        ["audio/mpeg", "audio/mp3", "audio/mp4", "audio/aac", "audio/ogg", "audio/opus", "audio/wav", "audio/x-wav", "audio/wave", "audio/webm", "audio/flac", "audio/x-m4a"];

    public static AttachmentFileType Classify(string contentType) =>
        Images.Contains(contentType) ? AttachmentFileType.Image
        : Videos.Contains(contentType) ? AttachmentFileType.Video
        : contentType.Contains("audio/") ? AttachmentFileType.Audio
        : AttachmentFileType.File;

    /// <summary>Served inline with its own type; everything else is served as a download of application/octet-stream.</summary>
    public static bool IsSafeInline(string contentType) => Images.Contains(contentType) || Videos.Contains(contentType) || SafeAudio.Contains(contentType);
}
