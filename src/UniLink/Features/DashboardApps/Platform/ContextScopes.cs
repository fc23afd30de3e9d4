using System.Text.Json.Nodes;
using UniLink.Features.Contacts;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.Messages;

namespace UniLink.Features.DashboardApps.Platform;

/// <summary>
/// What an app's context may hold (least privilege): an administrator grants each scope per app; apps registered the
/// reference's way hold every scope (compatibility). A withheld field keeps its key with no value (null, "" or {}),
/// and withheld messages are left out; the same fields are empty in the URL variables and the tokens.
/// </summary>
public static class ContextScopes
{
    /// <summary>The contact's name, identifier and avatar.</summary>
    public const string ContactIdentity = "contact_identity";
    /// <summary>The contact's e-mail and phone number.</summary>
    public const string ContactEmailPhone = "contact_email_phone";
    /// <summary>The contact's custom and additional attributes.</summary>
    public const string ContactAttributes = "contact_attributes";
    /// <summary>Public messages (not private notes).</summary>
    public const string MessagesPublic = "messages_public";
    /// <summary>Every message, private notes too (implies <see cref="MessagesPublic"/>).</summary>
    public const string MessagesAll = "messages_all";
    /// <summary>The conversation's custom and additional attributes.</summary>
    public const string ConversationAttributes = "conversation_attributes";
    /// <summary>The agent's e-mail (the signed-in agent's and the assignee's).</summary>
    public const string AgentEmail = "agent_email";

    public static readonly string[] All = [ContactIdentity, ContactEmailPhone, ContactAttributes, MessagesPublic, MessagesAll, ConversationAttributes, AgentEmail];

    /// <summary>The scopes the app holds.</summary>
    public static IReadOnlyList<string> GrantedOf(DashboardApp app) => All.Except(WithheldOf(app)).ToList();

    public static IReadOnlySet<string> WithheldOf(DashboardApp app) =>
        app.WithheldContextScopes.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>What to store for a grant: the scopes withheld (all messages imply public ones).</summary>
    public static string WithheldFor(IEnumerable<string> granted)
    {
        var set = granted.ToHashSet(StringComparer.Ordinal);
        if (set.Contains(MessagesAll)) set.Add(MessagesPublic);
        return string.Join(',', All.Where(s => !set.Contains(s)));
    }

    /// <summary>The context as the app may see it (the same object when it holds every scope).</summary>
    public static AppContextData Apply(AppContextData data, DashboardApp app)
    {
        var withheld = WithheldOf(app);
        if (withheld.Count == 0) return data;
        return data with
        {
            Conversation = Conversation(data.Conversation, withheld),
            Contact = data.Contact is ContactJson contact ? Contact(contact, withheld) : data.Contact,
            CurrentAgent = withheld.Contains(AgentEmail) ? data.CurrentAgent with { Email = "" } : data.CurrentAgent,
        };
    }

    /// <summary>The conversation as an app holding all but <paramref name="withheld"/> may see it: withheld messages left out.</summary>
    public static ConversationJson Conversation(ConversationJson conversation, IReadOnlySet<string> withheld)
    {
        if (withheld.Count == 0) return conversation;
        bool Has(string scope) => !withheld.Contains(scope);
        return conversation with
        {
            Meta = conversation.Meta with
            {
                Sender = Contact(conversation.Meta.Sender, withheld),
                Assignee = conversation.Meta.Assignee is { } assignee && !Has(AgentEmail) ? assignee with { Email = "" } : conversation.Meta.Assignee,
            },
            Messages = conversation.Messages.Where(m => Shows(m, withheld)).Select(m => Message(m, withheld)).ToList(),
            LastNonActivityMessage = conversation.LastNonActivityMessage is { } last && Shows(last, withheld) ? Message(last, withheld) : null,
            CustomAttributes = Has(ConversationAttributes) ? conversation.CustomAttributes : new JsonObject(),
            AdditionalAttributes = Has(ConversationAttributes) ? conversation.AdditionalAttributes : new JsonObject(),
        };
    }

