namespace UniLink.Features.Messages;

public static class MessagesEndpoints
{
    /// <summary>Maps <c>/api/v1/accounts/{account_id}/…</c> routes of this feature onto the account group.</summary>
    public static RouteGroupBuilder MapMessages(this RouteGroupBuilder account)
    {
        return account;
    }
}
