using Microsoft.EntityFrameworkCore;
using UniLink.Features.Accounts;
using UniLink.Features.Agents;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Contacts;

/// <summary>A contact's labels and agents' notes on a contact (every member of the account, as the reference).</summary>
public static class ContactNotesEndpoints
{
    public const int MaxNote = 20_000;

    public sealed record NoteJson(int Id, string Content, int AccountId, int ContactId, AgentJson? User, long CreatedAt, long UpdatedAt);

    public static RouteGroupBuilder MapContactNotes(this RouteGroupBuilder account)
    {
        var contact = account.MapGroup("/contacts/{contact_id}").WithTags("Contacts");

        contact.MapGet("/labels", async (AccountScope scope, string contact_id, UniLinkDb db, CancellationToken ct) =>
            await FindContactAsync(db, scope, contact_id, ct) is { } c
                ? Results.Json(new { payload = await LabelsAsync(db, c.Id, ct) }, WireJson.Options)
                : ApiErrors.NotFound());

        // Replaces the contact's labels, as the reference's label concern does.
        contact.MapPost("/labels", async (AccountScope scope, string contact_id, HttpRequest request, UniLinkDb db, LiveBus live, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (await FindContactAsync(db, scope, contact_id, ct) is not { } c) return ApiErrors.NotFound();
            var labels = body!.Strings("labels", maxItems: 50);
            if (labels is null && body.Error is null) body.Problem("labels", "must be a list of label names");
            if (body.Error is { } e) return e;
            var invalid = labels!.FirstOrDefault(l => !Labels.LabelRules.IsValidTitle(l));
            if (invalid is not null) return ApiErrors.Invalid($"Label '{invalid}' may only contain letters, digits, '-' and '_'", "labels");
            var wanted = labels!.Select(l => l.ToLowerInvariant()).Distinct().ToHashSet(StringComparer.Ordinal);
            var current = await db.ContactLabels.Where(l => l.ContactId == c.Id).ToListAsync(ct);
            db.ContactLabels.RemoveRange(current.Where(l => !wanted.Contains(l.Title)));
            db.ContactLabels.AddRange(wanted.Where(t => current.All(l => l.Title != t)).Select(t => new ContactLabel { ContactId = c.Id, Title = t }));
            await db.SaveChangesAsync(ct);
            live.Publish(new LiveEvent(scope.AccountId, LiveEvent.ContactChanged));
            return Results.Json(new { payload = await LabelsAsync(db, c.Id, ct) }, WireJson.Options);
        });

        var notes = contact.MapGroup("/notes");

        notes.MapGet("/", async (AccountScope scope, string contact_id, UniLinkDb db, CancellationToken ct) =>
        {
            if (await FindContactAsync(db, scope, contact_id, ct) is not { } c) return ApiErrors.NotFound();
            var list = await db.ContactNotes.AsNoTracking().Include(n => n.User).Where(n => n.ContactId == c.Id)
                .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(500).ToListAsync(ct);
            var roles = await RolesAsync(db, scope.AccountId, list, ct);
            return Results.Json(list.Select(n => ToJson(n, roles)), WireJson.Options);
        });

        notes.MapGet("/{note_id}", async (AccountScope scope, string contact_id, string note_id, UniLinkDb db, CancellationToken ct) =>
        {
            if (await FindNoteAsync(db, scope, contact_id, note_id, ct) is not { } n) return ApiErrors.NotFound();
            return Results.Json(ToJson(n, await RolesAsync(db, scope.AccountId, [n], ct)), WireJson.Options);
        });

        notes.MapPost("/", async (AccountScope scope, string contact_id, HttpRequest request, UniLinkDb db, LiveBus live, CancellationToken ct) =>
        {
            var (raw, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            if (await FindContactAsync(db, scope, contact_id, ct) is not { } c) return ApiErrors.NotFound();
            var body = raw!.Unwrap("note");
            var content = body.String("content", MaxNote, trim: false);
            if (body.Error is { } e) return e;
            if (string.IsNullOrWhiteSpace(content)) return ApiErrors.Invalid("Content can't be blank", "content");
            var now = UnixTime.Now();
            var note = new ContactNote { AccountId = scope.AccountId, ContactId = c.Id, UserId = scope.UserId, Content = content, CreatedAt = now, UpdatedAt = now };
            db.ContactNotes.Add(note);
            await db.SaveChangesAsync(ct);
            live.Publish(new LiveEvent(scope.AccountId, LiveEvent.ContactChanged));
            note = await db.ContactNotes.AsNoTracking().Include(n => n.User).FirstAsync(n => n.Id == note.Id, ct);
            return Results.Json(ToJson(note, await RolesAsync(db, scope.AccountId, [note], ct)), WireJson.Options);
        });

        notes.MapPatch("/{note_id}", UpdateAsync);
        notes.MapPut("/{note_id}", UpdateAsync);

        notes.MapDelete("/{note_id}", async (AccountScope scope, string contact_id, string note_id, UniLinkDb db, LiveBus live, CancellationToken ct) =>
        {
            if (await FindNoteAsync(db, scope, contact_id, note_id, ct) is not { } n) return ApiErrors.NotFound();
            await db.ContactNotes.Where(x => x.Id == n.Id).ExecuteDeleteAsync(ct);
            live.Publish(new LiveEvent(scope.AccountId, LiveEvent.ContactChanged));
            return Results.Ok();
        });

        return account;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, string contact_id, string note_id, HttpRequest request, UniLinkDb db, LiveBus live, CancellationToken ct)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        if (await FindNoteAsync(db, scope, contact_id, note_id, ct) is not { } n) return ApiErrors.NotFound();
        var body = raw!.Unwrap("note");
        var content = body.String("content", MaxNote, trim: false);
        if (body.Error is { } e) return e;
        if (content is not null && string.IsNullOrWhiteSpace(content)) return ApiErrors.Invalid("Content can't be blank", "content");
        if (content is not null)
        {
            var now = UnixTime.Now();
            await db.ContactNotes.Where(x => x.Id == n.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Content, content).SetProperty(x => x.UpdatedAt, now), ct);
            live.Publish(new LiveEvent(scope.AccountId, LiveEvent.ContactChanged));
        }
        var updated = await db.ContactNotes.AsNoTracking().Include(x => x.User).FirstAsync(x => x.Id == n.Id, ct);
        return Results.Json(ToJson(updated, await RolesAsync(db, scope.AccountId, [updated], ct)), WireJson.Options);
    }

    private static NoteJson ToJson(ContactNote n, Dictionary<int, string> roles) => new(n.Id, n.Content, n.AccountId, n.ContactId,
        n.User?.ToAgentJson(n.AccountId, roles.GetValueOrDefault(n.User.Id, Roles.Agent)), UnixTime.Seconds(n.CreatedAt), UnixTime.Seconds(n.UpdatedAt));

    private static Task<Dictionary<int, string>> RolesAsync(UniLinkDb db, int accountId, IReadOnlyList<ContactNote> notes, CancellationToken ct)
    {
        var ids = notes.Where(n => n.UserId is not null).Select(n => n.UserId!.Value).Distinct().ToArray();
        return db.AccountUsers.Where(m => m.AccountId == accountId && ids.Contains(m.UserId)).ToDictionaryAsync(m => m.UserId, m => m.Role, ct);
    }

    private static Task<List<string>> LabelsAsync(UniLinkDb db, int contactId, CancellationToken ct) =>
        db.ContactLabels.Where(l => l.ContactId == contactId).OrderBy(l => l.Title).Select(l => l.Title).ToListAsync(ct);

    private static async Task<Contact?> FindContactAsync(UniLinkDb db, AccountScope scope, string id, CancellationToken ct) =>
        int.TryParse(id, out var contactId)
            ? await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId && c.AccountId == scope.AccountId, ct)
            : null;

    private static async Task<ContactNote?> FindNoteAsync(UniLinkDb db, AccountScope scope, string contactId, string noteId, CancellationToken ct) =>
        int.TryParse(contactId, out var cid) && int.TryParse(noteId, out var nid)
            ? await db.ContactNotes.AsNoTracking().Include(n => n.User).FirstOrDefaultAsync(n => n.Id == nid && n.ContactId == cid && n.AccountId == scope.AccountId, ct)
            : null;
}