    /// <summary>Does an app holding all but <paramref name="withheld"/> see the message at all (private notes need <see cref="MessagesAll"/>)?</summary>
    public static bool Shows(MessageJson m, IReadOnlySet<string> withheld) =>
        !withheld.Contains(MessagesAll) || (!withheld.Contains(MessagesPublic) && !m.Private);

    /// <summary>A message it sees, its contact sender cut to the contact scopes.</summary>
    public static MessageJson Message(MessageJson m, IReadOnlySet<string> withheld)
    {
        if (m.Sender is not ContactSenderJson c || withheld.Count == 0) return m;
        var f = new ContactFields(c.Name, c.Identifier, c.Thumbnail, c.Email, c.PhoneNumber, c.CustomAttributes, c.AdditionalAttributes).Without(withheld);
        return m with { Sender = c with { Name = f.Name, Identifier = f.Identifier, Thumbnail = f.Thumbnail, Email = f.Email, PhoneNumber = f.PhoneNumber, CustomAttributes = f.CustomAttributes, AdditionalAttributes = f.AdditionalAttributes } };
    }

    /// <summary>The contact as an app holding all but <paramref name="withheld"/> may see it.</summary>
    public static ContactJson Contact(ContactJson c, IReadOnlySet<string> withheld)
    {
        if (withheld.Count == 0) return c;
        var f = new ContactFields(c.Name, c.Identifier, c.Thumbnail, c.Email, c.PhoneNumber, c.CustomAttributes, c.AdditionalAttributes).Without(withheld);
        return c with { Name = f.Name, Identifier = f.Identifier, Thumbnail = f.Thumbnail, Email = f.Email, PhoneNumber = f.PhoneNumber, CustomAttributes = f.CustomAttributes, AdditionalAttributes = f.AdditionalAttributes };
    }

    /// <summary>The fields of a contact that the contact scopes govern, and which scope withholds each: one rule for the
    /// contact record and for a message's contact sender, which carry the same fields in two wire shapes.</summary>
    private readonly record struct ContactFields(
        string? Name, string? Identifier, string Thumbnail, string? Email, string? PhoneNumber, JsonObject CustomAttributes, JsonObject AdditionalAttributes)
    {
        public ContactFields Without(IReadOnlySet<string> withheld)
        {
            bool identity = withheld.Contains(ContactIdentity), reach = withheld.Contains(ContactEmailPhone), attributes = withheld.Contains(ContactAttributes);
            return new(identity ? null : Name, identity ? null : Identifier, identity ? "" : Thumbnail, reach ? null : Email, reach ? null : PhoneNumber,
                attributes ? new JsonObject() : CustomAttributes, attributes ? new JsonObject() : AdditionalAttributes);
        }
    }

    /// <summary>The contact as the app may see it (a context without a conversation: a contact's page).</summary>
    public static ContactJson ContactFor(ContactJson contact, DashboardApp app) => Contact(contact, WithheldOf(app));

    /// <summary>The signed-in agent as the app may see them.</summary>
    public static Agents.CurrentAgentJson AgentFor(Agents.CurrentAgentJson agent, DashboardApp app) =>
        WithheldOf(app).Contains(AgentEmail) ? agent with { Email = "" } : agent;

    /// <summary>The URL variables the app may use: withheld ones expand to the empty string.</summary>
    public static IReadOnlyDictionary<string, string?> UrlValues(IReadOnlyDictionary<string, string?> values, DashboardApp app)
    {
        var withheld = WithheldOf(app);
        if (withheld.Count == 0) return values;
        bool Withheld(string name) => name switch
        {
            "contact.identifier" => withheld.Contains(ContactIdentity),
            "contact.email" or "contact.phone_number" => withheld.Contains(ContactEmailPhone),
            "agent.email" => withheld.Contains(AgentEmail),
            _ when name.StartsWith("contact.custom_attributes.", StringComparison.Ordinal) => withheld.Contains(ContactAttributes),
            _ when name.StartsWith("conversation.custom_attributes.", StringComparison.Ordinal) => withheld.Contains(ConversationAttributes),
            _ => false,
        };
        return values.Where(p => !Withheld(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }
}
