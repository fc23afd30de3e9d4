using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Query;
using UniLink.Features.Contacts;
using UniLink.Features.Messages;
using UniLink.Features.Teams;
using UniLink.Infrastructure.Caching;

namespace UniLink.Features.Conversations;

/// <summary>Reads conversations and turns them into <see cref="ConversationJson"/>, a page at a time, in a fixed number of queries.</summary>
public sealed class ConversationReader(UniLinkDb db, ReadCache cache, Attachments.AttachmentLinks links)
{
    /// <summary>Every entity a conversation's JSON is made of (for <see cref="Infrastructure.Caching.ReadCache"/>).</summary>
    public static readonly Type[] ReadsFrom =
    [
        typeof(Conversation), typeof(Contact), typeof(ContactInbox), typeof(Inboxes.Inbox), typeof(ConversationLabel),
        typeof(Message), typeof(User), typeof(AccountUser), typeof(AgentBot), typeof(Attachments.Attachment), typeof(Teams.Team),
    ];

    /// <summary>Conversations with what the wire shape needs loaded.</summary>
    public IQueryable<Conversation> Query(int accountId) =>
        db.Conversations.AsNoTracking()
            .Include(c => c.Contact).Include(c => c.Inbox).Include(c => c.Labels).Include(c => c.ContactInbox).Include(c => c.Assignee).Include(c => c.Team)
            .Where(c => c.AccountId == accountId);

    public Task<Conversation?> FindAsync(int accountId, int displayId, CancellationToken ct = default) => FindQuery.For(db)(db, accountId, displayId, ct);

    // Compiled (show and every conversation operation look a conversation up): no LINQ translated per request.
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int, CancellationToken, Task<Conversation?>>> FindQuery = new(() =>
        EF.CompileAsyncQuery((UniLinkDb db, int accountId, int displayId, CancellationToken ct) => db.Conversations.AsNoTracking()
            .Include(c => c.Contact).Include(c => c.Inbox).Include(c => c.Labels).Include(c => c.ContactInbox).Include(c => c.Assignee).Include(c => c.Team)
            .Where(c => c.AccountId == accountId && c.DisplayId == displayId).FirstOrDefault()));

    /// <summary>The API's shape: <c>messages</c> holds the latest message only.</summary>
    public async Task<IReadOnlyList<ConversationJson>> ToJsonAsync(IReadOnlyList<Conversation> conversations, CancellationToken ct = default)
    {
        if (conversations.Count == 0) return [];
        var context = await LoadContextAsync(conversations, ct);
        var latest = context.Latest.Values.Select(l => l.Latest).OfType<int>().ToHashSet();
        var latestNonActivity = context.Latest.Values.Select(l => l.LatestNonActivity).OfType<int>().ToHashSet();
        var wanted = latest.Concat(latestNonActivity).Distinct().ToArray();
        // The messages and their attachments in one query; senders that are the conversations' own contacts and
        // assignees are not read again.
        var rows = await db.Messages.AsNoTracking().Where(m => wanted.Contains(m.Id))
            .Select(m => new { Message = m, Attachments = db.Attachments.Where(a => a.MessageId == m.Id).ToList() }).ToListAsync(ct);
        var messages = rows.Select(r => r.Message).ToList();
        var senders = await MessageSenders.LoadAsync(db, cache, links, messages, rows.SelectMany(r => r.Attachments).ToList(),
            conversations.Select(c => c.Contact).DistinctBy(c => c.Id).ToList(), conversations.Select(c => c.Assignee).OfType<User>().DistinctBy(u => u.Id).ToList(), ct);

        return conversations.Select(c =>
        {
            var own = messages.Where(m => m.ConversationId == c.Id).ToList();
            var shown = own.Where(m => latest.Contains(m.Id)).Select(m => senders.ToJson(m, c.DisplayId)).ToList();
            var lastNonActivity = own.Where(m => latestNonActivity.Contains(m.Id)).Select(m => senders.ToJson(m, c.DisplayId)).FirstOrDefault();
            return ToJson(c, shown, lastNonActivity, context);
        }).ToList();
    }

    /// <summary>
    /// Page <paramref name="page"/> (from 1) of ordered conversations. Page 1, the one read most, has its limit in the
    /// statement's text and no offset: PostgreSQL keeps a generic plan for it (with a limit or an offset as a parameter
    /// it never does, and planned the page's seven tables anew on every request).
    /// </summary>
    /// <remarks>
    /// A later page finds its ids first and then reads those rows: an offset over whole rows reads every row it skips
    /// (page 4,000 of a 200,000-conversation account: 100,000 rows from the table), over the ids alone it walks the
    /// sorting index only. The list and the filter read a later page without a search in two statements instead
    /// (<see cref="LaterPageJsonAsync"/>); this one is a search's.
    /// </remarks>
    public static IQueryable<Conversation> Page(IQueryable<Conversation> ordered, int page, int size)
    {
        if (page <= 1) return TakeConstant(ordered, size);
        var ids = TakeConstant(ordered.Skip((page - 1) * size), size).Select(c => c.Id);
        return ordered.Where(c => ids.Contains(c.Id));
    }

    // Take(EF.Constant(size)) as an expression: EF writes a Take's number as a parameter, and EF.Constant cannot be
    // called outside one.
    private static IQueryable<Conversation> TakeConstant(IQueryable<Conversation> from, int size) =>
        from.Provider.CreateQuery<Conversation>(Expression.Call(TakeMethod, from.Expression, Expression.Call(ConstantMethod, Expression.Constant(size))));

    private static readonly MethodInfo TakeMethod = new Func<IQueryable<Conversation>, int, IQueryable<Conversation>>(Queryable.Take).Method;
    private static readonly MethodInfo ConstantMethod = typeof(EF).GetMethod(nameof(EF.Constant))!.MakeGenericMethod(typeof(int));

