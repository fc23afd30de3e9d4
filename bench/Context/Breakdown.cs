using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UniLink.Features.Conversations;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Infrastructure.Db;

namespace UniLink.Bench.Context;

/// <summary><c>--breakdown</c>: where the time goes (building vs serialising), for finding what to fix.</summary>
public static class Breakdown
{
    public static async Task RunAsync(Seed seed, IReadOnlyList<int> sizes)
    {
        foreach (var size in sizes)
        {
            var displayId = seed.Conversations[size];
            await using var setup = seed.Services.CreateAsyncScope();
            var db0 = setup.ServiceProvider.GetRequiredService<UniLinkDb>();
            var id = await db0.Conversations.Where(c => c.DisplayId == displayId).Select(c => c.Id).SingleAsync();
            var loaded = await db0.Messages.AsNoTracking().Where(m => m.ConversationId == id).OrderBy(m => m.Id).ToListAsync();
            double find = 0, json = 0, build = 0, serialize = 0;
            const int runs = 30;
            for (var i = -5; i < runs; i++)
            {
                await using var scope = seed.Services.CreateAsyncScope();
                var reader = scope.ServiceProvider.GetRequiredService<ConversationReader>();
                var t = Stopwatch.StartNew();
                var c = await reader.FindAsync(seed.AccountId, displayId);
                var t1 = t.Elapsed.TotalMilliseconds;
                await reader.ToJsonWithMessagesAsync(c!, loaded, true);
                var t2 = t.Elapsed.TotalMilliseconds;
                await using var scope2 = seed.Services.CreateAsyncScope();
                t.Restart();
                var data = await scope2.ServiceProvider.GetRequiredService<AppContextBuilder>()
                    .BuildAsync(seed.AccountId, displayId, seed.AgentId, loaded, true, "light");
                var t3 = t.Elapsed.TotalMilliseconds;
                AppContextMessage.Of(data!).SerializeToUtf8Bytes();
                var t4 = t.Elapsed.TotalMilliseconds - t3;
                if (i < 0) continue;
                find += t1; json += t2 - t1; build += t3; serialize += t4;
            }
            {
                await using var scope = seed.Services.CreateAsyncScope();
                var data = await scope.ServiceProvider.GetRequiredService<AppContextBuilder>()
                    .BuildAsync(seed.AccountId, displayId, seed.AgentId, loaded, true, "light");
                double parse = 0, msgs = 0, msgsNoSender = 0, msgsBytes = 0;
                var noSender = data!.Conversation.Messages.Select(m => m with { Sender = null, ContentAttributes = [] }).ToList();
                for (var i = -3; i < 20; i++)
                {
                    var t = Stopwatch.StartNew();
                    foreach (var m in loaded) UniLink.Infrastructure.Http.JsonText.Object(m.ContentAttributes);
                    var a = t.Elapsed.TotalMilliseconds; t.Restart();
                    System.Text.Json.JsonSerializer.Serialize(data.Conversation.Messages, UniLink.Infrastructure.Http.WireJson.Options);
                    var b = t.Elapsed.TotalMilliseconds; t.Restart();
                    System.Text.Json.JsonSerializer.Serialize(noSender, UniLink.Infrastructure.Http.WireJson.Options);
                    var c = t.Elapsed.TotalMilliseconds; t.Restart();
                    System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(data.Conversation.Messages, UniLink.Infrastructure.Http.WireJson.Options);
                    var d = t.Elapsed.TotalMilliseconds;
                    if (i < 0) continue;
                    parse += a; msgs += b; msgsNoSender += c; msgsBytes += d;
                }
                Console.WriteLine($"        parse {parse / 20:0.000} ms, messages {msgs / 20:0.000} ms, no sender/attrs {msgsNoSender / 20:0.000} ms, utf8 {msgsBytes / 20:0.000} ms");
            }
            Console.WriteLine($"{size,6}: find {find / runs:0.000} ms, ToJsonWithMessages {json / runs:0.000} ms, build {build / runs:0.000} ms, serialize {serialize / runs:0.000} ms");
        }
    }
}
