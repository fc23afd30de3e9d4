namespace UniLink.Features.Attachments;

/// <summary>A file sent with a message. The bytes live in the <see cref="IFileStore"/> under <see cref="StorageKey"/>.</summary>
public class Attachment
{
    public int Id { get; set; }
    public int AccountId { get; set; }
    public int MessageId { get; set; }
    public Messages.Message? Message { get; set; }
    public AttachmentFileType FileType { get; set; }
    /// <summary>The uploaded name (without any folder), as the sender named it.</summary>
    public string FileName { get; set; } = "";
    /// <summary>Lower case, without the dot; null when the name has none.</summary>
    public string? Extension { get; set; }
    /// <summary>The type the sender declared; only a safe media type is ever served as itself.</summary>
    public string ContentType { get; set; } = "application/octet-stream";
    public long FileSize { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public string StorageKey { get; set; } = "";
    /// <summary>An image's thumbnail (JPEG, 250 px wide at most), made once at upload.</summary>
    public string? ThumbKey { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The reference's enum values (image 0, audio 1, video 2, file 3).</summary>
public enum AttachmentFileType { Image = 0, Audio = 1, Video = 2, File = 3 }
