namespace UniLink.Features.Attachments;

/// <summary>Where attachments' bytes are kept: a folder under UNILINK_DATA_DIR, or an S3-compatible bucket (UNILINK_S3_URL).</summary>
public interface IFileStore
{
    /// <summary>Stores the local file <paramref name="path"/> under <paramref name="key"/>; the local file is gone afterwards.</summary>
    Task PutAsync(string key, string path, string contentType, CancellationToken ct);

    /// <summary>The stored bytes and their length, or null when nothing is stored under the key.</summary>
    Task<(Stream Content, long Length)?> OpenReadAsync(string key, CancellationToken ct);

    /// <summary><paramref name="length"/> bytes from <paramref name="from"/> (within the stored length), or null when nothing is stored under the key.</summary>
    Task<Stream?> OpenRangeAsync(string key, long from, long length, CancellationToken ct);

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

    public Task<Stream?> OpenRangeAsync(string key, long from, long length, CancellationToken ct)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) return Task.FromResult<Stream?>(null);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, useAsync: true);
        stream.Seek(from, SeekOrigin.Begin);
        return Task.FromResult<Stream?>(new LimitedStream(stream, length));
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }
}

/// <summary>At most <paramref name="length"/> bytes of <paramref name="inner"/> (read from where it stands); disposes it.</summary>
internal sealed class LimitedStream(Stream inner, long length) : Stream
{
    private readonly long _length = length;
    private long _left = length;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _length - _left; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        if (_left <= 0) return 0;
        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
        _left -= n;
        return n;
    }
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_left <= 0) return 0;
        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], ct);
        _left -= n;
        return n;
    }
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
