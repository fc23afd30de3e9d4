using UniLink.Features.Attachments;
using UniLink.Features.Contacts;
using UniLink.Infrastructure.Caching;

namespace UniLink.Features.Messages;

/// <summary>The senders and attachments of a batch of messages, mapped to their wire shapes.</summary>
public sealed class MessageSenders
{
    private readonly Dictionary<int, ContactSenderJson> _contacts;
    private readonly Dictionary<int, AgentSenderJson> _users;
    private readonly Dictionary<int, BotSenderJson> _bots;

    private readonly ILookup<int, Attachment> _attachments;
    private readonly AttachmentLinks _links;

    private MessageSenders(Dictionary<int, ContactSenderJson> contacts, Dictionary<int, AgentSenderJson> users, Dictionary<int, BotSenderJson> bots,
        ILookup<int, Attachment> attachments, AttachmentLinks links)
    {
        _contacts = contacts;
        _users = users;
        _bots = bots;
        _attachments = attachments;
        _links = links;
    }

    /// <summary>Senders and attachments the caller read with the messages.</summary>
    public static MessageSenders From(Dictionary<int, ContactSenderJson> contacts, Dictionary<int, AgentSenderJson> users, Dictionary<int, BotSenderJson> bots,
        IEnumerable<Attachment> attachments, AttachmentLinks links) => new(contacts, users, bots, attachments.ToLookup(a => a.MessageId), links);

    /// <summary>The messages' attachments, by message (the dashboard shows them from the same read).</summary>
    public ILookup<int, Attachment> Attachments => _attachments;

    private static readonly ILookup<int, Attachment> NoAttachments = Array.Empty<Attachment>().ToLookup(a => a.MessageId);

    private sealed record SenderKey(string Type, int Id);
    private static readonly Type[] ContactsReadFrom = [typeof(Contact)];
    private static readonly Type[] UsersReadFrom = [typeof(User)];
    private static readonly Type[] BotsReadFrom = [typeof(AgentBot)];

    /// <summary>Senders already read (and unchanged since) come from the read cache, the others in one query per kind.</summary>
    public static Task<MessageSenders> LoadAsync(UniLinkDb db, ReadCache cache, AttachmentLinks links, IEnumerable<Message> messages, CancellationToken ct = default) =>
        LoadAsync(db, cache, links, messages, null, [], [], ct);

    /// <param name="attachments">The messages' attachments, when the caller read them with the messages (null: read here).</param>
    /// <param name="knownContacts">Contacts the caller read in this request (a conversation's own contact): not read again.</param>
    /// <param name="knownUsers">Users the caller read in this request (a conversation's assignee): not read again.</param>
    public static async Task<MessageSenders> LoadAsync(UniLinkDb db, ReadCache cache, AttachmentLinks links, IEnumerable<Message> messages,
        IReadOnlyCollection<Attachment>? attachments, IReadOnlyCollection<Contact> knownContacts, IReadOnlyCollection<User> knownUsers, CancellationToken ct)
    {
        var list = messages as IReadOnlyCollection<Message> ?? messages.ToList();
        int[] Ids(string type, IEnumerable<int> known)
        {
            var have = known.ToHashSet();
            return list.Where(m => m.SenderType == type && m.SenderId is { } id && !have.Contains(id)).Select(m => m.SenderId!.Value).Distinct().ToArray();
        }
        var contacts = await cache.GetManyAsync(Ids(SenderTypes.Contact, knownContacts.Select(c => c.Id)), id => new SenderKey(SenderTypes.Contact, id), ContactsReadFrom,
            async (ids, c) => (await db.Contacts.AsNoTracking().Where(x => ids.Contains(x.Id)).ToListAsync(c)).ToDictionary(x => x.Id, x => x.ToSenderJson()), ct);
        foreach (var known in knownContacts) contacts.TryAdd(known.Id, known.ToSenderJson());
        var users = await cache.GetManyAsync(Ids(SenderTypes.User, knownUsers.Select(u => u.Id)), id => new SenderKey(SenderTypes.User, id), UsersReadFrom,
            async (ids, c) => (await db.Users.AsNoTracking().Where(x => ids.Contains(x.Id)).ToListAsync(c)).ToDictionary(x => x.Id, x => x.ToSenderJson()), ct);
        foreach (var known in knownUsers) users.TryAdd(known.Id, known.ToSenderJson());
        var bots = await cache.GetManyAsync(Ids(SenderTypes.AgentBot, []), id => new SenderKey(SenderTypes.AgentBot, id), BotsReadFrom,
            async (ids, c) => (await db.AgentBots.AsNoTracking().Where(x => ids.Contains(x.Id)).ToListAsync(c))
                .ToDictionary(x => x.Id, x => x.ToSenderJson()), ct);
        // Signed links are made per read (they expire), so attachments are never kept in the read cache.
        if (attachments is null)
        {
            // Only the messages that have some (their flag): a conversation's messages almost never do, and then no query.
            var withAttachments = list.Where(m => m.HasAttachments && m.MessageType != MessageType.Activity).Select(m => m.Id).ToArray();
            attachments = withAttachments.Length == 0 ? [] : await db.Attachments.AsNoTracking()
                .Where(a => EF.Parameter(withAttachments).Contains(a.MessageId)).OrderBy(a => a.Id).ToListAsync(ct);
        }
        else
        {
            var messageIds = list.Where(m => m.MessageType != MessageType.Activity).Select(m => m.Id).ToHashSet();
            attachments = attachments.Where(a => messageIds.Contains(a.MessageId)).OrderBy(a => a.Id).ToList();
        }
        return new MessageSenders(contacts, users, bots, attachments.Count == 0 ? NoAttachments : attachments.ToLookup(a => a.MessageId), links);
    }

    public object? For(Message m) => m.SenderType switch
    {
        SenderTypes.Contact when m.SenderId is { } id => _contacts.GetValueOrDefault(id),
        SenderTypes.User when m.SenderId is { } id => _users.GetValueOrDefault(id),
        SenderTypes.AgentBot when m.SenderId is { } id => _bots.GetValueOrDefault(id),
        _ => null,
    };

    /// <summary>The name an agent's or a bot's message shows (null for a contact's: the page names the conversation's contact).</summary>
    public string? NameOf(Message m) => m.SenderType switch
    {
        SenderTypes.User when m.SenderId is { } id => _users.GetValueOrDefault(id)?.Name,
        SenderTypes.AgentBot when m.SenderId is { } id => _bots.GetValueOrDefault(id)?.Name,
        _ => null,
    };

    /// <summary>The message's wire shape; attachments' links are signed here, at each call (they expire), so senders
    /// kept by an open conversation still give fresh links.</summary>
    public MessageJson ToJson(Message m, int conversationDisplayId) =>
        m.ToJson(conversationDisplayId, For(m), _attachments.Contains(m.Id) ? _attachments[m.Id].Select(a => a.ToJson(_links)).ToList() : null);
}
