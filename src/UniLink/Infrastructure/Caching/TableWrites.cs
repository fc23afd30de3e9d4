using Microsoft.EntityFrameworkCore.Metadata;

namespace UniLink.Infrastructure.Caching;

/// <summary>
/// When each table was last written, on a clock that ticks once per committed write. A cached read taken at
/// <see cref="Now"/> is still true while none of the tables it read has been written since. Writes are recorded
/// after they commit (by <see cref="WriteTracking"/> on this node, through the <see cref="Live.LiveBus"/> from
/// other nodes), together with the tables the database changes on its own (ON DELETE CASCADE / SET NULL).
/// </summary>
public sealed class TableWrites(IServiceProvider services)
{
    private long _clock;
    // Built on first use, not in the constructor: the database's own options resolve WriteTracking, which needs this.
    private readonly Lazy<Tables> _tables = new(() => Tables.From(services.GetRequiredService<IDbContextFactory<UniLinkDb>>()));

    public long Now => Volatile.Read(ref _clock);

    /// <summary>Raised with the table names of each committed write, on this node or another (the webhook worker wakes on it); must be quick.</summary>
    public event Action<IReadOnlyCollection<string>>? Recorded;

    public bool UnchangedSince(long stamp, TableSet read)
    {
        var last = Model.LastWrite;
        foreach (var table in read.Indexes)
            if (Volatile.Read(ref last[table]) > stamp) return false;
        return true;
    }

    public TableSet Of(IReadOnlyList<Type> entities) =>
        new([.. entities.Select(e => Model.IndexOf(e)).Distinct()]);

    /// <summary>Tables named as in SQL; an unknown name (or none known) counts as a write to every table.</summary>
    public void Record(IEnumerable<string> tableNames)
    {
        if (Recorded is { } recorded)
        {
            var names = tableNames as IReadOnlyCollection<string> ?? tableNames.ToList();
            tableNames = names;
            recorded(names);
        }
        var model = Model;
        var tick = Interlocked.Increment(ref _clock);
        foreach (var name in tableNames)
        {
            if (!model.Affected.TryGetValue(name, out var affected)) affected = model.All;
            foreach (var table in affected) Advance(ref model.LastWrite[table], tick);
        }
    }

    public void RecordAll() => Record(["*"]);

    private static void Advance(ref long slot, long tick)
    {
        var seen = Volatile.Read(ref slot);
        while (seen < tick && Interlocked.CompareExchange(ref slot, tick, seen) is var was && was != seen) seen = was;
    }

    private Tables Model => _tables.Value;

    private sealed class Tables
    {
        public required Dictionary<Type, int> IndexByEntity { get; init; }
        public required Dictionary<string, int[]> Affected { get; init; }
        public required int[] All { get; init; }
        public required long[] LastWrite { get; init; }

        public int IndexOf(Type entity) => IndexByEntity.TryGetValue(entity, out var i)
            ? i : throw new ArgumentException($"{entity.Name} is not an entity of the model", nameof(entity));

        public static Tables From(IDbContextFactory<UniLinkDb> factory)
        {
            using var db = factory.CreateDbContext();
            var entities = db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null).ToList();
            var names = entities.Select(e => e.GetTableName()!).Distinct().ToList();
            var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
            var cascades = names.ToDictionary(n => n, _ => new HashSet<string>());
            foreach (var fk in entities.SelectMany(e => e.GetForeignKeys()))
                if (fk.DeleteBehavior is DeleteBehavior.Cascade or DeleteBehavior.SetNull)
                    cascades[fk.PrincipalEntityType.GetTableName()!].Add(fk.DeclaringEntityType.GetTableName()!);
            return new Tables
            {
                IndexByEntity = entities.ToDictionary(e => e.ClrType, e => index[e.GetTableName()!]),
                Affected = names.ToDictionary(n => n, n => Closure(n, cascades).Select(t => index[t]).ToArray()),
                All = [.. Enumerable.Range(0, names.Count)],
                LastWrite = new long[names.Count],
            };
        }

        private static HashSet<string> Closure(string table, Dictionary<string, HashSet<string>> cascades)
        {
            var seen = new HashSet<string> { table };
            var next = new Queue<string>([table]);
            while (next.TryDequeue(out var t))
                foreach (var dependent in cascades[t])
                    if (seen.Add(dependent)) next.Enqueue(dependent);
            return seen;
        }
    }
}

/// <summary>The tables a cached read depends on, as indexes into <see cref="TableWrites"/>.</summary>
public sealed record TableSet(int[] Indexes);
