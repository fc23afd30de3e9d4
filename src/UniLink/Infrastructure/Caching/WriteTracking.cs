using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;
using UniLink.Infrastructure.Live;

namespace UniLink.Infrastructure.Caching;

/// <summary>
/// Sees every command EF Core sends and records the tables an INSERT, UPDATE or DELETE wrote in
/// <see cref="TableWrites"/> once the write has committed: at once outside a transaction, at the commit inside one
/// (a rollback records nothing). Other nodes learn of it through the <see cref="LiveBus"/>.
/// </summary>
public sealed partial class WriteTracking(TableWrites writes, LiveBus bus) : DbCommandInterceptor, IDbTransactionInterceptor, ISaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbTransaction, HashSet<string>> _pending = new();
    private readonly ConditionalWeakTable<DbContext, HashSet<string>> _savingIn = new();

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Written(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Written(command);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Written(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Written(command);
        return ValueTask.FromResult(result);
    }

    // INSERT … RETURNING (SaveChanges on both engines) is read through a data reader, and outside a transaction
    // SQLite commits it only when the statement is finished: it is recorded once SaveChanges is over.
    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Written(command, eventData.Context);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Written(command, eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SaveChangesOver(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        SaveChangesOver(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => SaveChangesOver(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesOver(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A statement that writes and is read through a data reader outside SaveChanges and outside a transaction (a data
    /// modifying <c>WITH … RETURNING</c>) has been read to its end, so committed: what it wrote is recorded now.
    /// </summary>
    public void StatementOver(DbContext context) => SaveChangesOver(context);

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _pending.Remove(transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _pending.Remove(transaction);
        return Task.CompletedTask;
    }

    private void Written(DbCommand command, DbContext? readBy = null)
    {
        var tables = TablesWritten(command.CommandText);
        if (tables.Count == 0) return;
        if (command.Transaction is { } transaction) Hold(_pending.GetValue(transaction, _ => []), tables);
        else if (readBy is not null) Hold(_savingIn.GetValue(readBy, _ => []), tables);
        else Record(tables);
    }

    private static void Hold(HashSet<string> pending, IReadOnlyCollection<string> tables)
    {
        lock (pending) pending.UnionWith(tables);
    }

    private void Committed(DbTransaction transaction)
    {
        if (!_pending.TryGetValue(transaction, out var tables)) return;
        _pending.Remove(transaction);
        Record(tables);
    }

    private void SaveChangesOver(DbContext? context)
    {
        if (context is null || !_savingIn.TryGetValue(context, out var tables)) return;
        _savingIn.Remove(context);
        Record(tables);
    }

    private void Record(IReadOnlyCollection<string> tables)
    {
        writes.Record(tables);
        bus.PublishWrites(tables);
    }

    internal static IReadOnlyCollection<string> TablesWritten(string sql)
    {
        if (!sql.Contains("INSERT", StringComparison.Ordinal) && !sql.Contains("UPDATE", StringComparison.Ordinal)
            && !sql.Contains("DELETE", StringComparison.Ordinal)) return [];
        var tables = new HashSet<string>();
        foreach (Match m in WriteStatement().Matches(sql)) tables.Add(m.Groups[1].Value);
        return tables;
    }

    // EF Core quotes every table name on both engines. A name that is not a table (e.g. ON CONFLICT DO UPDATE SET)
    // counts as a write to every table in TableWrites.
    [GeneratedRegex("""\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?""")]
    private static partial Regex WriteStatement();
}
