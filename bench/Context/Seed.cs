using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UniLink.Features.Agents;
using UniLink.Features.Conversations;
using UniLink.Features.Messages;
using UniLink.Infrastructure;
using UniLink.Infrastructure.Config;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Live;
using UniLink.Infrastructure.Seeding;

namespace UniLink.Bench.Context;

/// <summary>
/// A real SQLite database in a temp folder, migrated and seeded through the app's own services (bootstrap with
/// demo data, ConversationService, MessageService), with one conversation per size.
/// </summary>
public sealed class Seed : IAsyncDisposable
{
    public required ServiceProvider Services { get; init; }
    public required string DataDir { get; init; }
    public required int AccountId { get; init; }
    public required int AgentId { get; init; }
    /// <summary>Display id of the conversation holding that many messages.</summary>
    public required Dictionary<int, int> Conversations { get; init; }

    public static async Task<Seed> CreateAsync(IReadOnlyList<int> sizes)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"unilink-bench-context-{Guid.NewGuid():N}");
        var options = new UniLinkOptions { DataDir = dataDir, Demo = true, AdminPassword = "bench-password" };
        var services = new ServiceCollection()
            .AddLogging()
            // Attachment links are signed (AttachmentLinks); the host adds data protection, so the bench does too.
            .AddDataProtection().Services
            .AddSingleton<Microsoft.AspNetCore.Hosting.Server.IServer, NoServer>()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(options)
            .AddSingleton<LiveBus>()
            .AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>()
            .AddUniLinkDatabase(options)
            .AddUniLinkFeatures()
            .BuildServiceProvider();
        await DatabaseSetup.MigrateAsync(services);
        await Bootstrap.RunAsync(services, options);

        int accountId, agentId, inboxId, contactId;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
            var admin = await db.Users.SingleAsync(u => u.Email == options.AdminEmail);
            agentId = admin.Id;
            accountId = await db.AccountUsers.Where(m => m.UserId == agentId).Select(m => m.AccountId).FirstAsync();
            inboxId = await db.Inboxes.Where(i => i.AccountId == accountId).OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
            contactId = await db.Contacts.Where(c => c.AccountId == accountId).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        }

        var conversations = new Dictionary<int, int>();
        foreach (var size in sizes)
        {
            Conversation conversation;
            await using (var scope = services.CreateAsyncScope())
            {
                conversation = await scope.ServiceProvider.GetRequiredService<ConversationService>()
                    .CreateAsync(accountId, new NewConversation(inboxId, contactId), Actor.Agent(agentId, "Administrator"));
            }
            conversations[size] = conversation.DisplayId;
            // A fresh scope every few hundred writes keeps the change tracker small.
            for (var written = 0; written < size; written += 250)
            {
                await using var scope = services.CreateAsyncScope();
                var messages = scope.ServiceProvider.GetRequiredService<MessageService>();
                for (var i = written; i < Math.Min(size, written + 250); i++)
                {
                    var incoming = i % 2 == 0;
                    await messages.CreateAsync(conversation,
                        new MessageDraft(incoming
                                ? $"Hello, this is message {i}: my order #{1000 + i} has not arrived yet, could you check?"
                                : $"Thanks for your patience — reply {i}: I have looked at order #{1000 + i} and it ships today.",
                            incoming ? MessageType.Incoming : MessageType.Outgoing),
                        incoming ? new Actor("Contact", SenderTypes.Contact, contactId) : Actor.Agent(agentId, "Administrator"));
                }
            }
        }
        return new Seed { Services = services, DataDir = dataDir, AccountId = accountId, AgentId = agentId, Conversations = conversations };
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The links services build ask the host's server for its address; the bench runs none, so it names a fixed one.</summary>
internal sealed class NoServer : Microsoft.AspNetCore.Hosting.Server.IServer
{
    public NoServer()
    {
        var addresses = new Microsoft.AspNetCore.Hosting.Server.Features.ServerAddressesFeature();
        addresses.Addresses.Add("http://127.0.0.1:3000");
        Features.Set<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>(addresses);
    }

    public Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();

    public Task StartAsync<TContext>(Microsoft.AspNetCore.Hosting.Server.IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() { }
}
