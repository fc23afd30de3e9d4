using UniLink.Features.Messages;

namespace UniLink.Features.Conversations;

/// <summary>Who did something (named in activity messages, recorded as a message's sender).</summary>
public sealed record Actor(string Name, string? SenderType, int? SenderId)
{
    public static Actor Agent(int userId, string name) => new(name, SenderTypes.User, userId);
    public static Actor Bot(int botId, string name) => new(name, SenderTypes.AgentBot, botId);
    public static Actor Contact(Contacts.Contact contact) => new(contact.Name ?? "Contact", SenderTypes.Contact, contact.Id);
    public static Actor App(string title) => new(title, null, null);
    public static Actor System { get; } = new("System", null, null);
}
