namespace UniLink.Features.Attachments;

/// <summary>Where attachments' bytes are kept: a folder under UNILINK_DATA_DIR, or an S3-compatible bucket (UNILINK_S3_URL).</summary>
public interface IFileStore
{
    /// <summary>Stores the local file <paramref name="path"/> under <paramref name="key"/>; the local file is gone afterwards.</summary>
    Task PutAsync(string key, string path, string contentType, CancellationToken ct);

    /// <summary>The stored bytes and their length, or null when nothing is stored under the key.</summary>
    Task<(Stream Content, long Length)?> OpenReadAsync(string key, CancellationToken ct);

    /// <summary>Removes the key; a key already gone is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken ct);
}

/// <summary>Files under <c>{UNILINK_DATA_DIR}/attachments</c>, two letters of the key as a sub-folder.</summary>
public sealed class LocalFileStore(string root) : IFileStore
{
    private string PathOf(string key)
    {
        if (key.Length < 3 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-')) throw new ArgumentException($"bad storage key '{key}'");
        return Path.Combine(root, key[..2], key);
    }

    public Task PutAsync(string key, string path, string contentType, CancellationToken ct)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(path, target); // the staging folder is on the same disk: a rename
        return Task.CompletedTask;
    }

    public Task<(Stream Content, long Length)?> OpenReadAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) return Task.FromResult<(Stream, long)?>(null);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, useAsync: true);
        return Task.FromResult<(Stream, long)?>((stream, stream.Length));
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }
}
