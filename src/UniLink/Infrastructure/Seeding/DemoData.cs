using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using UniLink.Features.Contacts;
using UniLink.Features.CustomAttributes;
using UniLink.Features.Labels;
using UniLink.Features.Messages;

namespace UniLink.Infrastructure.Seeding;

/// <summary>Realistic data for a first look: inboxes, a second agent, contacts, conversations in every status.</summary>
public static class DemoData
{
    public const string AgentEmail = "sam@unilink.local";
    public const string AgentPassword = "agent-password";

    private sealed record Person(string Name, string Email, string Phone, string Company, string City, string Plan, string? Github = null, string? Twitter = null);

    private static readonly Person[] People =
    [
        new("Maria Lopez", "maria.lopez@example.com", "+34911234567", "Lopez Outdoor S.L.", "Madrid", "business", "marialopez"),
        new("Tom Becker", "tom.becker@example.de", "+4930123456", "Becker Logistik", "Berlin", "pro", Twitter: "tombecker"),
        new("Aiko Tanaka", "aiko@example.jp", "+81312345678", "Tanaka Design", "Tokyo", "free"),
        new("James O'Connor", "james.oconnor@example.ie", "+35312345678", "O'Connor & Sons", "Dublin", "business"),
        new("Priya Sharma", "priya.sharma@example.in", "+919000000001", "Sharma Textiles", "Mumbai", "pro", "priyash"),
        new("Lucas Martin", "lucas.martin@example.fr", "+33142123456", "Atelier Martin", "Lyon", "free"),
        new("Emma Johansson", "emma.johansson@example.se", "+46812345678", "Nordic Trails AB", "Stockholm", "enterprise", Twitter: "emmaj"),
        new("Daniel Kim", "daniel.kim@example.com", "+12025550143", "Kim Analytics", "Seattle", "pro", "dkim"),
        new("Sofia Rossi", "sofia.rossi@example.it", "+390612345678", "Rossi Café", "Rome", "free"),
        new("Noah Williams", "noah.w@example.co.uk", "+442071234567", "Williams Bikes Ltd", "London", "business"),
        new("Fatima Zahra", "fatima.zahra@example.ma", "+212522123456", "Atlas Crafts", "Casablanca", "pro"),
        new("Oliver Brown", "oliver.brown@example.com.au", "+61291234567", "Brown Surf Co", "Sydney", "enterprise"),
    ];

    /// <summary>(status, priority, labels, thread: (incoming?, private?, text))</summary>
    private static readonly (ConversationStatus Status, string? Priority, string[] Labels, (char Who, string Text)[] Thread)[] Conversations =
    [
        (ConversationStatus.Open, "high", ["billing"], [('c', "Hi, I was charged twice for order SO-1042 this morning."), ('a', "Sorry about that, Maria! Let me check the payment records."), ('n', "Two captures on the card; refund the second one."), ('c', "Thanks, please let me know when the refund is done.")]),
        (ConversationStatus.Open, null, ["delivery"], [('c', "My parcel shows 'delivered' but nothing arrived."), ('a', "I'm sorry to hear that. Could you check with your neighbours and the building's mailroom?"), ('c', "Nobody has it. What now?")]),
        (ConversationStatus.Pending, "medium", ["delivery", "vip"], [('c', "Can you deliver to our warehouse on Saturday?"), ('a', "I've asked the carrier; waiting for their confirmation."), ('n', "Carrier answers within 24h usually.")]),
        (ConversationStatus.Resolved, null, ["product-question"], [('c', "Are the trail shoes true to size?"), ('a', "They run about half a size small; most customers order one up."), ('c', "Great, thanks!")]),
        (ConversationStatus.Snoozed, "low", ["returns"], [('c', "I'd like to return the rain shell, it's too big."), ('a', "Of course. I've emailed you a return label; it's valid for 30 days."), ('c', "I'll send it next week when I'm back.")]),
        (ConversationStatus.Open, "urgent", ["billing", "vip"], [('c', "Our invoice for November is missing the VAT number."), ('n', "Enterprise customer — escalate to finance if needed.")]),
        (ConversationStatus.Open, null, [], [('c', "Do you ship to Ireland?"), ('a', "Yes, 3–5 working days, free over €60.")]),
        (ConversationStatus.Resolved, null, ["returns"], [('c', "Refund received, thank you!"), ('a', "Happy to help, Priya. Have a great week!")]),
        (ConversationStatus.Pending, null, ["product-question"], [('c', "Is the 22L daypack waterproof?"), ('a', "It's water resistant; I'm checking whether the seams are taped.")]),
        (ConversationStatus.Open, "medium", ["delivery"], [('c', "Where is my order SO-2210? It's been 10 days.")]),
        (ConversationStatus.Open, null, [], [('c', "Hello! Can I change the colour of my order before it ships?")]),
        (ConversationStatus.Resolved, "low", [], [('c', "How do I reset my password?"), ('a', "Use 'Forgot password' on the sign-in page; the link arrives within a minute."), ('c', "Worked, thanks.")]),
    ];

