using UniLink.Infrastructure.Live;

namespace UniLink.Features.Contacts;

/// <summary>A note's text as a write gives it; null leaves it as it is.</summary>
public sealed record ContactNoteInput(string? Content) : IBodyInput<ContactNoteInput>
{
    public static string? Wrapper => "note";

    /// <summary>Reads the fields from a body already unwrapped from "note"; a field of the wrong type is the body's problem.</summary>
    public static ContactNoteInput From(RequestBody body, bool creating = false) => new(body.String("content", ContactNoteService.MaxContent, trim: false));
}

/// <summary>
/// Agents' notes on a contact: every member of the account reads, writes, changes and deletes them, as the reference.
/// The API and the contact panel share these rules and writes; a note in another account is as if it did not exist.
/// </summary>
public sealed class ContactNoteService(IDbContextFactory<UniLinkDb> dbs, LiveBus live)
{
    public const int MaxContent = 20_000;
    public const int MaxListed = 500;

    /// <summary>The contact's notes, newest first, with their authors; null when the contact is not in the account.</summary>
    public async Task<List<ContactNote>?> ListAsync(int accountId, int contactId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Contacts.AnyAsync(c => c.Id == contactId && c.AccountId == accountId, ct)) return null;
        return await db.ContactNotes.AsNoTracking().Include(n => n.User).Where(n => n.ContactId == contactId && n.AccountId == accountId)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(MaxListed).ToListAsync(ct);
    }

    public async Task<ContactNote?> FindAsync(int accountId, int contactId, int noteId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Note(db, accountId, contactId, noteId).AsNoTracking().Include(n => n.User).FirstOrDefaultAsync(ct);
    }

    public async Task<WriteResult<ContactNote>> CreateAsync(int accountId, int contactId, int? authorId, ContactNoteInput input, CancellationToken ct = default)
    {
        if (ContentProblem(input.Content, required: true) is { } problem) return problem;
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Contacts.AnyAsync(c => c.Id == contactId && c.AccountId == accountId, ct)) return new WriteResult<ContactNote>.Missing();
        var now = UnixTime.Now();
        var note = new ContactNote { AccountId = accountId, ContactId = contactId, UserId = authorId, Content = input.Content!, CreatedAt = now, UpdatedAt = now };
        db.ContactNotes.Add(note);
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.ContactChanged));
        return (await FindAsync(accountId, contactId, note.Id, ct))!;
    }

    public async Task<WriteResult<ContactNote>> UpdateAsync(int accountId, int contactId, int noteId, ContactNoteInput input, CancellationToken ct = default)
    {
        if (ContentProblem(input.Content, required: false) is { } problem) return problem;
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (input.Content is { } content)
        {
            var now = UnixTime.Now();
            if (await Note(db, accountId, contactId, noteId).ExecuteUpdateAsync(s => s.SetProperty(n => n.Content, content).SetProperty(n => n.UpdatedAt, now), ct) == 0)
                return new WriteResult<ContactNote>.Missing();
            live.Publish(new LiveEvent(accountId, LiveEvent.ContactChanged));
        }
        return await FindAsync(accountId, contactId, noteId, ct) is { } note ? note : new WriteResult<ContactNote>.Missing();
    }

    public async Task<WriteResult<ContactNote>> DeleteAsync(int accountId, int contactId, int noteId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await Note(db, accountId, contactId, noteId).AsNoTracking().Include(n => n.User).FirstOrDefaultAsync(ct) is not { } note)
            return new WriteResult<ContactNote>.Missing();
        await Note(db, accountId, contactId, noteId).ExecuteDeleteAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.ContactChanged));
        return note;
    }

    private static WriteProblem? ContentProblem(string? content, bool required) =>
        (content is null && required) || (content is not null && string.IsNullOrWhiteSpace(content))
            ? new WriteProblem("Content can't be blank", "content") : null;

    private static IQueryable<ContactNote> Note(UniLinkDb db, int accountId, int contactId, int noteId) =>
        db.ContactNotes.Where(n => n.Id == noteId && n.ContactId == contactId && n.AccountId == accountId);
}
