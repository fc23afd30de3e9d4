using System.Text.Json.Nodes;
using UniLink.Features.Webhooks;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Contacts;

/// <summary>Contact writes, shared by the API, the dashboard's contact panel and the public API.</summary>
public sealed partial class ContactService(UniLinkDb db, LiveBus live, Attachments.StoredFiles stored, ContactAvatars avatars)
{
    /// <summary>A new contact of the account from the given fields, or the first rule it breaks (nothing is written).</summary>
    public async Task<WriteResult<Contact>> CreateAsync(int accountId, ContactInput input, CancellationToken ct = default)
    {
        if (await ProblemAsync(accountId, 0, input, ct) is { } problem) return problem;
        var contact = new Contact { AccountId = accountId };
        Apply(contact, input, await ThumbnailAsync(input, ct));
        return await CreateAsync(contact, ct);
    }

    /// <summary>Changes the given fields of a contact of the account, or answers the first rule they break (nothing is written).</summary>
    public async Task<WriteResult<Contact>> UpdateAsync(int accountId, int contactId, ContactInput input, CancellationToken ct = default)
    {
        if (!await db.Contacts.AnyAsync(c => c.AccountId == accountId && c.Id == contactId, ct)) return new WriteResult<Contact>.Missing();
        if (await ProblemAsync(accountId, contactId, input, ct) is { } problem) return problem;
        var thumbnail = await ThumbnailAsync(input, ct);
        // Applied to the stored row, so that a concurrent change of another attribute key is kept.
        var updated = await ChangeAsync(accountId, contactId, c => Apply(c, input, thumbnail), ct);
        return updated is null ? new WriteResult<Contact>.Missing() : updated;
    }

    /// <summary>
    /// The contact rules: an e-mail address, an E.164 phone number, e-mail and identifier unique in the account (beside
    /// the contact <paramref name="contactId"/> itself; 0 for a new one), an http(s) avatar URL.
    /// </summary>
    private async Task<WriteProblem?> ProblemAsync(int accountId, int contactId, ContactInput input, CancellationToken ct)
    {
        var email = input.Email;
        if (email is { Length: > 0 } && !System.Net.Mail.MailAddress.TryCreate(email, out _)) return new WriteProblem("Email is invalid", "email");
        if (input.PhoneNumber is { Length: > 0 } phone && !PhonePattern().IsMatch(phone))
            return new WriteProblem("Phone number should be in e164 format", "phone_number");
        if (email is { Length: > 0 } && await db.Contacts.AnyAsync(c => c.AccountId == accountId && c.Email == email && c.Id != contactId, ct))
            return new WriteProblem("Email has already been taken", "email");
        if (input.Identifier is { Length: > 0 } identifier
            && await db.Contacts.AnyAsync(c => c.AccountId == accountId && c.Identifier == identifier && c.Id != contactId, ct))
            return new WriteProblem("Identifier has already been taken", "identifier");
        if (input.AvatarUrl is { Length: > 0 } avatarUrl && AvatarUri(avatarUrl) is null)
            return new WriteProblem("Avatar url is not an http(s) address", "avatar_url");
        return null;
    }

