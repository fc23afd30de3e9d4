using System.Data.Common;
using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using UniLink.Bench.Scale;
using UniLink.Features.Accounts;
using UniLink.Features.Agents;
using UniLink.Infrastructure;
using UniLink.Infrastructure.Config;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Live;

// Usage: Scale <data dir> [postgres://… database url]
// Into a database that UniLink has migrated and started on once (administrator, account, demo data), writes the big data
// set with bulk inserts (PostgreSQL COPY; SQLite prepared inserts in one transaction). Seeded: the same
// arguments always give the same rows. Does nothing when the database already holds the data set.
var dataDir = args.ElementAtOrDefault(0) ?? throw new ArgumentException("usage: Scale <data dir> [database url]");
var databaseUrl = args.ElementAtOrDefault(1) is { Length: > 0 } u ? u : null;
var shape = Shape.FromEnvironment();
var options = new UniLinkOptions
{
    DataDir = dataDir, DatabaseUrl = databaseUrl, Demo = true, AdminPassword = "bench-password",
    AdminToken = "bench-token-0123456789abcdef",
};
Directory.CreateDirectory(dataDir);
await using var services = new ServiceCollection()
    .AddLogging()
    .AddSingleton(options)
    .AddSingleton<LiveBus>()
    .AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>()
    .AddUniLinkDatabase(options)
    .AddUniLinkFeatures()
    .BuildServiceProvider();
var clock = Stopwatch.StartNew();
// The schema, the administrator, the account and the demo data come from a start of the UniLink build being
// measured (bench/scale does that first), so the data set is written into that build's own schema.

await using var scope = services.CreateAsyncScope();
var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
var account = await db.Accounts.OrderBy(a => a.Id).FirstAsync();
if (await db.Conversations.CountAsync() >= shape.Conversations && await db.Messages.CountAsync() >= shape.Messages * 9L / 10)
{
    Console.WriteLine($"already generated ({await db.Conversations.CountAsync():N0} conversations)");
    WriteInfo(account.LastConversationDisplayId - shape.Conversations);
    return;
}
// A team: the demo's two users and 18 more agents.
var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>();
var now = DateTime.UtcNow;
for (var i = 1; i <= 18; i++)
{
    var user = new User { Name = $"{Vocabulary.FirstNames[i * 7 % Vocabulary.FirstNames.Length]} {Vocabulary.LastNames[i * 11 % Vocabulary.LastNames.Length]}",
        DisplayName = Vocabulary.FirstNames[i * 7 % Vocabulary.FirstNames.Length], Email = $"agent{i}@scale.example", AccessTokenHash = UniLink.Infrastructure.Auth.Tokens.Hash($"bench-agent-token-{i:D4}-0123456789"), CreatedAt = now, UpdatedAt = now };
    user.PasswordHash = hasher.HashPassword(user, "agent-password");
    db.Users.Add(user);
    db.AccountUsers.Add(new AccountUser { AccountId = account.Id, User = user, Role = Roles.Agent, CreatedAt = now });
}
await db.SaveChangesAsync();
var agents = await db.AccountUsers.Where(m => m.AccountId == account.Id).Select(m => m.UserId).OrderBy(id => id).ToArrayAsync();
var inboxes = await db.Inboxes.Where(i => i.AccountId == account.Id).Select(i => i.Id).OrderBy(id => id).ToArrayAsync();
var labels = await db.Labels.Where(l => l.AccountId == account.Id).Select(l => l.Title).OrderBy(t => t).ToArrayAsync();
var connection = db.Database.GetDbConnection();
await connection.OpenAsync();
var generator = new Generator(shape, account.Id, agents, inboxes, labels, now,
    await MaxIdAsync(connection, "Contacts"), await MaxIdAsync(connection, "ContactInboxes"),
    await MaxIdAsync(connection, "Conversations"), await MaxIdAsync(connection, "Messages"),
    await db.Accounts.Where(a => a.Id == account.Id).Select(a => a.LastConversationDisplayId).FirstAsync());
IBulkWriter writer = connection is NpgsqlConnection pg ? new PostgresBulkWriter(pg) : new SqliteBulkWriter((SqliteConnection)connection);
await generator.WriteAsync(writer);
await using (var command = connection.CreateCommand())
{
    command.CommandText = $"""UPDATE "Accounts" SET "LastConversationDisplayId" = {generator.LastDisplayId} WHERE "Id" = {account.Id}""";
    await command.ExecuteNonQueryAsync();
}
if (connection is NpgsqlConnection)
{
    foreach (var table in new[] { "Contacts", "ContactInboxes", "Conversations", "Messages" })
        await ExecuteAsync(connection, $"""SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), (SELECT max("Id") FROM "{table}"))""");
    await ExecuteAsync(connection, "ANALYZE");
}
else
{
    await ExecuteAsync(connection, "ANALYZE");
}
WriteInfo(generator.LastDisplayId - shape.Conversations);
Console.WriteLine($"generated {shape.Conversations:N0} conversations, {generator.MessagesWritten:N0} messages, {shape.Contacts:N0} contacts in {clock.Elapsed.TotalSeconds:N0} s");

static async Task<int> MaxIdAsync(DbConnection connection, string table)
{
    await using var command = connection.CreateCommand();
    command.CommandText = $"""SELECT COALESCE(MAX("Id"), 0) FROM "{table}" """;
    return Convert.ToInt32(await command.ExecuteScalarAsync());
}

static async Task ExecuteAsync(DbConnection connection, string sql)
{
    await using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.CommandTimeout = 0;
    await command.ExecuteNonQueryAsync();
}

// What the harness asks for, as shell variables in <data dir>/scale.env.
void WriteInfo(int displayIdBase)
{
    var longIds = Generator.LongIndexes(shape).Select(i => displayIdBase + i + 1).ToList();
    File.WriteAllText(Path.Combine(dataDir, "scale.env"), $"""
        scale_long_old={longIds[0]}
        scale_long_open={longIds[^1]}
        scale_normal={displayIdBase + shape.Conversations - 100}
        scale_rare_word={Vocabulary.Words[^100]}
        scale_common_word=refund

        """);
}
