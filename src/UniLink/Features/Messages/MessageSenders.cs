using Microsoft.EntityFrameworkCore;
using UniLink.Features.Agents;
using UniLink.Features.Contacts;
using UniLink.Infrastructure.Db;

namespace UniLink.Features.Messages;

/// <summary>The senders of a batch of messages, loaded in three queries, mapped to their wire shapes.</summary>
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

    public static async Task<MessageSenders> LoadAsync(UniLinkDb db, IEnumerable<Message> messages, CancellationToken ct = default)
    {
        var list = messages as IReadOnlyCollection<Message> ?? messages.ToList();
        int[] Ids(string type) => list.Where(m => m.SenderType == type && m.SenderId is not null).Select(m => m.SenderId!.Value).Distinct().ToArray();
        var contactIds = Ids(SenderTypes.Contact);
        var userIds = Ids(SenderTypes.User);
        var botIds = Ids(SenderTypes.AgentBot);
        var contacts = contactIds.Length == 0 ? [] : await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id)).ToListAsync(ct);
        var users = userIds.Length == 0 ? [] : await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToListAsync(ct);
        var bots = botIds.Length == 0 ? [] : await db.AgentBots.AsNoTracking().Where(b => botIds.Contains(b.Id)).ToListAsync(ct);
        return new MessageSenders(
            contacts.ToDictionary(c => c.Id, c => c.ToSenderJson()),
            users.ToDictionary(u => u.Id, u => u.ToSenderJson()),
            bots.ToDictionary(b => b.Id, b => new BotSenderJson(b.Id, b.Name, b.Thumbnail)));
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