    /// <summary>The conversations a list page is read from: no includes (<see cref="PageJsonAsync"/> projects what it needs).</summary>
    public IQueryable<Conversation> Rows(int accountId) => db.Conversations.AsNoTracking().Where(c => c.AccountId == accountId);

    private sealed record PageRow(Conversation Conversation, Contact Contact, string Channel, User? Assignee, string? AssigneeRole, Team? Team,
        bool HmacVerified, string? Labels, int? Latest, int? LatestNonActivity, int Unread);

    /// <summary>A newest message with its sender, once per attachment (a message without any: one row, no attachment).</summary>
    private sealed record MessageRow(Message Message, Contact? Contact, User? User, AgentBot? Bot, Attachments.Attachment? Attachment);

    private const string LabelSeparator = "\u001f";

    /// <summary>
    /// A list page (the API's shape, as <see cref="ToJsonAsync"/>) in two round trips: the page's conversations projected
    /// with their contact, inbox channel, assignee and role, team, labels, newest message ids and unread count (each
    /// an index seek per row), then the newest messages joined with their senders and attachments. No entity graph is
    /// built and nothing is read per row.
    /// </summary>
    /// <param name="page">The page's conversations, filtered, ordered and paged, from <see cref="Rows"/>.</param>
    public async Task<IReadOnlyList<ConversationJson>> PageJsonAsync(IQueryable<Conversation> page, int accountId, CancellationToken ct = default)
    {
        var c = Expression.Parameter(typeof(Conversation), "c");
        var row = ReplacingExpressionVisitor.Replace(RowOf.Parameters, [Expression.Constant(db), Expression.Field(Expression.Constant(new StrongBox<int>(accountId)), nameof(StrongBox<int>.Value)), c], RowOf.Body);
        return await JsonOfAsync(await page.Select(Expression.Lambda<Func<Conversation, PageRow>>(row, c)).ToListAsync(ct), ct);
    }

    /// <summary>
    /// A later page as <see cref="PageJsonAsync"/>, from its ids (<see cref="ConversationFilter.PageIdsAsync"/>: the
    /// sorting index alone), then those conversations from a compiled statement. The one statement, its offset in its
    /// text, was planned anew for every request (PostgreSQL judged no generic plan of it good enough): 2.0-2.6 ms of
    /// planning its seven tables and sub-selects against 1.6 ms executing page 400 of the open list. The ids' statement
    /// is one table, cheap to plan; the rows' statement, whose only parameters are the account and the ids, keeps its plan.
    /// </summary>
    public async Task<IReadOnlyList<ConversationJson>> LaterPageJsonAsync(int[] ids, int accountId, CancellationToken ct = default)
    {
        if (ids.Length == 0) return [];
        var rows = new List<PageRow>(ids.Length);
        if (db is PostgresUniLinkDb)
        {
            var messages = new List<MessageRow>(ids.Length + 2);
            await foreach (var row in ByIdsShown.For(db)(db, accountId, ids).WithCancellation(ct)) AddShown(rows, messages, row.Row, row.Shown);
            return JsonOfShown(rows, messages);
        }
        await foreach (var row in ByIds.For(db)(db, accountId, ids).WithCancellation(ct)) rows.Add(row);
        return await JsonOfAsync(rows, ct);
    }

    /// <summary>A row of a statement that joins each conversation with its newest messages (PostgreSQL's lateral join):
    /// the conversation once per newest message (and attachment), its rows one after the other (the list's order).</summary>
    private static void AddShown(List<PageRow> rows, List<MessageRow> messages, PageRow row, MessageRow shown)
    {
        if (rows.Count == 0 || rows[^1].Conversation.Id != row.Conversation.Id) rows.Add(row);
        if (shown.Message is not null) messages.Add(shown); // null: a conversation without messages
    }

    /// <summary>
    /// The JSON of rows read with their newest messages (<see cref="AddShown"/>) whose newest ids the statement did not
    /// look up a second time (<see cref="NewestIdsFromShown"/>): each row's newest and newest non-activity messages were
    /// read once, in the lateral join (<see cref="NewestOfRow"/>) — the newest is the greater id of the two, the newest
    /// non-activity the greater id of those that are not activities.
    /// </summary>
    private IReadOnlyList<ConversationJson> JsonOfShown(List<PageRow> rows, List<MessageRow> messages)
    {
        var newest = new Dictionary<int, (int Latest, int? LatestNonActivity)>(rows.Count);
        foreach (var m in messages.Select(r => r.Message))
        {
            var (latest, nonActivity) = newest.GetValueOrDefault(m.ConversationId);
            newest[m.ConversationId] = (Math.Max(latest, m.Id),
                m.MessageType == MessageType.Activity ? nonActivity : Math.Max(nonActivity ?? 0, m.Id));
        }
        for (var i = 0; i < rows.Count; i++)
            if (newest.TryGetValue(rows[i].Conversation.Id, out var n)) rows[i] = rows[i] with { Latest = n.Latest, LatestNonActivity = n.LatestNonActivity };
        return JsonOf(rows, messages);
    }

