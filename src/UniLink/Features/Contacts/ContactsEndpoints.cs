
namespace UniLink.Features.Contacts;

public static class ContactsEndpoints
{
    public static RouteGroupBuilder MapContacts(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/contacts").WithTags("Contacts");

        group.MapGet("/", (AccountScope scope, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
                ListAsync(db, scope, request, null, ct))
            .WithName("list-contacts").WithSummary("List contacts, 15 a page, most recently active first").Answers<ContactPageJson>();

        group.MapGet("/search", (AccountScope scope, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
                ListAsync(db, scope, request, request.Query["q"].ToString().Trim(), ct))
            .WithName("search-contacts").WithSummary("Search contacts by name, e-mail, phone number or identifier (q)").Answers<ContactPageJson>();

        // The reference's filter payload ({"payload": [{attribute_key, filter_operator, values, query_operator}]}), paged as the list.
        group.MapPost("/filter", async (AccountScope scope, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var page = body!.Int("page");
            if (body.Error is { } e) return e;
            System.Linq.Expressions.Expression<Func<Contact, bool>> where;
            try
            {
                where = await Filters.RecordFilters.ContactsAsync(Filters.FilterPayload.Read(body.Json), db, scope.AccountId, DateTime.UtcNow, ct);
            }
            catch (Filters.FilterProblem problem)
            {
                return TypedResults.Json(new ErrorJson(problem.Message), WireJson.Options, statusCode: 422);
            }
            return await ListAsync(db, scope, request, null, ct, where, page);
        }).WithName("filter-of-contacts").WithSummary("Filter of contacts").Answers<ContactPageJson>();

        group.MapGet("/{contact_id:int}", async (AccountScope scope, int contact_id, UniLinkDb db, CancellationToken ct) =>
                await FindAsync(db, scope, contact_id, ct) is { } c
                    ? TypedResults.Json(new SinglePayloadJson<ContactJson>((await ContactReader.WithInboxesAsync(db, [c], ct))[0]), WireJson.Options)
                    : ApiErrors.NotFound())
            .WithName("show-a-contact").WithSummary("Show a contact with its contact inboxes").Answers<SinglePayloadJson<ContactJson>>();

        group.MapGet("/{contact_id:int}/conversations", async (AccountScope scope, int contact_id, UniLinkDb db, ConversationReader reader, CancellationToken ct) =>
        {
            if (await FindAsync(db, scope, contact_id, ct) is not { } c) return ApiErrors.NotFound();
            // As the reference: only the conversations of inboxes the caller works.
            var conversations = await Inboxes.InboxAccess.Visible(reader.Query(scope.AccountId), db, Inboxes.InboxAccess.LimitedTo(scope)).Where(x => x.ContactId == c.Id)
                .OrderByDescending(x => x.LastActivityAt).Take(100).ToListAsync(ct);
            return TypedResults.Json(new PayloadJson<ConversationJson>(await reader.ToJsonAsync(conversations, ct)), WireJson.Options);
        }).WithName("list-conversations-of-a-contact").WithSummary("The contact's conversations in the inboxes the caller works, newest first").Answers<PayloadJson<ConversationJson>>();

        group.MapGet("/{contact_id:int}/contactable_inboxes", async (AccountScope scope, int contact_id, UniLinkDb db, ContactService contacts, CancellationToken ct) =>
            await FindAsync(db, scope, contact_id, ct) is { } c
                ? TypedResults.Json(new PayloadJson<ContactableInboxJson>(await contacts.ContactableInboxesAsync(scope, c, ct)), WireJson.Options)
                : ApiErrors.NotFound())
            .WithName("list-contactable-inboxes").WithSummary("The inboxes a conversation with the contact can be started in, with its source id there").Answers<PayloadJson<ContactableInboxJson>>();

        // The reference's ContactInboxesController: the inbox must be one the caller works (as its InboxPolicy#show?).
        group.MapPost("/{contact_id:int}/contact_inboxes", async (AccountScope scope, int contact_id, HttpRequest request, UniLinkDb db,
            ContactService contacts, InboxAccess access, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var inboxId = body!.Int("inbox_id", required: true);
            var sourceId = body.String("source_id", 255);
            var hmacVerified = body.Bool("hmac_verified") ?? false;
            if (body.Error is { } e) return e;
            if (await FindAsync(db, scope, contact_id, ct) is not { } contact) return ApiErrors.NotFound();
            if (await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inboxId && i.AccountId == scope.AccountId, ct) is not { } inbox)
                return ApiErrors.NotFound();
            if (!await access.CanSeeInboxAsync(scope, inbox.Id, ct)) return ApiErrors.NotAllowed();
            var (outcome, contactInbox) = await contacts.AddContactInboxAsync(contact, inbox, sourceId, hmacVerified, ct);
            return outcome switch
            {
                ContactService.ContactInboxOutcome.SourceIdTaken => ApiErrors.Invalid("Source has already been taken", "source_id"),
                ContactService.ContactInboxOutcome.NoEmail => ApiErrors.Invalid("Source can't be blank: the contact has no email for this email inbox", "source_id"),
                _ => TypedResults.Json(new ContactableInboxJson(contactInbox!.SourceId, inbox.ToJson(scope.IsAdministrator)), WireJson.Options),
            };
        }).WithName("create-a-contact-inbox").WithSummary("Make the contact reachable in an inbox under a source id").Answers<ContactableInboxJson>();

        // The reference's ContactMergesController: any member; both contacts of this account; answers the base contact record.
        account.MapPost("/actions/contact_merge", async (AccountScope scope, HttpRequest request, ContactService contacts, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var baseId = body!.Int("base_contact_id");
            var mergeeId = body.Int("mergee_contact_id");
            if (body.Error is { } e) return e;
            if (baseId is null) return ApiErrors.MissingParam("base_contact_id");
            if (mergeeId is null) return ApiErrors.MissingParam("mergee_contact_id");
            var (outcome, merged) = await contacts.MergeAsync(scope.AccountId, baseId.Value, mergeeId.Value, ct);
            return outcome == ContactService.MergeOutcome.Merged ? TypedResults.Json(merged!.ToRecordJson(), WireJson.Options) : ApiErrors.NotFound();
        }).WithTags("Contacts").WithName("merge-contacts").WithSummary("Merge the mergee contact into the base contact (the mergee is deleted)").Answers<ContactRecordJson>();

        group.MapPost("/", async (AccountScope scope, HttpRequest request, UniLinkDb db, ContactService contacts, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var inboxId = body!.Int("inbox_id");
            var input = ContactInput.From(body);
            if (body.Error is { } e) return e;
            if (inboxId is { } iid && !await db.Inboxes.AnyAsync(i => i.Id == iid && i.AccountId == scope.AccountId, ct))
                return ApiErrors.Invalid("Inbox is not an inbox of this account", "inbox_id");
            var created = await contacts.CreateAsync(scope.AccountId, input, ct);
            if (created is not WriteResult<Contact>.Done { Value: var contact }) return created.ToHttp(c => c.ToJson());
            ContactCreatedJson.InboxLink? contactInbox = null;
            if (inboxId is { } inbox)
            {
                var ci = new ContactInbox { ContactId = contact.Id, InboxId = inbox, SourceId = Guid.NewGuid().ToString(), CreatedAt = UnixTime.Now() };
                db.ContactInboxes.Add(ci);
                await db.SaveChangesAsync(ct);
                var inboxRow = await db.Inboxes.AsNoTracking().FirstAsync(i => i.Id == inbox, ct);
                contactInbox = new ContactCreatedJson.InboxLink(inboxRow.ToJson(), ci.SourceId);
            }
            return TypedResults.Json(new ContactCreatedJson(new(contact.ToJson(), contactInbox)), WireJson.Options);
        }).WithName("create-a-contact").WithSummary("Create a contact, optionally reachable in an inbox (inbox_id)").Answers<ContactCreatedJson>();

        group.MapPatchAndPut("/{contact_id:int}", async (AccountScope scope, int contact_id, Body<ContactInput> body, ContactService contacts, CancellationToken ct) =>
                body.Error ?? (await contacts.UpdateAsync(scope.AccountId, contact_id, body.Input, ct)).ToHttp(c => new SinglePayloadJson<ContactJson>(c.ToJson())),
            "update-a-contact", "Update a contact: the given fields; attributes are merged").Answers<SinglePayloadJson<ContactJson>>();

        // As the reference's ContactPolicy: only administrators delete contacts.
        group.MapDelete("/{contact_id:int}", async (AccountScope scope, int contact_id, ContactService contacts, CancellationToken ct) =>
                await contacts.DeleteAsync(scope.AccountId, contact_id, ct) ? TypedResults.Ok() : ApiErrors.NotFound())
            .RequireAdministrator().WithName("delete-a-contact").WithSummary("Delete a contact with its conversations").AnswersEmpty();

        return account;
    }

    /// <summary>A new contact, and where it is reachable when an inbox was named: <c>{"payload": {"contact", "contact_inbox"}}</c>.</summary>
    public sealed record ContactCreatedJson(ContactCreatedJson.Created Payload)
    {
        public sealed record Created(ContactJson Contact, InboxLink? ContactInbox);

        public sealed record InboxLink(InboxJson Inbox, string SourceId);
    }

    /// <summary>Reads the page and search parameters; a bad one is the 422 naming it.</summary>
    private static async Task<IResult> ListAsync(UniLinkDb db, AccountScope scope, HttpRequest request, string? q, CancellationToken ct,
        System.Linq.Expressions.Expression<Func<Contact, bool>>? where = null, int? bodyPage = null)
    {
        var page = bodyPage ?? 1;
        if (request.Query["page"].ToString() is { Length: > 0 } p && !int.TryParse(p, out page)) page = 0;
        if (page is < 1 or > ContactReader.MaxPage) return ApiErrors.Invalid("Page must be a whole number from 1", "page");
        if (q is { Length: 0 }) return ApiErrors.MissingParam("q");
        if (q is not null && q.Contains('\0')) return ApiErrors.Invalid($"Q {RequestBody.NulProblem}", "q");
        return TypedResults.Json(await ContactReader.PageAsync(db, scope.AccountId, page, q, where, ct), WireJson.Options);
    }

    private static Task<Contact?> FindAsync(UniLinkDb db, AccountScope scope, int contactId, CancellationToken ct) =>
        db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId && c.AccountId == scope.AccountId, ct);
}
