using Microsoft.Extensions.DependencyInjection;
using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Db;

namespace UniLink.Bench.Context;

/// <summary>
/// What an agent's open conversation does for its apps: AppContextBuilder (its queries included) plus the
/// serialised <c>appContext</c> message, with every message of the conversation loaded in the agent's view.
/// </summary>
[MemoryDiagnoser]
public class AppContextBenchmarks
{
    /// <summary>Set by Program before the run (the benchmarks run in-process).</summary>
    public static Seed Seed { get; set; } = null!;

    [Params(100, 1_000, 10_000)]
    public int Messages { get; set; }

    private int _displayId;
    private List<Message> _loaded = [];

    [GlobalSetup]
    public void Setup()
    {
        _displayId = Seed.Conversations[Messages];
        using var scope = Seed.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
        var conversationId = db.Conversations.Where(c => c.AccountId == Seed.AccountId && c.DisplayId == _displayId).Select(c => c.Id).Single();
        _loaded = db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId).OrderBy(m => m.Id).ToList();
        if (_loaded.Count != Messages) throw new InvalidOperationException($"expected {Messages} messages, found {_loaded.Count}");
    }

    /// <summary>
    /// As after a new message, the reason a context is rebuilt: MessageService writes the conversation and its
    /// messages, so those are read again; what no write touched (the agent, attribute definitions, senders, the
    /// assignee's role) comes from the read cache, as it does in the server.
    /// </summary>
    [Benchmark]
    public async Task<byte[]> BuildAndSerialize()
    {
        Seed.Services.GetRequiredService<TableWrites>().Record(["Conversations", "Messages"]);
        await using var scope = Seed.Services.CreateAsyncScope();
        var data = await scope.ServiceProvider.GetRequiredService<AppContextBuilder>()
            .BuildAsync(Seed.AccountId, _displayId, Seed.AgentId, _loaded, allMessagesLoaded: true, "light");
        return AppContextMessage.Of(data!).SerializeToUtf8Bytes(); // as it is sent to the browser
    }
}