    /// <summary>
    /// Page 1 of the list without a search, labels or filter conditions — what every dashboard reads, again after every
    /// change — as <see cref="PageJsonAsync"/>, from a compiled query: the page's projection is a large expression that
    /// EF otherwise walks, extracts the parameters of and looks up in its query cache on every request.
    /// </summary>
    /// <remarks>
    /// Each row also carries the list's kept counts (<see cref="ConversationFilter.KeptCountRows"/>): sub-selects that do
    /// not depend on the row, which the database computes once per statement — one round trip fewer a request. An empty
    /// page carries none (null): its caller counts them on their own.
    /// </remarks>
    public async Task<(ConversationCounts? Counts, IReadOnlyList<ConversationJson> Payload)> FirstPageJsonAsync(ConversationFilter filter, int accountId,
        CancellationToken ct = default)
    {
        var query = filter.AssigneeType switch
        {
            "me" or "mine" => FirstPageMine, "unassigned" => FirstPageUnassigned, "assigned" => FirstPageAssigned, _ => FirstPageAll,
        };
        var rows = new List<PageRow>(ConversationsEndpoints.PageSize);
        ConversationFilter.KeptCounts? counts = null;
        if (db is PostgresUniLinkDb)
        {
            var shownQuery = filter.AssigneeType switch
            {
                "me" or "mine" => FirstPageMineShown, "unassigned" => FirstPageUnassignedShown, "assigned" => FirstPageAssignedShown, _ => FirstPageAllShown,
            };
            var messages = new List<MessageRow>(ConversationsEndpoints.PageSize + 2);
            await foreach (var row in shownQuery.For(db)(db, accountId, filter.LimitedTo, filter.Status, filter.InboxId, filter.TeamId, filter.UserId, filter.UserId ?? 0)
                .WithCancellation(ct))
            {
                AddShown(rows, messages, row.Row, row.Shown);
                counts ??= new(row.Mine, row.Assigned, row.Unassigned);
            }
            return (counts is null ? null : ConversationFilter.Capped(counts), JsonOfShown(rows, messages));
        }
        await foreach (var row in query.For(db)(db, accountId, filter.LimitedTo, filter.Status, filter.InboxId, filter.TeamId, filter.UserId, filter.UserId ?? 0)
            .WithCancellation(ct))
        {
            rows.Add(row.Row);
            counts ??= new(row.Mine, row.Assigned, row.Unassigned);
        }
        return (counts is null ? null : ConversationFilter.Capped(counts), await JsonOfAsync(rows, ct));
    }

    /// <summary>A page 1 row with the list's three kept counts (the same in every row).</summary>
    private sealed record CountedRow(PageRow Row, long Mine, long Assigned, long Unassigned);

    /// <summary>A page 1 row once per newest message row (its message null when there is none), with the kept counts.</summary>
    private sealed record CountedShownRow(PageRow Row, MessageRow Shown, long Mine, long Assigned, long Unassigned);

    // A list row: the conversation with its contact, inbox channel, assignee and the assignee's role, team, HMAC flag,
    // labels, newest and newest non-activity message ids and unread count. Parameters: the context, the account, the row.
    // The contact, assignee and team are read with the columns their JSON shows only (the assignee's password hash, tokens
    // and settings are not), the labels as one aggregate per row: a collection would repeat the row once per label and
    // make EF build a delegate per row to fill it.
    private static readonly Expression<Func<UniLinkDb, int, Conversation, PageRow>> RowOf = (db, accountId, c) => new PageRow(
        c,
        new Contact
        {
            Id = c.Contact.Id, Name = c.Contact.Name, Email = c.Contact.Email, PhoneNumber = c.Contact.PhoneNumber, Identifier = c.Contact.Identifier,
            Thumbnail = c.Contact.Thumbnail, Blocked = c.Contact.Blocked, AdditionalAttributes = c.Contact.AdditionalAttributes,
            CustomAttributes = c.Contact.CustomAttributes, LastActivityAt = c.Contact.LastActivityAt, CreatedAt = c.Contact.CreatedAt,
        },
        c.Inbox.ChannelType,
        c.Assignee == null ? null : new User
        {
            Id = c.Assignee.Id, Name = c.Assignee.Name, DisplayName = c.Assignee.DisplayName, Email = c.Assignee.Email,
            AvailabilityStatus = c.Assignee.AvailabilityStatus, AutoOffline = c.Assignee.AutoOffline, Confirmed = c.Assignee.Confirmed,
            Thumbnail = c.Assignee.Thumbnail, AccessTokenHash = "",
        },
        db.AccountUsers.Where(m => m.AccountId == accountId && m.UserId == c.AssigneeId).Select(m => m.Role).FirstOrDefault(),
        c.Team == null ? null : new Team
        {
            Id = c.Team.Id, AccountId = c.Team.AccountId, Name = c.Team.Name, Description = c.Team.Description, AllowAutoAssign = c.Team.AllowAutoAssign,
        },
        c.ContactInbox != null && c.ContactInbox.HmacVerified,
        db.ConversationLabels.Where(l => l.ConversationId == c.Id).GroupBy(l => l.ConversationId)
            .Select(g => string.Join(LabelSeparator, g.Select(l => l.Title))).FirstOrDefault(),
        db.Messages.Where(m => m.ConversationId == c.Id).OrderByDescending(m => m.Id).Select(m => (int?)m.Id).FirstOrDefault(),
        db.Messages.Where(m => m.ConversationId == c.Id && m.MessageType != MessageType.Activity)
            .OrderByDescending(m => m.Id).Select(m => (int?)m.Id).FirstOrDefault(),
        db.Messages.Count(m => m.ConversationId == c.Id && m.MessageType == MessageType.Incoming
            && m.CreatedAt > (c.AgentLastSeenAt ?? DateTime.MinValue)));

    private static readonly CompiledPerModel<Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, int, IAsyncEnumerable<CountedRow>>> FirstPageAll = new(() => CompileFirstPage((c, userId) => true));
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, int, IAsyncEnumerable<CountedRow>>> FirstPageMine = new(() => CompileFirstPage((c, userId) => c.AssigneeId == userId));
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, int, IAsyncEnumerable<CountedRow>>> FirstPageUnassigned = new(() => CompileFirstPage((c, userId) => c.AssigneeId == null));
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, int, IAsyncEnumerable<CountedRow>>> FirstPageAssigned = new(() => CompileFirstPage((c, userId) => c.AssigneeId != null));

