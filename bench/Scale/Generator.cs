using NpgsqlTypes;

namespace UniLink.Bench.Scale;

/// <summary>
/// Plans the data set (a year of conversations, the newest mostly open, a few of 5,000+ messages) and writes it
/// table by table. Each conversation's messages come from a random generator seeded with its index, so a plan and
/// its rows always agree and a run with the same seed writes the same rows.
/// </summary>
public sealed class Generator(Shape shape, int accountId, int[] agents, int[] inboxes, string[] labels, DateTime now,
    int contactIdBase, int contactInboxIdBase, int conversationIdBase, int messageIdBase, int displayIdBase)
{
    public int LastDisplayId => displayIdBase + shape.Conversations;
    public long MessagesWritten { get; private set; }

    private readonly record struct Planned(int Contact, int Count, DateTime Start, int Status, int? Assignee, bool Long);
    private readonly record struct Timeline(DateTime Last, DateTime? FirstReply, DateTime? LastIncoming, DateTime? WaitingSince);

    private static readonly (string, NpgsqlDbType)[] ContactColumns =
    [
        ("Id", NpgsqlDbType.Integer), ("AccountId", NpgsqlDbType.Integer), ("Name", NpgsqlDbType.Text), ("Email", NpgsqlDbType.Text),
        ("PhoneNumber", NpgsqlDbType.Text), ("Identifier", NpgsqlDbType.Text), ("Thumbnail", NpgsqlDbType.Text), ("Blocked", NpgsqlDbType.Boolean),
        ("AdditionalAttributes", NpgsqlDbType.Text), ("CustomAttributes", NpgsqlDbType.Text), ("LastActivityAt", NpgsqlDbType.TimestampTz),
        ("CreatedAt", NpgsqlDbType.TimestampTz), ("UpdatedAt", NpgsqlDbType.TimestampTz),
    ];

    private static readonly (string, NpgsqlDbType)[] ContactInboxColumns =
    [
        ("Id", NpgsqlDbType.Integer), ("ContactId", NpgsqlDbType.Integer), ("InboxId", NpgsqlDbType.Integer), ("SourceId", NpgsqlDbType.Text),
        ("HmacVerified", NpgsqlDbType.Boolean), ("PubsubToken", NpgsqlDbType.Text), ("CreatedAt", NpgsqlDbType.TimestampTz),
    ];

    private static readonly (string, NpgsqlDbType)[] ConversationColumns =
    [
        ("Id", NpgsqlDbType.Integer), ("AccountId", NpgsqlDbType.Integer), ("DisplayId", NpgsqlDbType.Integer), ("Uuid", NpgsqlDbType.Uuid),
        ("InboxId", NpgsqlDbType.Integer), ("ContactId", NpgsqlDbType.Integer), ("ContactInboxId", NpgsqlDbType.Integer),
        ("AssigneeId", NpgsqlDbType.Integer), ("Status", NpgsqlDbType.Integer), ("SnoozedUntil", NpgsqlDbType.TimestampTz),
        ("Priority", NpgsqlDbType.Varchar), ("CustomAttributes", NpgsqlDbType.Text), ("AdditionalAttributes", NpgsqlDbType.Text),
        ("Muted", NpgsqlDbType.Boolean), ("AgentLastSeenAt", NpgsqlDbType.TimestampTz), ("AssigneeLastSeenAt", NpgsqlDbType.TimestampTz),
        ("ContactLastSeenAt", NpgsqlDbType.TimestampTz), ("FirstReplyCreatedAt", NpgsqlDbType.TimestampTz), ("WaitingSince", NpgsqlDbType.TimestampTz),
        ("LastActivityAt", NpgsqlDbType.TimestampTz), ("CreatedAt", NpgsqlDbType.TimestampTz), ("UpdatedAt", NpgsqlDbType.TimestampTz),
    ];

    private static readonly (string, NpgsqlDbType)[] LabelColumns = [("ConversationId", NpgsqlDbType.Integer), ("Title", NpgsqlDbType.Text)];

    private static readonly (string, NpgsqlDbType)[] MessageColumns =
    [
        ("Id", NpgsqlDbType.Integer), ("AccountId", NpgsqlDbType.Integer), ("InboxId", NpgsqlDbType.Integer), ("ConversationId", NpgsqlDbType.Integer),
        ("Content", NpgsqlDbType.Text), ("MessageType", NpgsqlDbType.Integer), ("ContentType", NpgsqlDbType.Text), ("ContentAttributes", NpgsqlDbType.Text),
        ("Private", NpgsqlDbType.Boolean), ("SourceId", NpgsqlDbType.Text), ("Status", NpgsqlDbType.Text), ("SenderType", NpgsqlDbType.Text),
        ("SenderId", NpgsqlDbType.Integer), ("CreatedAt", NpgsqlDbType.TimestampTz), ("UpdatedAt", NpgsqlDbType.TimestampTz),
    ];

    public async Task WriteAsync(IBulkWriter writer)
    {
        var plan = Plan();
        var timelines = new Timeline[plan.Length];
        var contactLast = new DateTime?[shape.Contacts];
        for (var i = 0; i < plan.Length; i++)
        {
            timelines[i] = Summarise(i, plan[i]);
            var c = plan[i].Contact;
            if (contactLast[c] is not { } t || t < timelines[i].Last) contactLast[c] = timelines[i].Last;
        }
        var year = now.AddDays(-366);

        await writer.BeginAsync("Contacts", ContactColumns);
        var names = new Random(shape.Seed);
        for (var c = 0; c < shape.Contacts; c++)
        {
            var first = Vocabulary.FirstNames[names.Next(Vocabulary.FirstNames.Length)];
            var last = Vocabulary.LastNames[names.Next(Vocabulary.LastNames.Length)];
            var created = year.AddMinutes(names.Next(0, 365 * 24 * 60));
            if (contactLast[c] is { } l && l < created) created = l.AddHours(-1);
            writer.Row(contactIdBase + c + 1, accountId, $"{first} {last}", $"{first}.{last}.{c}@example.com".ToLowerInvariant(),
                names.Next(3) == 0 ? $"+1555{c:D7}" : null, names.Next(4) == 0 ? $"crm-{c}" : null, "", false, "{}",
                names.Next(5) == 0 ? $$"""{"plan":"{{(names.Next(2) == 0 ? "pro" : "basic")}}"}""" : "{}", contactLast[c], created, created);
        }
        await writer.EndAsync();

        await writer.BeginAsync("ContactInboxes", ContactInboxColumns);
        for (var c = 0; c < shape.Contacts; c++)
            writer.Row(contactInboxIdBase + c + 1, contactIdBase + c + 1, inboxes[c % inboxes.Length], $"scale-{c}", false, $"scale-pubsub-{c}", year);
        await writer.EndAsync();

        await writer.BeginAsync("Conversations", ConversationColumns);
        for (var i = 0; i < plan.Length; i++)
        {
            var p = plan[i];
            var t = timelines[i];
            var rng = new Random(shape.Seed ^ (i * 7919));
            var open = p.Status == 0;
            // Open conversations were last seen before their newest incoming messages now and then (unread ones).
            DateTime? seen = open && rng.Next(3) == 0 && t.LastIncoming is { } li ? li.AddSeconds(-1) : t.Last;
            writer.Row(conversationIdBase + i + 1, accountId, displayIdBase + i + 1, new Guid(Bytes(rng, 16)).ToString(),
                inboxes[p.Contact % inboxes.Length], contactIdBase + p.Contact + 1, contactInboxIdBase + p.Contact + 1, p.Assignee, p.Status,
                p.Status == 3 ? now.AddDays(3) : null, rng.Next(10) == 0 ? new[] { "low", "medium", "high", "urgent" }[rng.Next(4)] : null,
                "{}", "{}", false, seen, p.Assignee is null ? null : seen, t.Last, t.FirstReply, open ? t.WaitingSince : null, t.Last, p.Start, t.Last);
        }
        await writer.EndAsync();

        await writer.BeginAsync("ConversationLabels", LabelColumns);
        if (labels.Length > 0)
            for (var i = 0; i < plan.Length; i++)
                if (new Random(shape.Seed + i).Next(7) == 0)
                    writer.Row(conversationIdBase + i + 1, labels[i % labels.Length]);
        await writer.EndAsync();

        await writer.BeginAsync("Messages", MessageColumns);
        var id = messageIdBase;
        for (var i = 0; i < plan.Length; i++)
        {
            var p = plan[i];
            var inbox = inboxes[p.Contact % inboxes.Length];
            foreach (var m in Messages(i, p))
            {
                writer.Row(++id, accountId, inbox, conversationIdBase + i + 1, m.Content, m.Type, "text", "{}", m.Private, null, "sent",
                    m.SenderType, m.SenderId, m.At, m.At);
                MessagesWritten++;
            }
            if (i % 20_000 == 0) Console.WriteLine($"  messages: {i:N0} of {plan.Length:N0} conversations");
        }
        await writer.EndAsync();
    }

    private static byte[] Bytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    /// <summary>The conversations of 5,000+ messages: spread over the year, the last one recent and open.</summary>
    public static IReadOnlyList<int> LongIndexes(Shape shape) => Enumerable.Range(1, shape.LongConversations)
        .Select(k => k == shape.LongConversations ? shape.Conversations - shape.Conversations / 20 : shape.Conversations * k / (shape.LongConversations + 1)).ToList();

    private Planned[] Plan()
    {
        var rng = new Random(shape.Seed);
        var n = shape.Conversations;
        var longOnes = LongIndexes(shape).ToHashSet();
        var longTotal = longOnes.Count * (shape.LongConversationMessages + 500);
        var mean = Math.Max(3.0, (double)(shape.Messages - longTotal) / (n - longOnes.Count));
        var plan = new Planned[n];
        var first = now.AddDays(-365);
        var span = TimeSpan.FromDays(365) - TimeSpan.FromDays(1);
        for (var i = 0; i < n; i++)
        {
            var start = first + span * ((double)i / n) + TimeSpan.FromMinutes(rng.Next(0, 30));
            var isLong = longOnes.Contains(i);
            var count = isLong ? shape.LongConversationMessages + rng.Next(0, 1000) : rng.Next(2, (int)(2 * mean) - 1);
            // Most of the newest conversations are open; a few older ones wait (pending, snoozed).
            var recent = i >= n - shape.OpenRecent;
            var status = recent && (rng.Next(100) < 85 || isLong) ? 0 : rng.Next(200) switch { 0 or 1 => 2, 2 => 3, _ => 1 };
            var contact = (int)(shape.Contacts * Math.Pow(rng.NextDouble(), 1.6));
            int? assignee = rng.Next(10) < 7 ? agents[rng.Next(agents.Length)] : null;
            plan[i] = new Planned(Math.Min(contact, shape.Contacts - 1), count, start, status, assignee, isLong);
        }
        return plan;
    }

    private readonly record struct Generated(string Content, int Type, bool Private, string? SenderType, int? SenderId, DateTime At);

    private IEnumerable<Generated> Messages(int index, Planned p)
    {
        var rng = new Random(shape.Seed + 1_000_003 * (index + 1));
        var at = p.Start;
        var limit = now.AddMinutes(-1);
        for (var k = 0; k < p.Count; k++)
        {
            if (k > 0) at = at.AddSeconds(p.Long ? rng.Next(30, 1_500) : rng.Next(30, 7_200));
            if (at > limit) at = limit.AddMilliseconds(k - p.Count);
            var roll = k == 0 ? 0 : rng.Next(100);
            var content = roll < 93 ? string.Join(' ', Enumerable.Range(0, rng.Next(1, 4)).Select(_ => Vocabulary.Sentence(rng))) : null;
            yield return roll switch
            {
                < 50 => new Generated(content!, 0, false, "Contact", contactIdBase + p.Contact + 1, at),
                < 90 => new Generated(content!, 1, false, "User", p.Assignee ?? agents[rng.Next(agents.Length)], at),
                < 93 => new Generated(content!, 1, true, "User", p.Assignee ?? agents[rng.Next(agents.Length)], at),
                _ => new Generated(rng.Next(2) == 0 ? "Conversation was marked resolved by Administrator" : "Assigned to Sam Rivera by Administrator", 2, false, null, null, at),
            };
        }
    }

    private Timeline Summarise(int index, Planned p)
    {
        DateTime last = p.Start;
        DateTime? firstReply = null, lastIncoming = null, waiting = null;
        foreach (var m in Messages(index, p))
        {
            last = m.At;
            if (m.Type == 0) { lastIncoming = m.At; waiting ??= m.At; }
            if (m.Type == 1 && !m.Private) { firstReply ??= m.At; waiting = null; }
        }
        return new Timeline(last, firstReply, lastIncoming, waiting);
    }
}
