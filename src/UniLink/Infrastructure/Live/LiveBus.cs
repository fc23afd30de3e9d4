using System.Collections.Concurrent;
using System.Text.Json;
using StackExchange.Redis;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Config;

namespace UniLink.Infrastructure.Live;

/// <summary>A small fact published after a write has committed: what changed, in which account.</summary>
/// <param name="WhoType">the sender type of <paramref name="Who"/> (<c>Contact</c>, <c>User</c>, <c>AgentBot</c>) for typing events,
/// so that a visitor's widget shows agents typing and not the visitor themselves; <c>User</c> on <see cref="ConversationSeen"/>
/// when an agent read the conversation (the visitor's widget shows it).</param>
public sealed record LiveEvent(int AccountId, string Kind, int? ConversationDisplayId = null, string? Who = null, string? WhoType = null)
{
    /// <summary>Someone started or stopped typing in the conversation; <see cref="Who"/> names them as the dashboard shows it.</summary>
    public const string TypingOn = "conversation.typing_on";
    public const string TypingOff = "conversation.typing_off";
    public const string ConversationChanged = "conversation.changed";
    /// <summary>Only the conversation's last-seen times changed (an agent read it): its unread count, nothing an agent sees in it.</summary>
    public const string ConversationSeen = "conversation.seen";
    public const string MessageCreated = "message.created";
    public const string ContactChanged = "contact.changed";
    public const string DashboardAppsChanged = "dashboard_apps.changed";
    public const string CustomAttributesChanged = "custom_attributes.changed";
    public const string LabelsChanged = "labels.changed";
    public const string AgentsChanged = "agents.changed";
    public const string TeamsChanged = "teams.changed";
    public const string CannedResponsesChanged = "canned_responses.changed";
}

/// <summary>
/// Delivers <see cref="LiveEvent"/>s to the subscribers of an account (Blazor circuits). On one node the
/// delivery is in-process; with UNILINK_REDIS_URL every event goes through one Redis pub/sub channel, so a
/// write on any node reaches the dashboards on every node. Handlers run outside the publisher's request;
/// a failing handler, or Redis being away, never fails the write.
/// </summary>
public sealed class LiveBus : IAsyncDisposable
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("unilink:live");
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Guid, Subscriber>> _subscribers = new();
    private readonly ILogger<LiveBus> _logger;
    private readonly ConnectionMultiplexer? _redis;

    private readonly TableWrites _writes;
    private readonly string _node = Guid.NewGuid().ToString("N");

    public LiveBus(ILogger<LiveBus> logger, UniLinkOptions options, TableWrites writes)
    {
        _logger = logger;
        _writes = writes;
        if (options.RedisUrl is null) return;
        var config = ConfigurationOptions.Parse(RedisConfiguration(options.RedisUrl));
        config.AbortOnConnectFail = false;
        _redis = ConnectionMultiplexer.Connect(config);
        // One channel, handled in order: a write's tables always arrive before the events it caused, so a
        // dashboard reacting to an event never reads what this node cached before that write.
        _redis.GetSubscriber().Subscribe(Channel).OnMessage(message => Receive(message.Message.ToString()));
    }

    private void Receive(string json)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>(json);
            if (envelope?.Tables is { } tables && envelope.Node != _node) _writes.Record(tables);
            if (envelope?.Event is { } e) Deliver(e);
        }
        catch (JsonException ex) { _logger.LogWarning(ex, "Ignored a malformed live message"); }
    }

    /// <summary>Tells the other nodes which tables this node has written (this node has recorded them already).</summary>
    public void PublishWrites(IReadOnlyCollection<string> tables)
    {
        if (_redis is null) return;
        _redis.GetSubscriber().Publish(Channel, JsonSerializer.Serialize(new Envelope(_node, Tables: tables)), CommandFlags.FireAndForget);
    }

    private sealed record Envelope(string Node, LiveEvent? Event = null, IReadOnlyCollection<string>? Tables = null);

    /// <summary>Accepts <c>redis://[:password@]host:port</c> as well as StackExchange's own syntax.</summary>
    internal static string RedisConfiguration(string url)
    {
        if (!url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase)) return url;
        var uri = new Uri(url);
        var config = $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}";
        var password = uri.UserInfo.Split(':', 2) is [_, var p] ? Uri.UnescapeDataString(p) : null;
        return password is null ? config : $"{config},password={password}";
    }

    /// <param name="wants">
    /// Asked on the publishing thread, so it must be quick: only events it accepts cost the subscriber a turn on the
    /// thread pool (with hundreds of dashboards open, one work item each per event delayed everything else).
    /// </param>
    public IDisposable Subscribe(int accountId, Func<LiveEvent, Task> handler, Func<LiveEvent, bool>? wants = null)
    {
        var id = Guid.NewGuid();
        _subscribers.GetOrAdd(accountId, _ => new()).TryAdd(id, new Subscriber(handler, wants));
        return new Subscription(() =>
        {
            if (_subscribers.TryGetValue(accountId, out var handlers)) handlers.TryRemove(id, out _);
        });
    }

    public void Publish(LiveEvent e)
    {
        if (_redis is null)
        {
            Deliver(e);
            return;
        }
        // Through Redis only: this node receives its own events back like every other node.
        _redis.GetSubscriber().Publish(Channel, JsonSerializer.Serialize(new Envelope(_node, Event: e)), CommandFlags.FireAndForget);
    }

    private void Deliver(LiveEvent e)
    {
        if (!_subscribers.TryGetValue(e.AccountId, out var handlers)) return;
        foreach (var (handler, wants) in handlers.Values)
        {
            if (wants is not null && !wants(e)) continue;
            _ = Task.Run(async () =>
            {
                try { await handler(e); }
                catch (Exception ex) { _logger.LogWarning(ex, "Live subscriber failed on {Kind}", e.Kind); }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null) await _redis.DisposeAsync();
    }

    private sealed record Subscriber(Func<LiveEvent, Task> Handler, Func<LiveEvent, bool>? Wants);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
