using System.Collections.Concurrent;
using UniLink.Infrastructure.Config;

namespace UniLink.Infrastructure.Caching;

/// <summary>
/// Results of database reads kept in memory until one of the tables they were read from is written (see
/// <see cref="TableWrites"/>), on this node or another. The maximum age bounds how stale an entry can be
/// when another node's news is lost (Redis away, or several nodes run without it): UNILINK_READ_CACHE_SECONDS.
/// </summary>
public sealed class ReadCache(TableWrites writes, TimeProvider clock, UniLinkOptions options)
{
    private const int MaxEntries = 10_000; // a few KiB each at most: bounded to tens of MiB
    private readonly long _maxAgeTicks = options.ReadCacheSeconds * clock.TimestampFrequency;
    private readonly ConcurrentDictionary<object, Entry> _entries = new();
    private int _count;
    private readonly ConcurrentDictionary<Type[], TableSet> _tableSets = new(ReferenceEqualityComparer.Instance);

    /// <summary>A read that found nothing (null) is not kept. The value is shared: it must not be changed.</summary>
    /// <param name="key">A value (a record) naming the read and its arguments.</param>
    /// <param name="readsFrom">The entities the read touches, in a static array (resolved to tables once).</param>
    public async ValueTask<T> GetOrReadAsync<T>(object key, Type[] readsFrom, Func<CancellationToken, Task<T>> read, CancellationToken ct)
    {
        if (_maxAgeTicks == 0) return await read(ct);
        var tables = _tableSets.GetOrAdd(readsFrom, writes.Of);
        if (_entries.TryGetValue(key, out var entry) && writes.UnchangedSince(entry.Stamp, tables)
            && clock.GetTimestamp() - entry.ReadAt < _maxAgeTicks)
            return (T)entry.Value!;

        var before = writes.Now;
        var readAt = clock.GetTimestamp();
        var value = await read(ct);
        if (value is null) return value;
        var fresh = new Entry(value, before, readAt);
        if (_entries.TryAdd(key, fresh))
        {
            if (Interlocked.Increment(ref _count) > MaxEntries) Clear();
        }
        else _entries[key] = fresh;
        return value;
    }

    private void Clear()
    {
        _entries.Clear();
        Interlocked.Exchange(ref _count, 0);
    }

    private sealed record Entry(object? Value, long Stamp, long ReadAt);
}
