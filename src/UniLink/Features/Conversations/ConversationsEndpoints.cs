namespace UniLink.Features.Conversations;

public static class ConversationsEndpoints
{
    /// <summary>Maps <c>/api/v1/accounts/{account_id}/…</c> routes of this feature onto the account group.</summary>
    public static RouteGroupBuilder MapConversations(this RouteGroupBuilder account)
    {
        return account;
    }
}
