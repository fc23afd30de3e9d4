using System.Linq.Expressions;

namespace UniLink.Features.Contacts;

/// <summary>
/// The <c>/contacts</c> reads: a page of an account's contacts, most recently active first, and the contact shape those
/// endpoints answer (the contact with its <c>contact_inboxes</c>).
/// </summary>
public static class ContactReader
{
    public const int PageSize = 15;
    public const int MaxPage = 100_000;

    /// <summary>
    /// Page <paramref name="page"/> (1 to <see cref="MaxPage"/>) of the contacts matching <paramref name="q"/> (the
    /// database's own index of name, e-mail, phone number and identifier) and <paramref name="where"/>, with their count.
    /// </summary>
    public static async Task<ContactPageJson> PageAsync(UniLinkDb db, int accountId, int page, string? q,
        Expression<Func<Contact, bool>>? where, CancellationToken ct)
    {
        var query = Matching(db, accountId, q, where);
        var skip = (page - 1) * PageSize;
        // The unfiltered list's count is the one the database keeps (ContactCount): counting is a walk of every contact.
        // A deep page of it seeks its week (ContactWeekCount) in the same snapshot instead of walking every contact before it.
        var unfiltered = where is null && q is null;
        var seeks = unfiltered && skip >= ActivityWeeks.SeekFrom;
        var inOneStatement = seeks && db.Database.IsNpgsql(); // PostgreSQL: the seek and the ids in one statement (its own snapshot)
        await using var snapshot = seeks && !inOneStatement ? await ActivityWeeks.BeginSnapshotAsync(db, ct) : null;
        var count = unfiltered
            ? await db.ContactCounts.Where(k => k.AccountId == accountId).Select(k => k.Count).FirstOrDefaultAsync(ct)
            : await query.CountAsync(ct);
        if (inOneStatement)
        {
            var ids = (await db.Database.SqlQueryRaw<int>(ActivityWeeks.PostgresPageIdsSql(
                """SELECT "Week", "Count" FROM "ContactWeekCounts" AS k WHERE k."AccountId" = {0}""",
                """FROM "Contacts" AS r WHERE r."AccountId" = {0}""", Contact.ActivityAt, "{1}", PageSize), accountId, skip).ToListAsync(ct)).ToArray();
            var found = ids.Length == 0 ? [] : await query.Where(c => ids.Contains(c.Id))
                .OrderByDescending(c => EF.Property<DateTime>(c, Contact.ActivityAt)).ThenByDescending(c => c.Id).ToListAsync(ct);
            return new ContactPageJson(new(count, page), await WithInboxesAsync(db, found, ct));
        }
        if (snapshot is not null)
        {
            var weeks = await db.ContactWeekCounts.Where(k => k.AccountId == accountId).OrderByDescending(k => k.Week)
                .Select(k => new { k.Week, k.Count }).ToListAsync(ct);
            var seek = ActivityWeeks.Seek(weeks.Select(w => (w.Week, (long)w.Count)), skip);
            if (seek is null) return new ContactPageJson(new(count, page), []);
            if (seek.Value.Before is { } end) query = query.Where(c => EF.Property<DateTime>(c, Contact.ActivityAt) < end);
            skip = seek.Value.Skip;
        }
        var ordered = query.OrderByDescending(c => EF.Property<DateTime>(c, Contact.ActivityAt)).ThenByDescending(c => c.Id);
        // A later page reads its ids first, from the ordering index alone, then those rows: an offset over whole rows
        // reads every row it skips (page 5,000: 75,000 contacts).
        var pageIds = ordered.Skip(skip).Take(PageSize).Select(c => c.Id);
        var contacts = await (page == 1 ? ordered.Take(PageSize) : ordered.Where(c => pageIds.Contains(c.Id))).ToListAsync(ct);
        return new ContactPageJson(new(count, page), await WithInboxesAsync(db, contacts, ct));
    }

    /// <summary>The account's contacts matching <paramref name="q"/> and <paramref name="where"/>, as the page counts and orders them.</summary>
    internal static IQueryable<Contact> Matching(UniLinkDb db, int accountId, string? q, Expression<Func<Contact, bool>>? where)
    {
        q = q?[..Math.Min(q.Length, 200)];
        var query = q is not null && db.Database.IsNpgsql()
            ? Search.FullTextSearch.ContactRows(db, accountId, q).AsNoTracking()
            : db.Contacts.AsNoTracking().Where(c => c.AccountId == accountId);
        if (where is not null) query = query.Where(where);
        if (q is not null && !db.Database.IsNpgsql())
        {
            var matching = Search.FullTextSearch.Contacts(db, accountId, q);
            query = query.Where(c => matching.Contains(c.Id));
        }
        return query;
    }

    /// <summary>The contact shape of the <c>/contacts</c> endpoints: the contact plus its <c>contact_inboxes</c>.</summary>
    public static async Task<List<ContactJson>> WithInboxesAsync(UniLinkDb db, List<Contact> contacts, CancellationToken ct)
    {
        var ids = contacts.Select(c => c.Id).ToArray();
        var links = await db.ContactInboxes.AsNoTracking().Include(ci => ci.Inbox).Where(ci => ids.Contains(ci.ContactId)).ToListAsync(ct);
        return contacts.Select(c => c.ToJson() with
        {
            ContactInboxes = links.Where(l => l.ContactId == c.Id).Select(l => new ContactInboxLinkJson(l.SourceId, l.Inbox.ToSlimJson())).ToList(),
        }).ToList();
    }
}

/// <summary>A page of contacts: <c>{"meta": {"count", "current_page"}, "payload": […]}</c>, each contact with its <c>contact_inboxes</c>.</summary>
public sealed record ContactPageJson(ContactPageJson.MetaJson Meta, IEnumerable<ContactJson> Payload)
{
    public sealed record MetaJson(int Count, int CurrentPage);
}