    public static async Task SeedAsync(UniLinkDb db, Account account, User admin, IPasswordHasher<User> hasher)
    {
        var now = UnixTime.Now();
        var agent = new User { Name = "Sam Rivera", DisplayName = "Sam", Email = AgentEmail, AccessTokenHash = Tokens.Hash(Tokens.New()), CreatedAt = now, UpdatedAt = now };
        agent.PasswordHash = hasher.HashPassword(agent, AgentPassword);
        db.Users.Add(agent);
        db.AccountUsers.Add(new AccountUser { Account = account, User = agent, Role = Roles.Agent, CreatedAt = now });

        var api = new Inbox { AccountId = account.Id, Name = "Customer API", ChannelType = ChannelTypes.Api, InboxIdentifier = Tokens.New(18), CreatedAt = now, UpdatedAt = now };
        var web = new Inbox { AccountId = account.Id, Name = "Website chat", ChannelType = ChannelTypes.WebWidget, InboxIdentifier = Tokens.New(18), WebsiteUrl = "https://shop.example.com", CreatedAt = now, UpdatedAt = now };
        db.Inboxes.AddRange(api, web);

        foreach (var (title, color) in new[] { ("billing", "#e5484d"), ("delivery", "#1f93ff"), ("returns", "#f5a524"), ("product-question", "#30a46c"), ("vip", "#8e4ec6") })
            db.Labels.Add(new Label { AccountId = account.Id, Title = title, Color = color, CreatedAt = now, UpdatedAt = now });

        db.CustomAttributeDefinitions.AddRange(
            Definition(account.Id, "Plan", "plan", AttributeDisplayType.List, AttributeModel.ContactAttribute, now, ["free", "pro", "business", "enterprise"]),
            Definition(account.Id, "City", "city", AttributeDisplayType.Text, AttributeModel.ContactAttribute, now),
            Definition(account.Id, "Order number", "order_number", AttributeDisplayType.Text, AttributeModel.ConversationAttribute, now),
            Definition(account.Id, "Refund approved", "refund_approved", AttributeDisplayType.Checkbox, AttributeModel.ConversationAttribute, now));
        await db.SaveChangesAsync();
        // Both demo users work both inboxes, as the reference's agents see only the conversations of their inboxes.
        foreach (var inbox in new[] { api, web })
            db.InboxMembers.AddRange(new InboxMember { InboxId = inbox.Id, UserId = admin.Id, CreatedAt = now },
                new InboxMember { InboxId = inbox.Id, UserId = agent.Id, CreatedAt = now });
        await db.SaveChangesAsync();

        for (var i = 0; i < People.Length; i++)
        {
            var p = People[i];
            var created = now.AddDays(-30 + i);
            var contact = new Contact
            {
                AccountId = account.Id, Name = p.Name, Email = p.Email, PhoneNumber = p.Phone, CreatedAt = created, UpdatedAt = created,
                AdditionalAttributes = JsonSerializer.Serialize(new
                {
                    description = $"Customer since {created.AddYears(-1 - i % 3):yyyy}",
                    company_name = p.Company,
                    city = p.City,
                    social_profiles = new { github = p.Github ?? "", twitter = p.Twitter ?? "", facebook = "", linkedin = "" },
                }),
                CustomAttributes = JsonSerializer.Serialize(new { plan = p.Plan, city = p.City }),
            };
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            var inbox = i % 2 == 0 ? api : web;
            var link = new ContactInbox { ContactId = contact.Id, InboxId = inbox.Id, SourceId = Guid.NewGuid().ToString(), CreatedAt = created };
            db.ContactInboxes.Add(link);
            await db.SaveChangesAsync();

            var spec = Conversations[i];
            var start = now.AddHours(-(People.Length - i) * 7);
            var conversation = new Conversation
            {
                AccountId = account.Id, DisplayId = ++account.LastConversationDisplayId, InboxId = inbox.Id, ContactId = contact.Id,
                ContactInboxId = link.Id, Status = spec.Status, Priority = spec.Priority, AssigneeId = i % 3 == 0 ? admin.Id : i % 3 == 1 ? agent.Id : null,
                SnoozedUntil = spec.Status == ConversationStatus.Snoozed ? now.AddDays(3) : null,
                CustomAttributes = JsonSerializer.Serialize(new { order_number = $"SO-{1042 + i * 37}" }),
                AdditionalAttributes = JsonSerializer.Serialize(new
                {
                    browser = new { browser_name = "Firefox", browser_version = "132.0", platform_name = "Linux", platform_version = "", device_name = "Unknown" },
                    referer = "https://shop.example.com/orders",
                    initiated_at = new { timestamp = start.ToString("ddd MMM dd yyyy HH:mm:ss 'GMT+0000'") },
                }),
                CreatedAt = start, UpdatedAt = start, LastActivityAt = start,
                Labels = spec.Labels.Select(l => new ConversationLabel { Title = l }).ToList(),
            };
            db.Conversations.Add(conversation);
            await db.SaveChangesAsync();

            var at = start;
            foreach (var (who, text) in spec.Thread)
            {
                at = at.AddMinutes(11);
                var responder = conversation.AssigneeId ?? admin.Id;
                db.Messages.Add(new Message
                {
                    AccountId = account.Id, InboxId = inbox.Id, ConversationId = conversation.Id, Content = text,
                    MessageType = who == 'c' ? MessageType.Incoming : MessageType.Outgoing, Private = who == 'n',
                    SenderType = who == 'c' ? SenderTypes.Contact : SenderTypes.User, SenderId = who == 'c' ? contact.Id : responder,
                    CreatedAt = at, UpdatedAt = at,
                });
                if (who == 'a') conversation.FirstReplyCreatedAt ??= at;
            }
            if (spec.Status == ConversationStatus.Resolved)
                db.Messages.Add(new Message
                {
                    AccountId = account.Id, InboxId = inbox.Id, ConversationId = conversation.Id, MessageType = MessageType.Activity,
                    Content = $"Conversation was marked resolved by {admin.Name}", CreatedAt = at.AddMinutes(2), UpdatedAt = at.AddMinutes(2),
                });
            conversation.LastActivityAt = at;
            conversation.UpdatedAt = at;
            conversation.WaitingSince = spec.Thread[^1].Who == 'c' ? at : null;
            contact.LastActivityAt = at;
            await db.SaveChangesAsync();
        }
    }

    /// <summary>The sample Orders app (samples/OrdersApp), which ./unilink serves beside the demo with the same secret.</summary>
    public static async Task AddSampleAppAsync(UniLinkDb db, Account account, User admin, string url, string secret, Features.DashboardApps.Platform.AppSecrets secrets)
    {
        var now = UnixTime.Now();
        var app = new Features.DashboardApps.DashboardApp
        {
            AccountId = account.Id, UserId = admin.Id, Title = "Orders & payments", CreatedAt = now, UpdatedAt = now,
            Permissions = Features.DashboardApps.Platform.AppActions.InsertReply,
            Content = JsonSerializer.Serialize(new[] { new { type = "frame", url } }),
        };
        secrets.Assign(app, secret);
        db.DashboardApps.Add(app);
        await db.SaveChangesAsync();
    }

    private static CustomAttributeDefinition Definition(int accountId, string name, string key, AttributeDisplayType type, AttributeModel model, DateTime now, string[]? values = null) => new()
    {
        AccountId = accountId, AttributeDisplayName = name, AttributeKey = key, AttributeDisplayType = type, AttributeModel = model,
        AttributeValues = JsonSerializer.Serialize(values ?? []), CreatedAt = now, UpdatedAt = now,
    };
}
