using UniLink.Features.Attachments;
using UniLink.Features.Contacts;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Caching;

namespace UniLink.Features.Search;

/// <summary>
/// The reference's global search (its <c>SearchService</c>), on the database's own indexes (<see cref="FullTextSearch"/>):
/// conversations by display id or by their contact's name, email, phone number or identifier; contacts the same way
/// (only contacts with an email, phone number or identifier, as the reference's <c>resolved_contacts</c>); messages by
/// the words of their content, from the last <see cref="MessageWindow"/> as the reference. Conversations and messages
/// are those of the inboxes the caller works (<see cref="InboxAccess"/>), contacts the whole account's (as the contact
/// list). Fifteen a page, newest first.
/// </summary>
public sealed class SearchService(UniLinkDb db, ReadCache cache, AttachmentLinks links)
{
    public const int PageSize = 15;
    public const int MaxPage = 100_000;
    public static readonly TimeSpan MessageWindow = TimeSpan.FromDays(90);
    /// <summary>
    /// PostgreSQL: how many of the newest messages a message search tests one by one before it asks the words' index
    /// (<see cref="MessagesAsync"/>): a word in one message of 130 fills the first page from them; a rarer one costs
    /// this walk (≈1-3 ms) before the index answers.
    /// </summary>
    private const int NewestTested = 2_000;

    /// <summary>A search query: the text (trimmed, at most 200 characters; empty matches everything) and the page.</summary>
    public sealed record Query(string Text, int Page)
    {
        public int Skip => (Page - 1) * PageSize;
    }

    public async Task<List<SearchConversationJson>> ConversationsAsync(AccountScope scope, Query query, CancellationToken ct = default)
    {
        var conversations = InboxAccess.Visible(db.Conversations.AsNoTracking().Where(c => c.AccountId == scope.AccountId), db, InboxAccess.LimitedTo(scope));
        if (query.Text.Length > 0)
        {
            var displayId = int.TryParse(query.Text.TrimStart('#'), out var d) ? d : -1;
            var contacts = FullTextSearch.Contacts(db, scope.AccountId, query.Text);
            conversations = conversations.Where(c => c.DisplayId == displayId || contacts.Contains(c.ContactId));
        }
        // Ids follow creation: newest first without an index of creation times. The assignee's role in the account and
        // the id of the conversation's first message come with the page (an index probe each for its 15 rows) instead of
        // a statement each; the senders of those messages are mostly the page's contacts and assignees, not read again.
        var page = await conversations.OrderByDescending(c => c.Id).Skip(query.Skip).Take(PageSize)
            .Select(c => new
            {
                Conversation = c, c.Contact, c.Inbox, c.Assignee,
                Role = db.AccountUsers.Where(m => m.AccountId == c.AccountId && m.UserId == c.AssigneeId).Select(m => m.Role).FirstOrDefault(),
                FirstId = db.Messages.Where(m => m.ConversationId == c.Id).Min(m => (int?)m.Id),
            })
            .ToListAsync(ct);
        if (page.Count == 0) return [];

        var firstIds = page.Where(p => p.FirstId is not null).Select(p => p.FirstId!.Value).ToArray();
        var firsts = firstIds.Length == 0 ? [] : await db.Messages.AsNoTracking().Where(m => firstIds.Contains(m.Id)).ToListAsync(ct);
        var senders = await MessageSenders.LoadAsync(db, cache, links, firsts, null, page.Select(p => p.Contact).DistinctBy(c => c.Id).ToList(),
            page.Where(p => p.Assignee is not null).Select(p => p.Assignee!).DistinctBy(u => u.Id).ToList(), ct);
        return page.Select(p =>
        {
            var c = p.Conversation;
            var first = firsts.FirstOrDefault(m => m.Id == p.FirstId);
            return new SearchConversationJson(c.DisplayId, c.AccountId, UnixTime.Seconds(c.CreatedAt),
                first is null ? null : ToJson(first, c.DisplayId, p.Inbox, senders),
                ToJson(p.Contact), ToJson(p.Inbox),
                p.Assignee is { } a ? new SearchAgentJson(a.Id, a.AvailableName, a.Email, a.Name, p.Role ?? "agent") : null,
                JsonText.Object(c.AdditionalAttributes));
        }).ToList();
    }

