using System.Text.Json.Nodes;
using UniLink.Features.Contacts;
using UniLink.Features.Messages;
using UniLink.Features.Public;
using UniLink.Infrastructure.Caching;

namespace UniLink.Features.Widget;

/// <summary>A website visitor as a request names them: the website inbox, their contact in it and that contact.</summary>
public sealed record Visitor(Inbox Inbox, ContactInbox Link, Contact Contact)
{
    public Actor Actor => new(Contact.Name ?? "Visitor", SenderTypes.Contact, Contact.Id);
}

/// <summary>What the widget's <c>setUser</c> asks for, read from the reference's body.</summary>
public sealed record VisitorIdentity(string Identifier, string? IdentifierHash, string? Email, string? Name, string? AvatarUrl, string? PhoneNumber,
    JsonObject? CustomAttributes);

/// <summary>An agent of a website inbox as the widget shows them (<c>inbox_members</c>).</summary>
public sealed record WidgetAgent(int Id, string Name, string AvatarUrl, string AvailabilityStatus);

/// <summary>An event the widget reports: its name (<c>webwidget.triggered</c>), its <c>event_info</c> and the widget's locale.</summary>
public sealed record WidgetEventInput(string Name, JsonObject? EventInfo, string? Locale);

/// <summary>
/// The rules of the widget API (<c>/api/v1/widget/…</c>): who a request's visitor is, new visitors, identifying them
/// (<c>setUser</c> with the inbox's identity verification), their conversations and the context stored with them.
/// </summary>
public sealed class WidgetVisitors(UniLinkDb db, ContactService contacts, VisitorTokens tokens, ReadCache cache)
{
    private sealed record WebsiteKey(string Token);
    private static readonly Type[] WebsiteReadsFrom = [typeof(Inbox)];

