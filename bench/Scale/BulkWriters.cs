using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace UniLink.Bench.Scale;

/// <summary>Writes rows into one table at a time, as fast as the engine takes them.</summary>
public interface IBulkWriter
{
    Task BeginAsync(string table, (string Name, NpgsqlDbType Type)[] columns);
    void Row(params object?[] values);
    Task EndAsync();
}

/// <summary>PostgreSQL: binary COPY.</summary>
public sealed class PostgresBulkWriter(NpgsqlConnection connection) : IBulkWriter
{
    private NpgsqlBinaryImporter? _importer;
    private (string Name, NpgsqlDbType Type)[] _columns = [];

    public async Task BeginAsync(string table, (string Name, NpgsqlDbType Type)[] columns)
    {
        _columns = columns;
        _importer = await connection.BeginBinaryImportAsync(
            $"""COPY "{table}" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)""");
        _importer.Timeout = TimeSpan.FromHours(1); // the indexes are brought up to date when the copy completes: minutes, not 30 s
    }

    public void Row(params object?[] values)
    {
        _importer!.StartRow();
        for (var i = 0; i < values.Length; i++)
        {
            var (_, type) = _columns[i];
            if (values[i] is null) _importer.WriteNull();
            else if (type == NpgsqlDbType.Uuid) _importer.Write(Guid.Parse((string)values[i]!), type);
            else _importer.Write(values[i], type);
        }
    }

    public async Task EndAsync()
    {
        await _importer!.CompleteAsync();
        await _importer.DisposeAsync();
        _importer = null;
    }
}

/// <summary>SQLite: one prepared INSERT in a transaction, committed every 200,000 rows.</summary>
public sealed class SqliteBulkWriter(SqliteConnection connection) : IBulkWriter
{
    private SqliteTransaction? _transaction;
    private SqliteCommand? _insert;
    private int _rows;

    public Task BeginAsync(string table, (string Name, NpgsqlDbType Type)[] columns)
    {
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = OFF";
            pragma.ExecuteNonQuery();
        }
        _transaction = connection.BeginTransaction();
        _insert = connection.CreateCommand();
        _insert.Transaction = _transaction;
        _insert.CommandText = $"""INSERT INTO "{table}" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})""";
        for (var i = 0; i < columns.Length; i++) _insert.Parameters.Add(new SqliteParameter($"$p{i}", null));
        _insert.Prepare();
        return Task.CompletedTask;
    }

    public void Row(params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            _insert!.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                // As EF Core stores them: GUIDs as upper-case text, times as "yyyy-MM-dd HH:mm:ss.FFFFFFF".
                string s when _insert.CommandText.Contains("\"Uuid\"") && i == 3 => s.ToUpperInvariant(),
                DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
                var v => v,
            };
        _insert!.ExecuteNonQuery();
        if (++_rows % 200_000 == 0)
        {
            _transaction!.Commit();
            _transaction = connection.BeginTransaction();
            _insert.Transaction = _transaction;
        }
    }

    public Task EndAsync()
    {
        _transaction!.Commit();
        _insert!.Dispose();
        _transaction.Dispose();
        return Task.CompletedTask;
    }
}
