namespace UniLink.Features.Attachments;

/// <summary>
/// Removes stored bytes (local folder or bucket) once the rows that named them are gone: a deleted message, a contact
/// (its avatar and every file of its conversations) or a replaced avatar. Best effort after the commit: a file that
/// cannot be removed is logged and only costs space; a row is never left pointing at a removed file.
/// </summary>
public sealed class StoredFiles(IFileStore files, ILogger<StoredFiles> log)
{
    /// <summary>The keys of these attachments' files and thumbnails, read before their rows are deleted.</summary>
    public static async Task<List<string>> KeysOfAsync(IQueryable<Attachment> attachments, CancellationToken ct) =>
        (await attachments.Select(a => new { a.StorageKey, a.ThumbKey }).ToListAsync(ct))
            .SelectMany(a => a.ThumbKey is null ? [a.StorageKey] : new[] { a.StorageKey, a.ThumbKey }).ToList();

    /// <summary>The attachments of every message in the conversations <paramref name="conversations"/> selects.</summary>
    public static IQueryable<Attachment> InConversations(UniLinkDb db, IQueryable<int> conversations) =>
        db.Attachments.Where(a => db.Messages.Any(m => m.Id == a.MessageId && conversations.Contains(m.ConversationId)));

    /// <summary>The store key of an avatar this server keeps (a contact's <c>thumbnail</c> <c>…/avatars/{key}</c>), else null.</summary>
    public static string? AvatarKey(string? thumbnail)
    {
        if (string.IsNullOrEmpty(thumbnail)) return null;
        var at = thumbnail.LastIndexOf("/avatars/", StringComparison.Ordinal);
        if (at < 0) return null;
        var key = thumbnail[(at + "/avatars/".Length)..];
        return key.StartsWith("avatar-", StringComparison.Ordinal) && key.Length == 43 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? key : null;
    }

    public async Task RemoveAsync(IEnumerable<string?> keys)
    {
        foreach (var key in keys)
        {
            if (key is null) continue;
            try { await files.DeleteAsync(key, CancellationToken.None); }
            catch (Exception e) { log.LogWarning(e, "Could not remove the stored file {Key}", key); }
        }
    }
}
