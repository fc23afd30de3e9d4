using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Widget;

/// <summary>
/// The widget's socket with several nodes (issue 18): the visitor is connected to node A, the agent writes on node B,
/// and the reply, the typing and the status reach the visitor through the same Redis channel as the dashboards.
/// </summary>
public sealed class WidgetTwoNodesTests
{
    private static string Redis => Environment.GetEnvironmentVariable("UNILINK_TEST_REDIS") is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException("UNILINK_TEST_REDIS is not set: run the tests through ./test, which starts redis-server");

    [Fact]
    public async Task A_visitor_on_node_A_gets_the_agents_reply_typing_and_status_written_on_node_B()
    {
        var settings = new Dictionary<string, string?> { ["UNILINK_REDIS_URL"] = Redis };
        using var nodeA = new UniLinkServer(settings);
        using var nodeB = nodeA.AnotherNode();
        var account = nodeA.AccountId;
        using var adminB = nodeB.AdminClient();
        var inbox = await (await adminB.PostAsync($"/api/v1/accounts/{account}/inboxes",
            Json(new { name = "Two nodes shop", channel = new { type = "web_widget", website_url = "https://shop.example.com" } }))).ExpectAsync(HttpStatusCode.OK);
        var websiteToken = inbox!["website_token"]!.GetValue<string>();

        // The visitor talks to node A only.
        using var http = nodeA.Client();
        var config = await (await http.PostAsync($"/api/v1/widget/config?website_token={websiteToken}", null)).ExpectAsync(HttpStatusCode.OK);
        var token = config!["website_channel_config"]!["auth_token"]!.GetValue<string>();
        using var say = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/widget/messages?website_token={websiteToken}")
        {
            Content = Json(new { message = new { content = "Hello node A" } }),
        };
        say.Headers.Add("X-Auth-Token", token);
        var first = await (await http.SendAsync(say)).ExpectAsync(HttpStatusCode.OK);
        var conversation = first!["conversation_id"]!.GetValue<int>();

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(nodeA.BaseAddress) { Scheme = "ws", Path = "/widget/live" }.Uri, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { website_token = websiteToken, auth_token = token, after = first["id"]!.GetValue<int>() })),
            WebSocketMessageType.Text, true, CancellationToken.None);
        var events = new Events(socket);

        // The agent types and answers on node B. Redis subscriptions start asynchronously: type until node A relays it (bounded).
        JsonNode? typing = null;
        for (var i = 0; i < 50 && typing is null; i++)
        {
            await (await adminB.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/toggle_typing_status", Json(new { typing_status = "on" })))
                .ExpectAsync(HttpStatusCode.OK);
            typing = await events.ReceiveAsync(TimeSpan.FromMilliseconds(200));
        }
        Assert.NotNull(typing);
        Assert.Equal("conversation.typing_on", typing!["event"]!.GetValue<string>());
        await DrainAsync(events);

        await (await adminB.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages", Json(new { content = "Answered on node B" })))
            .ExpectAsync(HttpStatusCode.OK);
        var reply = await NextAsync(events, e => e["event"]!.GetValue<string>() == "message.created");
        Assert.Equal("Answered on node B", reply["data"]!["content"]!.GetValue<string>());
        Assert.Equal(conversation, reply["data"]!["conversation_id"]!.GetValue<int>());

        // A private note on node B never reaches the visitor; the resolution does.
        await (await adminB.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages", Json(new { content = "note on B", @private = true })))
            .ExpectAsync(HttpStatusCode.OK);
        await (await adminB.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/toggle_status", Json(new { status = "resolved" })))
            .ExpectAsync(HttpStatusCode.OK);
        var status = await NextAsync(events, e => e["event"]!.GetValue<string>() == "conversation.status_changed", seen =>
            Assert.DoesNotContain(seen, e => e["data"]?["content"]?.GetValue<string>() == "note on B"));
        Assert.Equal("resolved", status["data"]!["status"]!.GetValue<string>());
    }

    /// <summary>Reads the socket in the background (cancelling a receive would abort the socket); events wait in a channel.</summary>
    private sealed class Events
    {
        private readonly System.Threading.Channels.Channel<JsonNode> _events = System.Threading.Channels.Channel.CreateUnbounded<JsonNode>();

        public Events(ClientWebSocket socket) => _ = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close) break;
                    _events.Writer.TryWrite(JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count))!);
                }
            }
            catch (WebSocketException) { }
            _events.Writer.TryComplete();
        });

        public async Task<JsonNode?> ReceiveAsync(TimeSpan wait)
        {
            using var timeout = new CancellationTokenSource(wait);
            try { return await _events.Reader.ReadAsync(timeout.Token); }
            catch (OperationCanceledException) { return null; }
            catch (System.Threading.Channels.ChannelClosedException) { return null; }
        }
    }

    /// <summary>The next event that matches, within 15 s; <paramref name="check"/> sees every event read on the way.</summary>
    private static async Task<JsonNode> NextAsync(Events socket, Func<JsonNode, bool> match, Action<List<JsonNode>>? check = null)
    {
        var seen = new List<JsonNode>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (await socket.ReceiveAsync(deadline - DateTime.UtcNow) is not { } e) break;
            seen.Add(e);
            check?.Invoke(seen);
            if (match(e)) return e;
        }
        throw new TimeoutException("expected event never came; saw: " + string.Join(", ", seen.Select(e => e.ToJsonString())));
    }

    private static async Task DrainAsync(Events socket)
    {
        while (await socket.ReceiveAsync(TimeSpan.FromMilliseconds(300)) is not null) { }
    }
}
