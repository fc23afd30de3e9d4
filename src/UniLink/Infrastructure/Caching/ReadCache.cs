using System.Collections.Concurrent;
using UniLink.Infrastructure.Config;

namespace UniLink.Infrastructure.Caching;

/// <summary>
/// Results of database reads kept in memory until one of the tables they were read from is written (see
/// <see cref="TableWrites"/>), on this node or another. The maximum age bounds how stale an entry can be
/// when another node's news is lost (Redis away, or several nodes run without it): UNILINK_READ_CACHE_SECONDS.
/// A read that found nothing (null) is not kept. Values are shared: they must not be changed.
/// </summary>
public sealed class ReadCache(TableWrites writes, TimeProvider clock, UniLinkOptions options)
{
    private const int MaxEntries = 10_000; // a few KiB each at most: bounded to tens of MiB
    private readonly long _maxAgeTicks = options.ReadCacheSeconds * clock.TimestampFrequency;
    private readonly ConcurrentDictionary<object, Entry> _entries = new();
    private readonly ConcurrentDictionary<object, Reading> _reading = new();
    private readonly ConcurrentDictionary<Type[], TableSet> _tableSets = new(ReferenceEqualityComparer.Instance);
    private int _count;

    private bool Off => _maxAgeTicks == 0;

    /// <summary>Whether reads are kept at all (UNILINK_READ_CACHE_SECONDS above 0).</summary>
    public bool Enabled => !Off;

    /// <param name="key">A value (a record) naming the read and its arguments.</param>
    /// <param name="readsFrom">The entities the read touches, in a static array (resolved to tables once).</param>
    /// <remarks>
    /// Callers that miss together share one read (when an entry ages out under load, every request in flight would
    /// otherwise query the database at once), unless a write came after that read began. The shared read is not
    /// cancelled with the request that started it, so that it never fails the others.
    /// </remarks>
    public async ValueTask<T> GetOrReadAsync<T>(object key, Type[] readsFrom, Func<CancellationToken, Task<T>> read, CancellationToken ct)
    {
        if (Off) return await read(ct);
        var tables = TablesOf(readsFrom);
        if (TryGet(key, tables, out var cached)) return (T)cached!;
        if (_reading.TryGetValue(key, out var under) && writes.UnchangedSince(under.Stamp, tables)) return (T)(await under.Value.WaitAsync(ct))!;

        var (stamp, readAt) = (writes.Now, clock.GetTimestamp());
        var shared = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = new Reading(shared.Task, stamp);
        _reading[key] = reading;
        try
        {
            var value = await read(CancellationToken.None);
            if (value is not null) Keep(key, new Entry(value, stamp, readAt));
            shared.SetResult(value);
            return value;
        }
        catch (Exception e)
        {
            shared.SetException(e);
            _ = shared.Task.Exception; // observed here: nobody else may be waiting for it
            throw;
        }
        finally { _reading.TryRemove(KeyValuePair.Create(key, reading)); }
    }

    /// <summary>Values for many ids: those in memory from there, all the others read in one go (and kept).</summary>
    public async Task<Dictionary<int, T>> GetManyAsync<T>(IReadOnlyCollection<int> ids, Func<int, object> keyOf, Type[] readsFrom,
        Func<int[], CancellationToken, Task<Dictionary<int, T>>> readMissing, CancellationToken ct) where T : class
    {
        if (Off || ids.Count == 0) return ids.Count == 0 ? [] : await readMissing([.. ids], ct);
        var tables = TablesOf(readsFrom);
        var found = new Dictionary<int, T>(ids.Count);
        var missing = new List<int>();
        foreach (var id in ids)
        {
            if (TryGet(keyOf(id), tables, out var cached)) found[id] = (T)cached!;
            else missing.Add(id);
        }
        if (missing.Count == 0) return found;
        var (stamp, readAt) = (writes.Now, clock.GetTimestamp());
        foreach (var (id, value) in await readMissing([.. missing], ct))
        {
            Keep(keyOf(id), new Entry(value, stamp, readAt));
            found[id] = value;
        }
        return found;
    }

    private TableSet TablesOf(Type[] readsFrom) => _tableSets.GetOrAdd(readsFrom, writes.Of);

    private bool TryGet(object key, TableSet tables, out object? value)
    {
        var fresh = _entries.TryGetValue(key, out var entry) && writes.UnchangedSince(entry.Stamp, tables)
            && clock.GetTimestamp() - entry.ReadAt < _maxAgeTicks;
        value = fresh ? entry!.Value : null;
        return fresh;
    }

    private void Keep(object key, Entry entry)
    {
        if (!_entries.TryAdd(key, entry))
        {
            _entries[key] = entry;
            return;
        }
        if (Interlocked.Increment(ref _count) <= MaxEntries) return;
        _entries.Clear();
        Interlocked.Exchange(ref _count, 0);
    }

    /// <param name="Stamp">The <see cref="TableWrites"/> clock when the read began.</param>
    private sealed record Entry(object Value, long Stamp, long ReadAt);

    /// <summary>A read under way, which callers missing the same key meanwhile wait for.</summary>
    private sealed record Reading(Task<object?> Value, long Stamp);
}
