using System.Text.Json.Nodes;
using UniLink.Features.Contacts;
using UniLink.Features.Conversations;
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
        bool Has(string scope) => !withheld.Contains(scope);
        var allMessages = Has(MessagesAll);
        var publicMessages = allMessages || Has(MessagesPublic);
        bool Keep(MessageJson m) => allMessages || (publicMessages && !m.Private);

        ContactJson Contact(ContactJson c) => ScopedContact(c, Has);
        object? Sender(object? sender) => sender is ContactSenderJson c
            ? c with
            {
                Name = Has(ContactIdentity) ? c.Name : null,
                Identifier = Has(ContactIdentity) ? c.Identifier : null,
                Thumbnail = Has(ContactIdentity) ? c.Thumbnail : "",
                Email = Has(ContactEmailPhone) ? c.Email : null,
                PhoneNumber = Has(ContactEmailPhone) ? c.PhoneNumber : null,
                CustomAttributes = Has(ContactAttributes) ? c.CustomAttributes : new JsonObject(),
                AdditionalAttributes = Has(ContactAttributes) ? c.AdditionalAttributes : new JsonObject(),
            }
            : sender;
        MessageJson Message(MessageJson m) => m with { Sender = Sender(m.Sender) };

        var conversation = data.Conversation;
        conversation = conversation with
        {
            Meta = conversation.Meta with
            {
                Sender = Contact(conversation.Meta.Sender),
                Assignee = conversation.Meta.Assignee is { } assignee && !Has(AgentEmail) ? assignee with { Email = "" } : conversation.Meta.Assignee,
            },
            Messages = conversation.Messages.Where(Keep).Select(Message).ToList(),
            LastNonActivityMessage = conversation.LastNonActivityMessage is { } last && Keep(last) ? Message(last) : null,
            CustomAttributes = Has(ConversationAttributes) ? conversation.CustomAttributes : new JsonObject(),
            AdditionalAttributes = Has(ConversationAttributes) ? conversation.AdditionalAttributes : new JsonObject(),
        };
        return data with
        {
            Conversation = conversation,
            Contact = data.Contact is ContactJson contact ? Contact(contact) : data.Contact,
            CurrentAgent = Has(AgentEmail) ? data.CurrentAgent : data.CurrentAgent with { Email = "" },
        };
    }

    /// <summary>The contact as the app may see it (a context without a conversation: a contact's page).</summary>
    public static ContactJson ContactFor(ContactJson contact, DashboardApp app) =>
        WithheldOf(app) is { Count: > 0 } withheld ? ScopedContact(contact, scope => !withheld.Contains(scope)) : contact;

    private static ContactJson ScopedContact(ContactJson c, Func<string, bool> has) => c with
    {
        Name = has(ContactIdentity) ? c.Name : null,
        Identifier = has(ContactIdentity) ? c.Identifier : null,
        Thumbnail = has(ContactIdentity) ? c.Thumbnail : "",
        Email = has(ContactEmailPhone) ? c.Email : null,
        PhoneNumber = has(ContactEmailPhone) ? c.PhoneNumber : null,
        CustomAttributes = has(ContactAttributes) ? c.CustomAttributes : new JsonObject(),
        AdditionalAttributes = has(ContactAttributes) ? c.AdditionalAttributes : new JsonObject(),
    };

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