    public async Task<List<SearchContactJson>> ContactsAsync(AccountScope scope, Query query, CancellationToken ct = default)
    {
        var contacts = db.Contacts.AsNoTracking().Where(c => c.AccountId == scope.AccountId
            && ((c.Email != null && c.Email != "") || (c.PhoneNumber != null && c.PhoneNumber != "") || (c.Identifier != null && c.Identifier != "")));
        if (query.Text.Length > 0)
        {
            var matching = FullTextSearch.Contacts(db, scope.AccountId, query.Text);
            contacts = contacts.Where(c => matching.Contains(c.Id));
        }
        var page = await contacts.OrderByDescending(c => c.LastActivityAt != null).ThenByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id)
            .Skip(query.Skip).Take(PageSize).ToListAsync(ct);
        return page.Select(ToJson).ToList();
    }

    public async Task<List<SearchMessageJson>> MessagesAsync(AccountScope scope, Query query, CancellationToken ct = default)
    {
        var since = DateTime.UtcNow - MessageWindow;
        var messages = db.Messages.AsNoTracking()
            .Where(m => m.AccountId == scope.AccountId && m.MessageType != MessageType.Activity && m.CreatedAt >= since);
        if (InboxAccess.LimitedTo(scope) is { } userId)
            messages = messages.Where(m => db.InboxMembers.Any(im => im.InboxId == m.InboxId && im.UserId == userId));
        // A query without a letter or digit holds no word to look for: it finds nothing.
        var words = query.Text.Length > 0 ? FullTextSearch.Words(query.Text) : [];
        List<Message> page;
        if (db.Database.IsNpgsql() && words.Count > 0)
        {
            // Newest first, a common word's page is among the newest messages, a rare word's only in the words' GIN
            // index (which lists a word's messages in no useful order: "ORDER BY Id DESC LIMIT" over it reads every
            // match, ≈100,000 for a common word). So: the newest NewestTested messages are tested one by one — a
            // word's letters first (strpos, where a word's beginning cannot be missing), its words only where those
            // are there — and when they fill the page it is the answer (every newer message was tested); otherwise
            // the index finds the matches, and only they are read.
            // Words the statistics call rare (not among the conversations' common words: WordFrequencies, no statement)
            // would not fill a page from the newest messages: the index is asked at once. Either way the same page.
            var tsQuery = FullTextSearch.TsQuery(words);
            var rare = await WordFrequencies.RareAsync(db, words, ConversationFilter.FewMatches, ct);
            page = [];
            if (!rare)
            {
                var newest = messages.OrderByDescending(m => m.Id).Take(NewestTested);
                foreach (var word in words) newest = newest.Where(m => m.Content!.ToLower().Contains(word));
                page = await newest.Where(m => FullTextSearch.MessageContentMatches(m.Content, tsQuery))
                    .OrderByDescending(m => m.Id).Skip(query.Skip).Take(PageSize).ToListAsync(ct);
            }
            if (page.Count < PageSize)
            {
                var paged = messages.Where(m => FullTextSearch.MessageContentMatches(m.Content, tsQuery))
                    .OrderByDescending(m => m.Id).Skip(query.Skip).Take(PageSize);
                page = await FullTextSearch.FromIndexBitmapsAsync(db, () => paged.ToListAsync(ct), ct);
            }
        }
        else if (words.Count > 0)
        {
            // SQLite: FTS5 lists a word's messages by rowid (the message's id), so it reads them newest first and stops
            // at the page; "Id IN (its matches) ORDER BY Id DESC" looked every match up and sorted them (≈1.6 s for a
            // word in 100,000 messages against ≈4 ms).
            var limitedTo = InboxAccess.LimitedTo(scope);
            var match = await FullTextSearch.SqliteMatchAsync(db, "MessagesSearchTerms", words, ct);
            var ids = match is null ? new List<int>() : await db.Database.SqlQuery<int>($"""
                SELECT s.rowid AS "Value" FROM "MessagesSearch" s JOIN "Messages" m ON m."Id" = s.rowid
                WHERE "MessagesSearch" MATCH {match} AND m."AccountId" = {scope.AccountId}
                  AND m."MessageType" <> 2 AND m."CreatedAt" >= {since}
                  AND ({limitedTo} IS NULL OR EXISTS (SELECT 1 FROM "InboxMembers" im WHERE im."InboxId" = m."InboxId" AND im."UserId" = {limitedTo}))
                ORDER BY s.rowid DESC LIMIT {PageSize} OFFSET {query.Skip}
                """).ToListAsync(ct);
            page = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id)).OrderByDescending(m => m.Id).ToListAsync(ct);
        }
        else
        {
            if (query.Text.Length > 0) messages = messages.Where(_ => false);
            page = await messages.OrderByDescending(m => m.Id).Skip(query.Skip).Take(PageSize).ToListAsync(ct);
        }
        if (page.Count == 0) return [];

        var conversationIds = page.Select(m => m.ConversationId).Distinct().ToArray();
        var displayIds = await db.Conversations.Where(c => conversationIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayId, ct);
        var inboxIds = page.Select(m => m.InboxId).Distinct().ToArray();
        var inboxes = await db.Inboxes.AsNoTracking().Where(i => inboxIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var senders = await MessageSenders.LoadAsync(db, cache, links, page, ct);
        return page.Select(m => ToJson(m, displayIds[m.ConversationId], inboxes[m.InboxId], senders)).ToList();
    }

    private static SearchMessageJson ToJson(Message m, int conversationDisplayId, Inbox inbox, MessageSenders senders) => new(
        m.Id, m.Content, (int)m.MessageType, m.ContentType, m.SourceId, m.InboxId, conversationDisplayId, UnixTime.Seconds(m.CreatedAt),
        senders.For(m), ToJson(inbox));

    private static SearchInboxJson ToJson(Inbox i) => new(i.Id, i.Id, i.Name, i.ChannelType);

    private static SearchContactJson ToJson(Contact c) => new(c.Email, c.Id, c.Name, c.PhoneNumber, c.Identifier,
        JsonText.Object(c.AdditionalAttributes), c.LastActivityAt is { } at ? UnixTime.Seconds(at) : null);
}
