namespace UniLink.Features.Attachments;

/// <summary>An attachment as the reference's <c>push_event_data</c> shows it; <c>file_type</c> is image, audio, video or file.</summary>
public sealed record AttachmentJson(
    int Id,
    int MessageId,
    string FileType,
    int AccountId,
    string? Extension,
    string DataUrl,
    string ThumbUrl,
    long FileSize,
    int? Width,
    int? Height);

public static class AttachmentMapping
{
    public static AttachmentJson ToJson(this Attachment a, AttachmentLinks links) => new(
        a.Id, a.MessageId, FileTypeName(a.FileType), a.AccountId, a.Extension,
        links.Url(a, AttachmentLinks.File), a.ThumbKey is null ? "" : links.Url(a, AttachmentLinks.Thumb), a.FileSize, a.Width, a.Height);

    public static string FileTypeName(AttachmentFileType t) => t switch
    {
        AttachmentFileType.Image => "image",
        AttachmentFileType.Audio => "audio",
        AttachmentFileType.Video => "video",
        _ => "file",
    };
}
