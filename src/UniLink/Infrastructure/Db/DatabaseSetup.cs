using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Config;

namespace UniLink.Infrastructure.Db;

public static class DatabaseSetup
{
    public static IServiceCollection AddUniLinkDatabase(this IServiceCollection services, UniLinkOptions options)
    {
        services.AddSingleton<TableWrites>();
        services.AddSingleton<WriteTracking>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ReadCache>();
        if (options.UsesPostgres)
        {
            PostgresUrl.TryToConnectionString(options.DatabaseUrl!, out var cs, out _);
            AddEngine<PostgresUniLinkDb>(services, o => o.UseNpgsql(cs).AddInterceptors(new SearchPlans()));
        }
        else
        {
            var cs = SqliteConnectionString(options.DataDir);
            AddEngine<SqliteUniLinkDb>(services, o => o.UseSqlite(cs).AddInterceptors(new SqliteBusyWait()));
        }
        return services;
    }

    // Pooled: a request's context is reset and reused instead of built anew.
    private static void AddEngine<T>(IServiceCollection services, Action<DbContextOptionsBuilder> engine) where T : UniLinkDb
    {
        services.AddPooledDbContextFactory<T>((sp, o) =>
        {
            engine(o);
            o.AddInterceptors(sp.GetRequiredService<WriteTracking>());
        });
        services.AddScoped<UniLinkDb>(sp => sp.GetRequiredService<IDbContextFactory<T>>().CreateDbContext());
        services.AddSingleton<IDbContextFactory<UniLinkDb>, Forwarding<T>>();
    }

    public static string SqliteConnectionString(string dataDir)
    {
        DataDirectory.Create(dataDir);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "unilink.db"),
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Applies migrations; SQLite is switched to WAL so readers never wait for the writer.</summary>
    public static async Task MigrateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            // For the migration that replaces stored API tokens by their hashes (PostgreSQL has sha256() built in).
            ((SqliteConnection)db.Database.GetDbConnection()).CreateFunction("unilink_token_hash", (string token) => Auth.Tokens.Hash(token));
        }
        // A migration that builds an index over a big table (the search indexes over millions of messages) takes
        // minutes, not the 30 s a request's command may.
        db.Database.SetCommandTimeout(TimeSpan.FromHours(2));
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite() && db.Database.GetDbConnection().DataSource is { Length: > 0 } file) DataDirectory.KeepPrivate(file);
    }

    private sealed class Forwarding<T>(IDbContextFactory<T> inner) : IDbContextFactory<UniLinkDb> where T : UniLinkDb
    {
        public UniLinkDb CreateDbContext() => inner.CreateDbContext();
    }
}

/// <summary>Used by <c>dotnet ef</c> only.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteUniLinkDb>
{
    public SqliteUniLinkDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteUniLinkDb>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Used by <c>dotnet ef</c> only.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresUniLinkDb>
{
    public PostgresUniLinkDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresUniLinkDb>().UseNpgsql("Host=localhost;Database=design").Options);
}
