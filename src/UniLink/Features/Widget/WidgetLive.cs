using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using UniLink.Features.Attachments;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Widget;

/// <summary>
/// The visitor's WebSocket (<c>/widget/live</c>): agents' replies and typing reach the widget at once. The first
/// frame names the visitor (<c>{website_token, auth_token, after}</c> — never in the URL, which logs keep); the socket
/// then follows the live bus of the inbox's account, so with several nodes it hears every node through the same
/// Redis channel as the dashboards. It sends only the visitor's own conversations' public messages (never private
/// notes), the messages after <c>after</c> first, so a reconnecting widget misses nothing; and how far agents have read
/// them (<c>conversation.read</c>), at once when an agent opens the conversation.
/// </summary>
public sealed class WidgetLive(LiveBus bus, IServiceScopeFactory scopes, ILogger<WidgetLive> logger)
{
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = "A WebSocket request is expected" }, WireJson.Options);
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = false });
        using var hello = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        hello.CancelAfter(HelloTimeout);
        Session? session = null;
        try
        {
            if (await ReceiveAsync(socket, hello.Token) is { } first) session = await OpenAsync(socket, first, context.RequestAborted);
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { return; }
        if (session is null)
        {
            await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, "unknown visitor");
            return;
        }
        using var subscription = bus.Subscribe(session.AccountId, session.OnEventAsync, session.Wants);
        await session.CatchUpAsync();
        await session.SendReadAsync();
        try
        {
            while (await ReceiveAsync(socket, context.RequestAborted) is { } frame)
                if (frame["command"]?.GetValue<string>() == "refresh") await session.RefreshAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or JsonException or InvalidOperationException) { }
        await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "bye");
    }

    private async Task<Session?> OpenAsync(WebSocket socket, JsonObject hello, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var visitors = scope.ServiceProvider.GetRequiredService<WidgetVisitors>();
        var websiteToken = (hello["website_token"] as JsonValue)?.GetValue<string>();
        var authToken = (hello["auth_token"] as JsonValue)?.GetValue<string>();
        if (await visitors.WebsiteAsync(websiteToken, ct) is not { } inbox || await visitors.VisitorAsync(inbox, authToken, ct) is not { } visitor) return null;
        var after = hello["after"] is JsonValue v && v.TryGetValue<int>(out var a) ? a : 0;
        var session = new Session(socket, visitor, after, scopes, logger);
        await session.RefreshAsync(catchUp: false);
        return session;
    }

    private static async Task<JsonObject?> ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            length += result.Count;
            if (result.EndOfMessage) break;
            if (length == buffer.Length) return null; // a visitor has nothing this long to say here
        }
        return JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, length)) as JsonObject;
    }

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseAsync(status, reason, CancellationToken.None);
        }
        catch (WebSocketException) { }
    }

    /// <summary>One visitor's connection: which conversations are theirs, what was sent, one send at a time.</summary>
    private sealed class Session(WebSocket socket, Visitor visitor, int after, IServiceScopeFactory scopes, ILogger logger)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private volatile HashSet<int> _displayIds = [];
        /// <summary>The visitor's conversations' keys by display id, as last read: a new message in one of them needs no read of them.</summary>
        private volatile Dictionary<int, int> _ids = [];
        private int _lastSent = after;
        public int AccountId => visitor.Inbox.AccountId;

        /// <summary>On the publishing thread: a look-up, so the account's other events cost this visitor nothing.</summary>
        public bool Wants(LiveEvent e) => e.ConversationDisplayId is { } id && _displayIds.Contains(id)
            && (e.Kind is LiveEvent.MessageCreated or LiveEvent.ConversationChanged or LiveEvent.TypingOn or LiveEvent.TypingOff
                || (e.Kind == LiveEvent.ConversationSeen && e.WhoType == SenderTypes.User));

        public async Task OnEventAsync(LiveEvent e)
        {
            if (e.Kind == LiveEvent.ConversationSeen)
            {
                await SendReadAsync(e.ConversationDisplayId);
                return;
            }
            if (e.Kind is LiveEvent.TypingOn or LiveEvent.TypingOff)
            {
                // The visitor's own typing is theirs to know; agents' (and bots') typing is shown.
                if (e.WhoType == SenderTypes.Contact) return;
                await SendAsync(new JsonObject
                {
                    ["event"] = e.Kind == LiveEvent.TypingOn ? "conversation.typing_on" : "conversation.typing_off",
                    ["data"] = new JsonObject { ["conversation_id"] = e.ConversationDisplayId, ["user"] = new JsonObject { ["name"] = e.Who } },
                });
                return;
            }
            await CatchUpAsync(e.Kind == LiveEvent.ConversationChanged ? e.ConversationDisplayId : null);
        }

        /// <summary>Re-reads the visitor's conversations (the widget asks after it started one) and sends what is new.</summary>
        public async Task RefreshAsync(bool catchUp = true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
            var ids = await db.Conversations.AsNoTracking().Where(c => c.ContactInboxId == visitor.Link.Id).ToDictionaryAsync(c => c.DisplayId, c => c.Id);
            _ids = ids;
            _displayIds = [.. ids.Keys];
            if (catchUp) await CatchUpAsync();
        }

        /// <summary>Sends every public message of the visitor's conversations after the last one sent, oldest first.</summary>
        public async Task CatchUpAsync(int? changedDisplayId = null)
        {
            await _gate.WaitAsync();
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
                // A new message (the busy case) in conversations already known: their keys as read before. A conversation's
                // change (its status is sent) or a visitor without one yet: read them now.
                var known = _ids;
                var conversations = changedDisplayId is null && known.Count > 0
                    ? known.Select(c => (Id: c.Value, DisplayId: c.Key, Status: (ConversationStatus?)null)).ToList()
                    : (await db.Conversations.AsNoTracking().Where(c => c.ContactInboxId == visitor.Link.Id)
                        .Select(c => new { c.Id, c.DisplayId, c.Status }).ToListAsync()).Select(c => (c.Id, c.DisplayId, Status: (ConversationStatus?)c.Status)).ToList();
                var ids = conversations.Select(c => c.Id).ToList();
                var messages = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.ConversationId) && !m.Private && m.Id > _lastSent)
                    .OrderBy(m => m.Id).Take(200).ToListAsync();
                var senders = await MessageSenders.LoadAsync(db, scope.ServiceProvider.GetRequiredService<ReadCache>(),
                    scope.ServiceProvider.GetRequiredService<AttachmentLinks>(), messages);
                var displayIds = conversations.ToDictionary(c => c.Id, c => c.DisplayId);
                foreach (var m in messages)
                {
                    await SendLockedAsync(new { @event = "message.created", data = senders.ToJson(m, displayIds[m.ConversationId]) });
                    _lastSent = m.Id;
                }
                if (changedDisplayId is { } changed && conversations.FirstOrDefault(c => c.DisplayId == changed) is { Status: { } status } c)
                    await SendLockedAsync(new { @event = "conversation.status_changed", data = new { id = c.DisplayId, status = ConversationReader.StatusName(status) } });
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                logger.LogDebug(ex, "A widget connection went away while sending");
            }
            finally { _gate.Release(); }
        }

        /// <summary>
        /// How far agents have read the visitor's conversation (one, or each of them when the socket opens):
        /// <c>conversation.read</c> with <c>agent_last_seen_at</c> and the newest of the visitor's messages it covers,
        /// so the widget shows "Read" under it. Nothing for a conversation no agent has opened.
        /// </summary>
        public async Task SendReadAsync(int? displayId = null)
        {
            await _gate.WaitAsync();
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<UniLinkDb>();
                var read = await db.Conversations.AsNoTracking()
                    .Where(c => c.ContactInboxId == visitor.Link.Id && c.AgentLastSeenAt != null && (displayId == null || c.DisplayId == displayId))
                    .Select(c => new
                    {
                        c.DisplayId, c.AgentLastSeenAt,
                        LastRead = c.Messages.Where(m => m.MessageType == MessageType.Incoming && !m.Private && m.CreatedAt <= c.AgentLastSeenAt)
                            .Max(m => (int?)m.Id),
                    }).ToListAsync();
                foreach (var c in read)
                    await SendLockedAsync(new
                    {
                        @event = "conversation.read",
                        data = new { id = c.DisplayId, agent_last_seen_at = UnixTime.SecondsOrZero(c.AgentLastSeenAt), last_read_message_id = c.LastRead },
                    });
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                logger.LogDebug(ex, "A widget connection went away while sending");
            }
            finally { _gate.Release(); }
        }

        private async Task SendAsync(object payload)
        {
            await _gate.WaitAsync();
            try { await SendLockedAsync(payload); }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException) { }
            finally { _gate.Release(); }
        }

        private Task SendLockedAsync(object payload)
        {
            if (socket.State != WebSocketState.Open) return Task.CompletedTask;
            var bytes = JsonSerializer.SerializeToUtf8Bytes(payload, WireJson.Options);
            return socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }
}
