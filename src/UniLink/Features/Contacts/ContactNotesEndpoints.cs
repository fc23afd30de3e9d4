using UniLink.Infrastructure.Live;

namespace UniLink.Features.Contacts;

/// <summary>A contact's labels and agents' notes on a contact (every member of the account, as the reference).</summary>
public static class ContactNotesEndpoints
{
    public sealed record NoteJson(int Id, string Content, int AccountId, int ContactId, AgentJson? User, long CreatedAt, long UpdatedAt);

    public static RouteGroupBuilder MapContactNotes(this RouteGroupBuilder account)
    {
        var contact = account.MapGroup("/contacts/{contact_id:int}").WithTags("Contacts");

        contact.MapGet("/labels", async (AccountScope scope, int contact_id, UniLinkDb db, CancellationToken ct) =>
                await FindContactAsync(db, scope, contact_id, ct) is { } c
                    ? TypedResults.Json(new PayloadJson<string>(await LabelsAsync(db, c.Id, ct)), WireJson.Options)
                    : ApiErrors.NotFound())
            .WithName("list-the-labels-of-a-contact").WithSummary("The contact's labels").Answers<PayloadJson<string>>();

        // Replaces the contact's labels, as the reference's label concern does.
        contact.MapPost("/labels", async (AccountScope scope, int contact_id, HttpRequest request, UniLinkDb db, LiveBus live, CancellationToken ct) =>
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
            return TypedResults.Json(new PayloadJson<string>(await LabelsAsync(db, c.Id, ct)), WireJson.Options);
        }).WithName("set-the-labels-of-a-contact").WithSummary("Replace the contact's labels").Answers<PayloadJson<string>>();

        var notes = contact.MapGroup("/notes");

        notes.MapGet("/", async (AccountScope scope, int contact_id, UniLinkDb db, ContactNoteService service, CancellationToken ct) =>
                await service.ListAsync(scope.AccountId, contact_id, ct) is { } list
                    ? TypedResults.Json(await ToJsonAsync(db, scope.AccountId, list, ct), WireJson.Options) : ApiErrors.NotFound())
            .WithName("list-notes-of-a-contact").WithSummary("The contact's notes, newest first (at most 500)").Answers<NoteJson[]>();

        notes.MapGet("/{note_id:int}", async (AccountScope scope, int contact_id, int note_id, UniLinkDb db, ContactNoteService service, CancellationToken ct) =>
                await service.FindAsync(scope.AccountId, contact_id, note_id, ct) is { } note
                    ? TypedResults.Json((await ToJsonAsync(db, scope.AccountId, [note], ct))[0], WireJson.Options) : ApiErrors.NotFound())
            .WithName("show-a-note-of-a-contact").WithSummary("One note on the contact").Answers<NoteJson>();

        notes.MapPost("/", async (AccountScope scope, int contact_id, Body<ContactNoteInput> body, UniLinkDb db, ContactNoteService service, CancellationToken ct) =>
                body.Error ?? await AnswerAsync(await service.CreateAsync(scope.AccountId, contact_id, scope.UserId, body.Input, ct), db, scope, ct))
            .WithName("create-a-note-in-a-contact").WithSummary("Write a note on the contact (the caller is its author)").Answers<NoteJson>();

        notes.MapPatchAndPut("/{note_id:int}", async (AccountScope scope, int contact_id, int note_id, Body<ContactNoteInput> body, UniLinkDb db, ContactNoteService service, CancellationToken ct) =>
                body.Error ?? await AnswerAsync(await service.UpdateAsync(scope.AccountId, contact_id, note_id, body.Input, ct), db, scope, ct),
            "update-a-note-of-a-contact", "Change a note's text").Answers<NoteJson>();

        notes.MapDelete("/{note_id:int}", async (AccountScope scope, int contact_id, int note_id, ContactNoteService service, CancellationToken ct) =>
                (await service.DeleteAsync(scope.AccountId, contact_id, note_id, ct)).ToEmptyHttp())
            .WithName("delete-a-note-of-a-contact").WithSummary("Delete a note").AnswersEmpty();

        return account;
    }

    private static async Task<IResult> AnswerAsync(WriteResult<ContactNote> result, UniLinkDb db, AccountScope scope, CancellationToken ct) =>
        await result.ToHttpAsync(async note => (await ToJsonAsync(db, scope.AccountId, [note], ct))[0]);

    /// <summary>The notes as the reference renders them, each author as an agent with their role in the account.</summary>
    private static async Task<List<NoteJson>> ToJsonAsync(UniLinkDb db, int accountId, IReadOnlyList<ContactNote> notes, CancellationToken ct)
    {
        var roles = await RolesAsync(db, accountId, notes, ct);
        return notes.Select(n => ToJson(n, roles)).ToList();
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

    private static Task<Contact?> FindContactAsync(UniLinkDb db, AccountScope scope, int contactId, CancellationToken ct) =>
        db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId && c.AccountId == scope.AccountId, ct);
}
