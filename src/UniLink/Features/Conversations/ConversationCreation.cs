namespace UniLink.Features.Conversations;

/// <summary><c>POST …/conversations</c>: a conversation for a contact in an inbox, optionally with its first message.</summary>
public static class ConversationCreation
{
    public static async Task<IResult> HandleAsync(AccountScope scope, HttpRequest request, UniLinkDb db,
        ConversationService service, ConversationReader reader, Inboxes.InboxAccess access, CancellationToken ct)
    {
        var (body, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        var input = ConversationInput.From(body!);
        if (body!.Error is { } e) return e;
        // An agent opens conversations only in the inboxes they work (the reference authorizes the inbox).
        if (!await access.CanSeeInboxAsync(scope, input.InboxId, ct)) return ApiErrors.NotAllowed();
        var created = await service.CreateAsync(scope.AccountId, input, await ConversationsEndpoints.ActorAsync(scope, db, ct), ct);
        return await created.ToHttpAsync(async c => (await reader.ToJsonAsync([(await reader.FindAsync(scope.AccountId, c.DisplayId, ct))!], ct))[0]);
    }
}