    /// <summary>
    /// The website inbox of a snippet's <c>website_token</c>. Every widget request and socket asks: it comes from the read
    /// cache until the inboxes are written (settings, allowed domains), so a visitor's message costs no query for it.
    /// The inbox is shared by the requests: read it, never change it.
    /// </summary>
    public async Task<Inbox?> WebsiteAsync(string? websiteToken, CancellationToken ct) =>
        string.IsNullOrEmpty(websiteToken) || websiteToken.Length > 64
            ? null
            : await cache.GetOrReadAsync(new WebsiteKey(websiteToken), WebsiteReadsFrom, c =>
                db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.InboxIdentifier == websiteToken && i.ChannelType == ChannelTypes.WebWidget, c), ct);

    /// <summary>The visitor an <c>X-Auth-Token</c> names, only in the inbox it was issued for (a token never crosses inboxes or accounts).</summary>
    public async Task<Visitor?> VisitorAsync(Inbox inbox, string? authToken, CancellationToken ct)
    {
        if (tokens.Read(authToken) is not { } claim || claim.InboxId != inbox.Id) return null;
        var link = await db.ContactInboxes.AsNoTracking().Include(l => l.Contact)
            .FirstOrDefaultAsync(l => l.InboxId == inbox.Id && l.SourceId == claim.SourceId, ct);
        return link is null ? null : new Visitor(inbox, link, link.Contact);
    }

    /// <summary>A new visitor: a contact of their own and its link to the inbox, with the token the widget keeps.</summary>
    public async Task<(Visitor Visitor, string Token)> NewVisitorAsync(Inbox inbox, CancellationToken ct)
    {
        var contact = await contacts.CreateAsync(new Contact
        {
            AccountId = inbox.AccountId, Name = $"Visitor {Random.Shared.Next(1000, 9999)}",
        }, ct);
        return await LinkAsync(inbox, contact, hmacVerified: false, ct);
    }

    private async Task<(Visitor Visitor, string Token)> LinkAsync(Inbox inbox, Contact contact, bool hmacVerified, CancellationToken ct)
    {
        var link = await db.ContactInboxes.FirstOrDefaultAsync(l => l.InboxId == inbox.Id && l.ContactId == contact.Id, ct);
        if (link is null)
        {
            link = new ContactInbox { ContactId = contact.Id, InboxId = inbox.Id, SourceId = Guid.NewGuid().ToString(), CreatedAt = UnixTime.Now() };
            db.ContactInboxes.Add(link);
        }
        if (hmacVerified) link.HmacVerified = true;
        await db.SaveChangesAsync(ct);
        return (new Visitor(inbox, link, contact), tokens.Issue(inbox.Id, link.SourceId));
    }

    /// <summary>
    /// <c>setUser</c>: a valid <c>identifier_hash</c> (HMAC-SHA256 of the identifier with the inbox's <c>hmac_token</c>) proves
    /// the identifier, marks the contact <c>hmac_verified</c> and reaches that contact's own record (and conversations) from any
    /// browser; a wrong hash, or none when the inbox enforces identity verification, is refused (null). Without a proof the
    /// identifier only names the visitor's own contact: claiming someone else's identifier or e-mail takes nothing over — the
    /// claim is kept aside as <c>unverified_identifier</c>/<c>unverified_email</c>, as the public API does.
    /// </summary>
    /// <returns>The visitor now, and a new token when the widget must switch to another contact; null when refused.</returns>
    public async Task<(Visitor Visitor, string? NewToken)?> IdentifyAsync(Visitor visitor, VisitorIdentity who, CancellationToken ct)
    {
        var verified = IdentifierHash.Matches(visitor.Inbox.HmacToken, who.Identifier, who.IdentifierHash);
        if (!verified && (who.IdentifierHash is { Length: > 0 } || visitor.Inbox.HmacMandatory)) return null;
        var accountId = visitor.Inbox.AccountId;
        var owner = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.AccountId == accountId && c.Identifier == who.Identifier, ct);
        var current = visitor;
        string? newToken = null;
        if (owner is not null && owner.Id != visitor.Contact.Id && verified)
        {
            // The proven owner of the identifier: the widget continues as them.
            (current, newToken) = await LinkAsync(visitor.Inbox, owner, hmacVerified: true, ct);
        }
        else if (visitor.Contact.Identifier is { } mine && mine != who.Identifier && (owner is null || verified))
        {
            // The visitor was someone else before (another user signed in on that browser): a contact of their own.
            var fresh = await contacts.CreateAsync(new Contact { AccountId = accountId, Name = who.Name }, ct);
            (current, newToken) = await LinkAsync(visitor.Inbox, fresh, verified, ct);
        }
        else if (verified && !visitor.Link.HmacVerified)
        {
            (current, _) = await LinkAsync(visitor.Inbox, visitor.Contact, hmacVerified: true, ct);
        }
        var claimsIdentifier = owner is null || owner.Id == current.Contact.Id;
        var updated = await UpdateContactAsync(current, who.Name, who.Email, who.PhoneNumber, who.CustomAttributes, who.AvatarUrl,
            claimsIdentifier ? who.Identifier : null, unverifiedIdentifier: claimsIdentifier ? null : who.Identifier, ct);
        return (current with { Contact = updated }, newToken);
    }

    /// <summary>
    /// Changes what the visitor says about themselves; an e-mail another contact of the account holds is kept aside as
    /// <c>unverified_email</c> (agents see the claim, the other contact is untouched). Null values leave a field alone.
    /// </summary>
    public async Task<Contact> UpdateContactAsync(Visitor visitor, string? name, string? email, string? phone, JsonObject? custom,
        string? avatarUrl = null, string? identifier = null, string? unverifiedIdentifier = null, CancellationToken ct = default)
    {
        var accountId = visitor.Inbox.AccountId;
        var contactId = visitor.Contact.Id;
        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();
        var claims = await contacts.SortClaimsAsync(accountId, contactId, email, null, ct);
        var updated = await contacts.ChangeAsync(accountId, contactId, c =>
        {
            if (!string.IsNullOrWhiteSpace(name)) c.Name = name.Trim();
            if (!string.IsNullOrWhiteSpace(phone)) c.PhoneNumber = phone.Trim();
            if (identifier is not null) c.Identifier = identifier;
            if (avatarUrl is { Length: > 0 } && Uri.TryCreate(avatarUrl, UriKind.Absolute, out var a) && a.Scheme is "http" or "https") c.Thumbnail = avatarUrl;
            var additional = JsonText.Object(c.AdditionalAttributes);
            if (claims.Email is not null) c.Email = claims.Email;
            else if (email is not null && c.Email != email) claims.KeepAsideIn(additional);
            if (unverifiedIdentifier is not null) additional["unverified_identifier"] = unverifiedIdentifier;
            c.AdditionalAttributes = JsonText.Serialize(additional);
            if (custom is not null)
            {
                var attributes = JsonText.Object(c.CustomAttributes);
                foreach (var (key, value) in custom) attributes[key] = value?.DeepClone();
                c.CustomAttributes = JsonText.Serialize(attributes);
            }
        }, ct);
        return updated ?? visitor.Contact;
    }

    public async Task<Contact> RemoveCustomAttributesAsync(Visitor visitor, IReadOnlyCollection<string> keys, CancellationToken ct) =>
        await contacts.ChangeAsync(visitor.Inbox.AccountId, visitor.Contact.Id, c =>
        {
            var attributes = JsonText.Object(c.CustomAttributes);
            foreach (var key in keys) attributes.Remove(key);
            c.CustomAttributes = JsonText.Serialize(attributes);
        }, ct) ?? visitor.Contact;

    /// <summary>
    /// The inbox's agents as the widget shows them (the reference's <c>inbox_members</c>): name, avatar and availability,
    /// only members of the inbox's account; the widget asks for the visitor's e-mail when none is online.
    /// </summary>
    public Task<List<WidgetAgent>> AgentsAsync(Inbox inbox, CancellationToken ct) =>
        db.InboxMembers.AsNoTracking()
            .Where(m => m.InboxId == inbox.Id && db.AccountUsers.Any(a => a.AccountId == inbox.AccountId && a.UserId == m.UserId))
            .OrderBy(m => m.Id)
            .Select(m => new WidgetAgent(m.UserId, string.IsNullOrWhiteSpace(m.User.DisplayName) ? m.User.Name : m.User.DisplayName, m.User.Thumbnail, m.User.AvailabilityStatus))
            .ToListAsync(ct);

    /// <summary>The reference's widget event names (<c>Events::Types</c>): the one the widget sends when the visitor opens it.</summary>
    public const string WidgetTriggered = "webwidget.triggered";

    /// <summary>
    /// An event the widget reports (<c>POST …/events</c>). <c>webwidget.triggered</c> (the visitor opened the widget)
    /// goes to webhooks and the inbox's agent bot as <c>webwidget_triggered</c>, with the widget's <c>event_info</c> and
    /// what the server knows of the browser (<c>widget_language</c>, <c>browser_language</c>, <c>browser</c>), as the
    /// reference. Other names do nothing, as the reference's dispatcher has no listener for them.
    /// </summary>
    public async Task<bool> ReportEventAsync(Visitor visitor, WidgetEventInput input, HttpRequest request, CancellationToken ct)
    {
        if (input.Name != WidgetTriggered) return false;
        var info = input.EventInfo?.DeepClone().AsObject() ?? new JsonObject();
        var language = BrowserLanguage(request);
        info["widget_language"] = input.Locale;
        info["browser_language"] = language;
        info["browser"] = BrowserInfo.Of(request.Headers.UserAgent.ToString());
        Webhooks.Outbox.WidgetTriggered(db, visitor.Inbox.AccountId, visitor.Link, info);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static string? BrowserLanguage(HttpRequest request)
    {
        var language = request.Headers.AcceptLanguage.ToString().Split([',', ';'], 2)[0].Trim();
        return language.Length is > 0 and <= 35 ? language : null;
    }

    /// <summary>The visitor's latest conversation in the inbox (the one the widget shows), or null before their first message.</summary>
    public Task<Conversation?> LatestConversationAsync(Visitor visitor, CancellationToken ct) =>
        db.Conversations.AsNoTracking().Where(c => c.ContactInboxId == visitor.Link.Id).OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct);

    /// <summary>The same, tracked by this request's context, for a message written into it: the message's write then
    /// updates it without reading it again.</summary>
    public Task<Conversation?> LatestConversationToWriteAsync(Visitor visitor, CancellationToken ct) =>
        db.Conversations.Where(c => c.ContactInboxId == visitor.Link.Id).OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct);

    /// <summary>
    /// What the reference stores with a widget conversation, for agents and apps: the browser (from the User-Agent), its
    /// language, the page the visitor wrote from (<c>referer</c>) and when (<c>initiated_at.timestamp</c>, the browser's own clock text).
    /// </summary>
    public static string AdditionalAttributes(HttpRequest request, string? refererUrl, string? timestamp)
    {
        return JsonText.Serialize(new JsonObject
        {
            ["browser_language"] = BrowserLanguage(request),
            ["browser"] = BrowserInfo.Of(request.Headers.UserAgent.ToString()),
            ["initiated_at"] = new JsonObject { ["timestamp"] = timestamp },
            ["referer"] = refererUrl,
        });
    }
}
