using Microsoft.EntityFrameworkCore;
using UniLink.Features.Agents;
using UniLink.Features.Contacts;
using UniLink.Infrastructure.Caching;
using UniLink.Infrastructure.Db;

namespace UniLink.Features.Messages;

/// <summary>The senders of a batch of messages, mapped to their wire shapes.</summary>
public sealed class MessageSenders
{
    private readonly Dictionary<int, ContactSenderJson> _contacts;
    private readonly Dictionary<int, AgentSenderJson> _users;
    private readonly Dictionary<int, BotSenderJson> _bots;

    private MessageSenders(Dictionary<int, ContactSenderJson> contacts, Dictionary<int, AgentSenderJson> users, Dictionary<int, BotSenderJson> bots)
    {
        _contacts = contacts;
        _users = users;
        _bots = bots;
    }

    private sealed record SenderKey(string Type, int Id);
    private static readonly Type[] ContactsReadFrom = [typeof(Contact)];
    private static readonly Type[] UsersReadFrom = [typeof(User)];
    private static readonly Type[] BotsReadFrom = [typeof(AgentBot)];

    /// <summary>Senders already read (and unchanged since) come from the read cache, the others in one query per kind.</summary>
    public static async Task<MessageSenders> LoadAsync(UniLinkDb db, ReadCache cache, IEnumerable<Message> messages, CancellationToken ct = default)
    {
        var list = messages as IReadOnlyCollection<Message> ?? messages.ToList();
        int[] Ids(string type) => list.Where(m => m.SenderType == type && m.SenderId is not null).Select(m => m.SenderId!.Value).Distinct().ToArray();
        var contacts = await cache.GetManyAsync(Ids(SenderTypes.Contact), id => new SenderKey(SenderTypes.Contact, id), ContactsReadFrom,
            async (ids, c) => (await db.Contacts.AsNoTracking().Where(x => ids.Contains(x.Id)).ToListAsync(c)).ToDictionary(x => x.Id, x => x.ToSenderJson()), ct);
        var users = await cache.GetManyAsync(Ids(SenderTypes.User), id => new SenderKey(SenderTypes.User, id), UsersReadFrom,
            async (ids, c) => (await db.Users.AsNoTracking().Where(x => ids.Contains(x.Id)).ToListAsync(c)).ToDictionary(x => x.Id, x => x.ToSenderJson()), ct);
        var bots = await cache.GetManyAsync(Ids(SenderTypes.AgentBot), id => new SenderKey(SenderTypes.AgentBot, id), BotsReadFrom,
            async (ids, c) => (await db.AgentBots.AsNoTracking().Where(x => ids.Contains(x.Id)).ToListAsync(c))
                .ToDictionary(x => x.Id, x => new BotSenderJson(x.Id, x.Name, x.Thumbnail)), ct);
        return new MessageSenders(contacts, users, bots);
    }

    public object? For(Message m) => m.SenderType switch
    {
        SenderTypes.Contact when m.SenderId is { } id => _contacts.GetValueOrDefault(id),
        SenderTypes.User when m.SenderId is { } id => _users.GetValueOrDefault(id),
        SenderTypes.AgentBot when m.SenderId is { } id => _bots.GetValueOrDefault(id),
        _ => null,
    };

    public MessageJson ToJson(Message m, int conversationDisplayId) => m.ToJson(conversationDisplayId, For(m));
}
