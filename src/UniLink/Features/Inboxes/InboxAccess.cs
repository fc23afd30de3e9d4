using UniLink.Infrastructure.Caching;

namespace UniLink.Features.Inboxes;

/// <summary>
/// Which inboxes a caller works, as the reference's <c>assigned_inboxes</c>: administrators (and the account's bots)
/// every inbox of the account, agents only those they are members of. An agent sees, counts, opens and acts on the
/// conversations of those inboxes only.
/// </summary>
public sealed class InboxAccess(ReadCache cache, UniLinkDb db)
{
    private sealed record Key(int AccountId, int UserId);
    private static readonly Type[] ReadsFrom = [typeof(InboxMember), typeof(Inbox)];

    /// <summary>Administrators and bots see every inbox; an agent's view is limited.</summary>
    public static bool SeesAll(AccountScope scope) => scope.UserId is null || scope.IsAdministrator;

    /// <summary>The user whose inbox memberships limit what the caller sees; null: nothing is limited.</summary>
    public static int? LimitedTo(AccountScope scope) => SeesAll(scope) ? null : scope.UserId;

    /// <summary>Only the conversations of inboxes <paramref name="userId"/> is a member of (none limit when null).</summary>
    public static IQueryable<Conversation> Visible(IQueryable<Conversation> conversations, UniLinkDb db, int? userId) =>
        userId is { } uid ? conversations.Where(c => db.InboxMembers.Any(m => m.InboxId == c.InboxId && m.UserId == uid)) : conversations;

    /// <summary>The ids of the account's inboxes the user is a member of (from the read cache).</summary>
    public async Task<IReadOnlySet<int>> MemberInboxIdsAsync(int accountId, int userId, CancellationToken ct = default) =>
        await cache.GetOrReadAsync(new Key(accountId, userId), ReadsFrom, async token =>
            (IReadOnlySet<int>)(await db.InboxMembers.Where(m => m.UserId == userId && db.Inboxes.Any(i => i.Id == m.InboxId && i.AccountId == accountId))
                .Select(m => m.InboxId).ToListAsync(token)).ToHashSet(), ct);

    public async Task<bool> CanSeeInboxAsync(AccountScope scope, int inboxId, CancellationToken ct = default) =>
        SeesAll(scope) || (await MemberInboxIdsAsync(scope.AccountId, scope.UserId!.Value, ct)).Contains(inboxId);

    /// <summary>
    /// On a group whose routes name a conversation (<c>{display_id}</c>): an agent who does not work its inbox is
    /// refused before anything is read or written, as the reference's <c>authorize @conversation</c> (401). A
    /// conversation that does not exist is left to the endpoint (404).
    /// </summary>
    public static TBuilder OnlyConversationsOfOwnInboxes<TBuilder>(TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Items[typeof(AccountScope)] is AccountScope scope && !SeesAll(scope)
                && int.TryParse(http.Request.RouteValues["display_id"]?.ToString(), out var displayId))
            {
                var db = http.RequestServices.GetRequiredService<UniLinkDb>();
                var inboxId = await db.Conversations.Where(c => c.AccountId == scope.AccountId && c.DisplayId == displayId)
                    .Select(c => (int?)c.InboxId).FirstOrDefaultAsync(http.RequestAborted);
                if (inboxId is { } id && !await http.RequestServices.GetRequiredService<InboxAccess>().CanSeeInboxAsync(scope, id, http.RequestAborted))
                    return ApiErrors.NotAllowed();
            }
            return await next(context);
        });
}