    private static Uri? AvatarUri(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    /// <summary>The avatar, fetched once: a URL that gives no usable image leaves the thumbnail as it was (README, Attachments).</summary>
    private async Task<string?> ThumbnailAsync(ContactInput input, CancellationToken ct) =>
        input.AvatarUrl is { Length: > 0 } url && AvatarUri(url) is { } avatar ? await avatars.FetchAsync(avatar, ct) : null;

    /// <summary>Copies the given fields onto <paramref name="contact"/>; the attributes are merged key by key.</summary>
    private static void Apply(Contact contact, ContactInput input, string? thumbnail)
    {
        if (thumbnail is not null) contact.Thumbnail = thumbnail;
        if (input.Given.Contains("name")) contact.Name = input.Name;
        if (input.Given.Contains("email")) contact.Email = string.IsNullOrEmpty(input.Email) ? null : input.Email;
        if (input.Given.Contains("phone_number")) contact.PhoneNumber = string.IsNullOrEmpty(input.PhoneNumber) ? null : input.PhoneNumber;
        if (input.Given.Contains("identifier")) contact.Identifier = string.IsNullOrEmpty(input.Identifier) ? null : input.Identifier;
        if (input.Blocked is { } blocked) contact.Blocked = blocked;
        contact.AdditionalAttributes = Merge(contact.AdditionalAttributes, input.AdditionalAttributes, null);
        contact.CustomAttributes = Merge(contact.CustomAttributes, input.CustomAttributes, input.RemovedCustomAttributes);
    }

    private static string Merge(string stored, JsonObject? changes, IReadOnlyCollection<string>? removed)
    {
        if (changes is null && removed is null) return stored;
        var merged = JsonText.Object(stored);
        foreach (var (key, value) in changes ?? []) merged[key] = value?.DeepClone();
        foreach (var key in removed ?? []) merged.Remove(key);
        return JsonText.Serialize(merged);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\+[1-9]\d{1,14}$")]
    private static partial System.Text.RegularExpressions.Regex PhonePattern();

    /// <summary>
    /// What a caller nobody verified claims (the public API, the widget's visitors): an e-mail or identifier that another
    /// contact of the account holds stays with the claimant, kept aside as <c>unverified_email</c> /
    /// <c>unverified_identifier</c>, so that the real contact's record keeps working for agents.
    /// </summary>
    public async Task<UnverifiedClaims> SortClaimsAsync(int accountId, int? claimantId, string? email, string? identifier, CancellationToken ct = default)
    {
        var aside = new Dictionary<string, string>();
        if (email is not null && await db.Contacts.AnyAsync(c => c.AccountId == accountId && c.Email == email && c.Id != claimantId, ct))
            (aside["unverified_email"], email) = (email, null);
        if (identifier is not null && await db.Contacts.AnyAsync(c => c.AccountId == accountId && c.Identifier == identifier && c.Id != claimantId, ct))
            (aside["unverified_identifier"], identifier) = (identifier, null);
        return new UnverifiedClaims(email, identifier, aside);
    }

    public async Task<Contact> CreateAsync(Contact contact, CancellationToken ct = default)
    {
        var now = UnixTime.Now();
        contact.CreatedAt = now;
        contact.UpdatedAt = now;
        db.Contacts.Add(contact);
        Outbox.Contact(db, contact, WebhookEvents.ContactCreated);
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(contact.AccountId, LiveEvent.ContactChanged));
        return contact;
    }

    /// <summary>Applies a change its caller has checked to the stored contact and saves it (the widget's visitors have rules of their own).</summary>
    public async Task<Contact?> ChangeAsync(int accountId, int contactId, Action<Contact> update, CancellationToken ct = default)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.AccountId == accountId && c.Id == contactId, ct);
        if (contact is null) return null;
        var avatarBefore = Attachments.StoredFiles.AvatarKey(contact.Thumbnail);
        update(contact);
        contact.UpdatedAt = UnixTime.Now();
        // As the reference: contact_updated only when something the contact shows changed.
        if (Outbox.ChangedAttributes(db.Entry(contact)) is { } changed) Outbox.Contact(db, contact, WebhookEvents.ContactUpdated, changed);
        await db.SaveChangesAsync(ct);
        // A replaced (or removed) avatar's file goes with it.
        if (avatarBefore is not null && avatarBefore != Attachments.StoredFiles.AvatarKey(contact.Thumbnail)) await stored.RemoveAsync([avatarBefore]);
        live.Publish(new LiveEvent(accountId, LiveEvent.ContactChanged));
        return contact;
    }

    public async Task<bool> DeleteAsync(int accountId, int contactId, CancellationToken ct = default)
    {
        // The contact's conversations (and their messages and files) go with it, as in the reference: the files' keys are
        // read in the transaction that deletes the rows, and the bytes removed once it committed.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var contact = db.Contacts.Where(c => c.AccountId == accountId && c.Id == contactId);
        var thumbnail = await contact.Select(c => c.Thumbnail).FirstOrDefaultAsync(ct);
        var keys = await Attachments.StoredFiles.KeysOfAsync(
            Attachments.StoredFiles.InConversations(db, db.Conversations.Where(c => c.AccountId == accountId && c.ContactId == contactId).Select(c => c.Id)), ct);
        var deleted = await contact.ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        if (deleted == 0) return false;
        await stored.RemoveAsync([.. keys, Attachments.StoredFiles.AvatarKey(thumbnail)]);
        live.Publish(new LiveEvent(accountId, LiveEvent.ContactChanged));
        return true;
    }
}

/// <summary>The claims a contact may hold (<see cref="Email"/>, <see cref="Identifier"/>) and those kept aside in its additional attributes.</summary>
public sealed record UnverifiedClaims(string? Email, string? Identifier, IReadOnlyDictionary<string, string> Aside)
{
    public void KeepAsideIn(System.Text.Json.Nodes.JsonObject additionalAttributes)
    {
        foreach (var (key, value) in Aside) additionalAttributes[key] = value;
    }
}
