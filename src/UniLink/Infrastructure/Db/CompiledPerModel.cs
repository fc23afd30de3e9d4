using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;

namespace UniLink.Infrastructure.Db;

/// <summary>
/// A compiled query, compiled once for each database model. EF binds a compiled query to the first model it runs
/// against, and one process can hold both engines' models (the test run does: PostgreSQL servers beside SQLite ones),
/// where a single static compiled query fails on the second engine.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : Delegate
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