    // PostgreSQL: the same pages with their rows' newest messages, senders and attachments in the same statement (a lateral
    // join on each row, as the show): one round trip fewer than reading the messages after the page.
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, int, IAsyncEnumerable<CountedShownRow>>> FirstPageAllShown = new(() => CompileFirstPageShown((c, userId) => true));
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, int, IAsyncEnumerable<CountedShownRow>>> FirstPageMineShown = new(() => CompileFirstPageShown((c, userId) => c.AssigneeId == userId));
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, int, IAsyncEnumerable<CountedShownRow>>> FirstPageUnassignedShown = new(() => CompileFirstPageShown((c, userId) => c.AssigneeId == null));
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, int, IAsyncEnumerable<CountedShownRow>>> FirstPageAssignedShown = new(() => CompileFirstPageShown((c, userId) => c.AssigneeId != null));

    // The rows of a later page by their ids, in the list's order (LaterPageJsonAsync).
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int[], IAsyncEnumerable<PageRow>>> ByIds = new(() =>
        CompileRows((UniLinkDb db, int accountId, int[] ids) => db.Conversations.AsNoTracking()
            .Where(c => c.AccountId == accountId && ids.Contains(c.Id))
            .OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id)));

    /// <summary>The conversations <paramref name="found"/> finds (parameters: the context, the account, one more), projected by <see cref="RowOf"/>, compiled.</summary>
    private static Func<UniLinkDb, int, TArg, IAsyncEnumerable<PageRow>> CompileRows<TArg>(Expression<Func<UniLinkDb, int, TArg, IQueryable<Conversation>>> found)
    {
        var p = found.Parameters;
        var c = Expression.Parameter(typeof(Conversation), "c");
        var rows = new EnumerableQuery<Conversation>(found.Body)
            .Select(Expression.Lambda<Func<Conversation, PageRow>>(ReplacingExpressionVisitor.Replace(RowOf.Parameters, [p[0], p[1], c], RowOf.Body), c));
        return EF.CompileAsyncQuery(Expression.Lambda<Func<UniLinkDb, int, TArg, IQueryable<PageRow>>>(rows.Expression, p));
    }

    /// <summary>
    /// The compiled page 1 for one assignee type: the filters of <see cref="ConversationFilter.Apply"/> and
    /// <see cref="ConversationFilter.ApplyAssignee"/> as parameters (a null one filters nothing: EF leaves its condition out
    /// of the statement), ordered as the list is, 25 rows, projected by <see cref="RowOf"/>, with the counts of the same
    /// filters (mine: the caller's id, 0 for a bot) as <see cref="ConversationFilter.CountsAsync"/> adds them up.
    /// </summary>
    private static Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, int, IAsyncEnumerable<CountedRow>> CompileFirstPage(Expression<Func<Conversation, int?, bool>> assignee)
    {
        var (page, p, c, row, kept) = FirstPageParts(assignee);
        Expression<Func<PageRow, IQueryable<ConversationCount>, int, CountedRow>> counted = (pageRow, counts, caller) => new CountedRow(pageRow,
            counts.Sum(k => k.AssigneeId == caller ? (long)k.Count : 0),
            counts.Sum(k => k.AssigneeId != 0 ? (long)k.Count : 0),
            counts.Sum(k => k.AssigneeId == 0 ? (long)k.Count : 0));
        var rows = page.Select(Expression.Lambda<Func<Conversation, CountedRow>>(ReplacingExpressionVisitor.Replace(counted.Parameters, [row, kept, p[^1]], counted.Body), c));
        return EF.CompileAsyncQuery(Expression.Lambda<Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, int, IQueryable<CountedRow>>>(rows.Expression, p));
    }

    /// <summary>As <see cref="CompileFirstPage"/>, each row joined with its newest messages (<see cref="NewestWithSenders"/>).</summary>
    private static Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, int, IAsyncEnumerable<CountedShownRow>> CompileFirstPageShown(Expression<Func<Conversation, int?, bool>> assignee)
    {
        var (page, p, c, row, kept) = FirstPageParts(assignee);
        row = NewestIdsFromShown(row);
        var shown = Expression.Parameter(typeof(MessageRow), "shown");
        Expression<Func<PageRow, MessageRow, IQueryable<ConversationCount>, int, CountedShownRow>> counted = (pageRow, message, counts, caller) =>
            new CountedShownRow(pageRow, message,
                counts.Sum(k => k.AssigneeId == caller ? (long)k.Count : 0),
                counts.Sum(k => k.AssigneeId != 0 ? (long)k.Count : 0),
                counts.Sum(k => k.AssigneeId == 0 ? (long)k.Count : 0));
        var rows = page.SelectMany(Expression.Lambda<Func<Conversation, IEnumerable<MessageRow>>>(NewestWithSenders(p[0], c), c),
            Expression.Lambda<Func<Conversation, MessageRow, CountedShownRow>>(
                ReplacingExpressionVisitor.Replace(counted.Parameters, [row, shown, kept, p[^1]], counted.Body), c, shown));
        return EF.CompileAsyncQuery(Expression.Lambda<Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, int, IQueryable<CountedShownRow>>>(rows.Expression, p));
    }

    // PageRow's Latest and LatestNonActivity.
    private const int LatestArgument = 8, LatestNonActivityArgument = 9;

    /// <summary>A row's projection (<see cref="RowOf"/>) without its newest ids: the lateral join's to find (<see cref="NewestOfRow"/>),
    /// not looked up a second time for the row (<see cref="JsonOfShown"/>).</summary>
    private static Expression NewestIdsFromShown(Expression row)
    {
        var projected = (NewExpression)row;
        var unknown = Expression.Constant(null, typeof(int?));
        return projected.Update(projected.Arguments.Select((a, i) => i is LatestArgument or LatestNonActivityArgument ? unknown : a));
    }

    // PostgreSQL: the rows of a later page by their ids, in the list's order, each joined with its newest messages,
    // senders and attachments as page 1 (one round trip: the rows, then their messages, were two).
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int[], IAsyncEnumerable<ShowRow>>> ByIdsShown = new(() =>
        WithNewestMessages<int[]>((db, accountId, ids) => db.Conversations.AsNoTracking()
            .Where(c => c.AccountId == accountId && ids.Contains(c.Id))
            .OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id)));

    /// <summary>
    /// The conversations <paramref name="found"/> selects, each row (<see cref="RowOf"/>, its newest ids left to the join:
    /// <see cref="NewestIdsFromShown"/>) joined with its newest and newest non-activity messages, their senders and
    /// attachments (<see cref="NewestWithSenders"/>), compiled: PostgreSQL's lateral join, one statement.
    /// </summary>
    private static Func<UniLinkDb, int, TKey, IAsyncEnumerable<ShowRow>> WithNewestMessages<TKey>(Expression<Func<UniLinkDb, int, TKey, IQueryable<Conversation>>> found)
    {
        Expression<Func<PageRow, MessageRow, ShowRow>> pair = (row, shown) => new ShowRow(row, shown);
        var p = found.Parameters;
        var c = Expression.Parameter(typeof(Conversation), "c");
        var shown = Expression.Parameter(typeof(MessageRow), "shown");
        var row = NewestIdsFromShown(ReplacingExpressionVisitor.Replace(RowOf.Parameters, [p[0], p[1], c], RowOf.Body));
        var rows = new EnumerableQuery<Conversation>(found.Body).SelectMany(
            Expression.Lambda<Func<Conversation, IEnumerable<MessageRow>>>(NewestWithSenders(p[0], c), c),
            Expression.Lambda<Func<Conversation, MessageRow, ShowRow>>(ReplacingExpressionVisitor.Replace(pair.Parameters, [row, shown], pair.Body), c, shown));
        return EF.CompileAsyncQuery(Expression.Lambda<Func<UniLinkDb, int, TKey, IQueryable<ShowRow>>>(rows.Expression, p));
    }

    /// <summary>
    /// Page 1's conversations for one assignee type, filtered, ordered and taken (not projected); the parameters (the context,
    /// the account, the filters, the caller for mine); the row parameter; the row's projection (<see cref="RowOf"/>) and the kept counts' rows.
    /// </summary>
    private static (IQueryable<Conversation> Page, ParameterExpression[] Parameters, ParameterExpression Row, Expression Projected, Expression Kept) FirstPageParts(
        Expression<Func<Conversation, int?, bool>> assignee)
    {
        Expression<Func<UniLinkDb, int, int?, ConversationStatus?, int?, int?, int?, IQueryable<Conversation>>> tab =
            (db, accountId, limitedTo, status, inboxId, teamId, userId) => db.Conversations.AsNoTracking()
                .Where(c => c.AccountId == accountId
                    && (limitedTo == null || db.InboxMembers.Any(m => m.InboxId == c.InboxId && m.UserId == limitedTo))
                    && (status == null || c.Status == status) && (inboxId == null || c.InboxId == inboxId) && (teamId == null || c.TeamId == teamId));
        var p = tab.Parameters;
        var mine = Expression.Parameter(typeof(int), "mine");
        var c = Expression.Parameter(typeof(Conversation), "c");
        var kept = ReplacingExpressionVisitor.Replace(ConversationFilter.KeptCountRows.Parameters, [p[0], p[1], p[3], p[4], p[5], p[2]],
            ConversationFilter.KeptCountRows.Body);
        var row = ReplacingExpressionVisitor.Replace(RowOf.Parameters, [p[0], p[1], c], RowOf.Body);
        // Composed on an expression-only queryable: the operators only build the tree that EF compiles.
        var page = new EnumerableQuery<Conversation>(tab.Body)
            .Where(Expression.Lambda<Func<Conversation, bool>>(ReplacingExpressionVisitor.Replace(assignee.Parameters, [c, p[6]], assignee.Body), c))
            .OrderByDescending(x => x.LastActivityAt).ThenByDescending(x => x.Id)
            .Take(ConversationsEndpoints.PageSize);
        return (page, [.. p, mine], c, row, kept);
    }

    /// <summary>The JSON of a page's rows: their newest messages read with their senders and attachments, in one round trip.</summary>
    private async Task<IReadOnlyList<ConversationJson>> JsonOfAsync(List<PageRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var wanted = rows.SelectMany(r => new[] { r.Latest, r.LatestNonActivity }).OfType<int>().Distinct().ToArray();
        var messages = new List<MessageRow>(wanted.Length);
        if (wanted.Length > 0)
        {
            var newest = wanted.Length <= 2 ? NewestTwo.For(db)(db, wanted[0], wanted[^1]) : NewestMessages.For(db)(db, wanted);
            await foreach (var m in newest.WithCancellation(ct)) messages.Add(m);
        }
        return JsonOf(rows, messages);
    }

    /// <summary>The JSON of a page's rows, given their newest messages (each once per attachment).</summary>
    private IReadOnlyList<ConversationJson> JsonOf(List<PageRow> rows, List<MessageRow> messages)
    {
        IEnumerable<MessageRow> SentBy(string senderType) => messages.Where(r => r.Message.SenderType == senderType);
        var senders = MessageSenders.From(
            SentBy(SenderTypes.Contact).Select(r => r.Contact).OfType<Contact>().DistinctBy(x => x.Id).ToDictionary(x => x.Id, x => x.ToSenderJson()),
            SentBy(SenderTypes.User).Select(r => r.User).OfType<User>().DistinctBy(x => x.Id).ToDictionary(x => x.Id, x => x.ToSenderJson()),
            SentBy(SenderTypes.AgentBot).Select(r => r.Bot).OfType<AgentBot>().DistinctBy(x => x.Id).ToDictionary(x => x.Id, x => x.ToSenderJson()),
            // As MessageSenders.LoadAsync: an activity message shows no attachments; a message's attachments in id order.
            messages.Where(r => r.Message.MessageType != MessageType.Activity).Select(r => r.Attachment).OfType<Attachments.Attachment>().OrderBy(a => a.Id), links);
        var byId = new Dictionary<int, Message>(messages.Count);
        foreach (var r in messages) byId.TryAdd(r.Message.Id, r.Message);
        return rows.Select(r =>
        {
            var c = r.Conversation;
            MessageJson? Shown(int? id) => id is { } i && byId.TryGetValue(i, out var m) ? senders.ToJson(m, c.DisplayId) : null;
            var latest = Shown(r.Latest);
            var assignee = r.Assignee?.ToAgentJson(c.AccountId, r.AssigneeRole ?? "agent");
            var labels = string.IsNullOrEmpty(r.Labels) ? [] : r.Labels.Split(LabelSeparator[0]).Order(StringComparer.Ordinal).ToList();
            return ToJson(c, r.Contact, r.Channel, assignee, r.Team, r.HmacVerified, labels, latest is null ? [] : [latest],
                r.LatestNonActivity == r.Latest ? latest : Shown(r.LatestNonActivity), r.Unread);
        }).ToList();
    }

    // Compiled, as the page: the messages a page shows, joined with their senders (the columns their JSON shows) and
    // attachments, flat: an attachments collection per message made EF build a delegate for every row.
    private static readonly CompiledPerModel<Func<UniLinkDb, int[], IAsyncEnumerable<MessageRow>>> NewestMessages = new(() =>
        CompileNewest((UniLinkDb db, int[] wanted) => db.Messages.Where(m => wanted.Contains(m.Id))));

    // The one or two messages of a page of one (the show): as two ids, not an array. PostgreSQL plans "Id" = ANY($1) for
    // ten elements, finds the plan for the two it is given cheaper, and so planned this five-table statement anew on every
    // show; for two parameters its kept (generic) plan is the same as the one it would make.
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int, IAsyncEnumerable<MessageRow>>> NewestTwo = new(() =>
        CompileNewest((UniLinkDb db, int first, int second) => db.Messages.Where(m => m.Id == first || m.Id == second)));

    private static Func<UniLinkDb, TArg1, TArg2, IAsyncEnumerable<MessageRow>> CompileNewest<TArg1, TArg2>(
        Expression<Func<UniLinkDb, TArg1, TArg2, IQueryable<Message>>> wanted)
    {
        var rows = ReplacingExpressionVisitor.Replace(WithSenders.Parameters, [wanted.Parameters[0], wanted.Body], WithSenders.Body);
        return EF.CompileAsyncQuery(Expression.Lambda<Func<UniLinkDb, TArg1, TArg2, IQueryable<MessageRow>>>(rows, wanted.Parameters));
    }

    private static Func<UniLinkDb, TArg, IAsyncEnumerable<MessageRow>> CompileNewest<TArg>(Expression<Func<UniLinkDb, TArg, IQueryable<Message>>> wanted)
    {
        var rows = ReplacingExpressionVisitor.Replace(WithSenders.Parameters, [wanted.Parameters[0], wanted.Body], WithSenders.Body);
        return EF.CompileAsyncQuery(Expression.Lambda<Func<UniLinkDb, TArg, IQueryable<MessageRow>>>(rows, wanted.Parameters));
    }

    // Messages with their senders and attachments. Parameters: the context, the messages wanted.
    private static readonly Expression<Func<UniLinkDb, IQueryable<Message>, IQueryable<MessageRow>>> WithSenders = (db, wanted) =>
        from m in wanted.AsNoTracking()
        // Joined on the id alone (a condition on the sender's type would need APPLY, which SQLite lacks): a row's sender
        // is only the one of its message's sender type.
        from contact in db.Contacts.Where(x => x.Id == m.SenderId).DefaultIfEmpty()
        from user in db.Users.Where(x => x.Id == m.SenderId).DefaultIfEmpty()
        from bot in db.AgentBots.Where(x => x.Id == m.SenderId).DefaultIfEmpty()
        from attachment in db.Attachments.Where(a => a.MessageId == m.Id).DefaultIfEmpty()
        select new MessageRow(m,
            contact == null ? null : new Contact
            {
                Id = contact.Id, Name = contact.Name, Email = contact.Email, PhoneNumber = contact.PhoneNumber, Identifier = contact.Identifier,
                Thumbnail = contact.Thumbnail, Blocked = contact.Blocked, AdditionalAttributes = contact.AdditionalAttributes,
                CustomAttributes = contact.CustomAttributes,
            },
            user == null ? null : new User
            {
                Id = user.Id, Name = user.Name, DisplayName = user.DisplayName, Email = "", AvailabilityStatus = user.AvailabilityStatus,
                Thumbnail = user.Thumbnail, AccessTokenHash = "",
            },
            bot == null ? null : new AgentBot { Id = bot.Id, Name = bot.Name, Thumbnail = bot.Thumbnail, AccessTokenHash = "" },
            attachment);

    /// <summary>
    /// One conversation in the API's shape (the show): read as a list page of one (<see cref="PageJsonAsync"/>) rather
    /// than the entity with its includes. On PostgreSQL in one round trip, its row joined with its newest messages and
    /// their senders (<see cref="ShowWithMessages"/>); on SQLite, which has no lateral join, in two: its row, then its
    /// newest messages.
    /// </summary>
    public async Task<ConversationJson?> ShowJsonAsync(int accountId, int displayId, CancellationToken ct = default)
    {
        var rows = new List<PageRow>(1);
        if (db is not PostgresUniLinkDb)
        {
            await foreach (var row in ShowQuery.For(db)(db, accountId, displayId).WithCancellation(ct)) rows.Add(row);
            return await JsonOfAsync(rows, ct) is [var shown] ? shown : null;
        }
        var messages = new List<MessageRow>(2);
        await foreach (var row in ShowWithMessages.For(db)(db, accountId, displayId).WithCancellation(ct)) AddShown(rows, messages, row.Row, row.Shown);
        return rows.Count == 0 ? null : JsonOfShown(rows, messages)[0];
    }

    // Compiled, as page 1: translated per request, the row's projection (RowOf) was a fifth of an uncached show's CPU
    // (rewritten, walked for its parameters and compared with the query cache's keys each time).
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int, IAsyncEnumerable<PageRow>>> ShowQuery = new(() =>
        CompileRows((UniLinkDb db, int accountId, int displayId) =>
            db.Conversations.AsNoTracking().Where(c => c.AccountId == accountId && c.DisplayId == displayId)));

    // The two ids as RowOf finds them: one index seek each, the messages then read by their primary key; none: one row
    // whose message is null.
    private static readonly Expression<Func<UniLinkDb, Conversation, IQueryable<Message>>> NewestOfRow = (db, c) => db.Messages
        .Where(m => new[]
        {
            db.Messages.Where(x => x.ConversationId == c.Id).OrderByDescending(x => x.Id).Select(x => (int?)x.Id).FirstOrDefault(),
            db.Messages.Where(x => x.ConversationId == c.Id && x.MessageType != MessageType.Activity)
                .OrderByDescending(x => x.Id).Select(x => (int?)x.Id).FirstOrDefault(),
        }.Contains(m.Id))
        .DefaultIfEmpty()!;

    /// <summary>A conversation's newest and newest non-activity messages with their senders and attachments (PostgreSQL: a lateral join on the row).</summary>
    private static Expression NewestWithSenders(ParameterExpression db, ParameterExpression c) =>
        ReplacingExpressionVisitor.Replace(WithSenders.Parameters, [db, ReplacingExpressionVisitor.Replace(NewestOfRow.Parameters, [db, c], NewestOfRow.Body)], WithSenders.Body);

    /// <summary>The show's row once per newest message row (<see cref="MessageRow"/>; its message null when there is none).</summary>
    private sealed record ShowRow(PageRow Row, MessageRow Shown);

    // PostgreSQL: the show's row (RowOf) and its newest and newest non-activity messages with their senders and
    // attachments (WithSenders) in one statement, the messages a lateral join on the row: one round trip fewer than
    // reading them after the row (an uncached show made three: the token with the caller's place, the row, the
    // messages; a third of its server CPU was the kernel's, sending, waiting and waking up for them).
    private static readonly CompiledPerModel<Func<UniLinkDb, int, int, IAsyncEnumerable<ShowRow>>> ShowWithMessages = new(() =>
        WithNewestMessages<int>((db, accountId, displayId) =>
            db.Conversations.AsNoTracking().Where(c => c.AccountId == accountId && c.DisplayId == displayId)));

    /// <summary>The dashboard's shape handed to apps: <c>messages</c> is every message the agent's view has loaded.</summary>
    /// <param name="senders">The loaded messages' senders when the caller has read them (an open conversation): not read again.</param>
    public async Task<ConversationJson> ToJsonWithMessagesAsync(Conversation c, IReadOnlyList<Message> loaded, bool allMessagesLoaded,
        MessageSenders? senders = null, CancellationToken ct = default)
    {
        var context = await LoadContextAsync([c], ct);
        // The newest non-activity message is usually one the view has loaded: read only when it is not.
        var lastId = context.Latest.GetValueOrDefault(c.Id)?.LatestNonActivity;
        var lastLoaded = lastId is { } id ? LoadedMessage(loaded, id) : null;
        var lastNonActivity = lastLoaded ?? (lastId is { } missing
            ? await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == missing, ct) : null);
        var lastSenders = senders;
        if (senders is null) senders = lastSenders = await MessageSenders.LoadAsync(db, cache, links,
            lastNonActivity is null || lastLoaded is not null ? loaded : loaded.Append(lastNonActivity), ct);
        else if (lastNonActivity is not null && lastLoaded is null)
            lastSenders = await MessageSenders.LoadAsync(db, cache, links, [lastNonActivity], ct);
        var json = ToJson(c, loaded.OrderBy(m => m.Id).Select(m => senders.ToJson(m, c.DisplayId)).ToList(),
            lastNonActivity is null ? null : lastSenders!.ToJson(lastNonActivity, c.DisplayId), context);
        return json with { ClientFlags = new() { ["dataFetched"] = true, ["allMessagesLoaded"] = allMessagesLoaded } };
    }

    private static Message? LoadedMessage(IReadOnlyList<Message> loaded, int id)
    {
        for (var i = loaded.Count - 1; i >= 0; i--) if (loaded[i].Id == id) return loaded[i]; // the newest are last
        return null;
    }

    private sealed record RoleKey(int AccountId, int UserId);
    private static readonly Type[] RolesReadFrom = [typeof(AccountUser)];

    /// <summary>The conversation's assignee as the API shows them, with their role in the account; null when unassigned.</summary>
    public async Task<AgentJson?> AssigneeJsonAsync(Conversation c, CancellationToken ct = default)
    {
        if (c.Assignee is not { } a) return null;
        var roles = await RolesAsync(c.AccountId, [a.Id], ct);
        return a.ToAgentJson(c.AccountId, roles.GetValueOrDefault(a.Id, "agent"));
    }

    private Task<Dictionary<int, string>> RolesAsync(int accountId, int[] userIds, CancellationToken ct) =>
        cache.GetManyAsync(userIds, id => new RoleKey(accountId, id), RolesReadFrom,
            (ids, c) => db.AccountUsers.Where(m => m.AccountId == accountId && ids.Contains(m.UserId)).ToDictionaryAsync(m => m.UserId, m => m.Role, c), ct);

    private sealed record Newest(int? Latest, int? LatestNonActivity, int Unread);

    private sealed record Context(Dictionary<int, string> AssigneeRoles, Dictionary<int, Newest> Latest)
    {
        public int Unread(int conversationId) => Latest.TryGetValue(conversationId, out var l) ? l.Unread : 0;
    }

    /// <summary>
    /// Each conversation's newest message, newest non-activity message and unread count in one query, each a seek
    /// in an index of messages by conversation ((ConversationId, Id); (ConversationId, MessageType, CreatedAt)), so
    /// a row costs the same whatever the length of its conversation.
    /// </summary>
    private async Task<Context> LoadContextAsync(IReadOnlyList<Conversation> conversations, CancellationToken ct)
    {
        var ids = conversations.Select(c => c.Id).ToArray();
        var latest = new Dictionary<int, Newest>(ids.Length);
        var roles = new Dictionary<int, string>();
        await foreach (var row in ContextQuery.For(db)(db, ids, conversations[0].AccountId).WithCancellation(ct))
        {
            latest[row.Id] = new Newest(row.Latest, row.LatestNonActivity, row.Unread);
            if (row is { AssigneeId: { } assignee, AssigneeRole: { } role }) roles[assignee] = role;
        }
        return new Context(roles, latest);
    }

    private sealed record ContextRow(int Id, int? AssigneeId, int? Latest, int? LatestNonActivity, int Unread, string? AssigneeRole);

    // Compiled: every conversation JSON outside the list page (the apps' context on each change among them) reads it.
    private static readonly CompiledPerModel<Func<UniLinkDb, int[], int, IAsyncEnumerable<ContextRow>>> ContextQuery = new(() =>
        EF.CompileAsyncQuery((UniLinkDb db, int[] ids, int accountId) => db.Conversations.Where(c => ids.Contains(c.Id))
            .Select(c => new ContextRow(
                c.Id,
                c.AssigneeId,
                db.Messages.Where(m => m.ConversationId == c.Id).OrderByDescending(m => m.Id).Select(m => (int?)m.Id).FirstOrDefault(),
                db.Messages.Where(m => m.ConversationId == c.Id && m.MessageType != MessageType.Activity)
                    .OrderByDescending(m => m.Id).Select(m => (int?)m.Id).FirstOrDefault(),
                // One range of (ConversationId, MessageType, CreatedAt): the unread messages only, not every incoming one.
                db.Messages.Count(m => m.ConversationId == c.Id && m.MessageType == MessageType.Incoming
                    && m.CreatedAt > (c.AgentLastSeenAt ?? DateTime.MinValue)),
                // The assignee's role in the account, in the same round trip.
                db.AccountUsers.Where(m => m.AccountId == accountId && m.UserId == c.AssigneeId).Select(m => m.Role).FirstOrDefault()))));

    private static ConversationJson ToJson(Conversation c, IReadOnlyList<MessageJson> messages, MessageJson? lastNonActivity, Context context) =>
        ToJson(c, c.Contact, c.Inbox.ChannelType,
            c.Assignee is { } a ? a.ToAgentJson(c.AccountId, context.AssigneeRoles.GetValueOrDefault(a.Id, "agent")) : null,
            c.Team, c.ContactInbox?.HmacVerified ?? false, c.Labels.Select(l => l.Title).Order(StringComparer.Ordinal).ToList(),
            messages, lastNonActivity, context.Unread(c.Id));

    private static ConversationJson ToJson(Conversation c, Contact contact, string channel, AgentJson? assignee, Team? team, bool hmacVerified,
        IReadOnlyList<string> labels, IReadOnlyList<MessageJson> messages, MessageJson? lastNonActivity, int unread)
    {
        var meta = new ConversationMetaJson(contact.ToJson(), channel, assignee, assignee is null ? null : "User", team?.ToJson(), hmacVerified);
        return new ConversationJson(
            meta, c.DisplayId, messages, c.AccountId, c.Uuid.ToString(), JsonText.Object(c.AdditionalAttributes),
            UnixTime.SecondsOrZero(c.AgentLastSeenAt), UnixTime.SecondsOrZero(c.AssigneeLastSeenAt), CanReply: true,
            UnixTime.SecondsOrZero(c.ContactLastSeenAt), JsonText.Object(c.CustomAttributes), c.InboxId,
            labels, c.Muted,
            c.SnoozedUntil is { } s ? UnixTime.IsoMillis(s) : null, StatusName(c.Status), UnixTime.Seconds(c.CreatedAt),
            UnixTime.FractionalSeconds(c.UpdatedAt), UnixTime.Seconds(c.LastActivityAt), UnixTime.SecondsOrZero(c.FirstReplyCreatedAt),
            unread, lastNonActivity, UnixTime.Seconds(c.LastActivityAt), c.Priority,
            UnixTime.SecondsOrZero(c.WaitingSince), SlaPolicyId: null);
    }

    public static string StatusName(ConversationStatus s) => s switch
    {
        ConversationStatus.Open => "open",
        ConversationStatus.Resolved => "resolved",
        ConversationStatus.Pending => "pending",
        ConversationStatus.Snoozed => "snoozed",
        _ => "open",
    };
}
