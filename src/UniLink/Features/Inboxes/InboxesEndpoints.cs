namespace UniLink.Features.Inboxes;

public static class InboxesEndpoints
{
    /// <summary>Maps <c>/api/v1/accounts/{account_id}/…</c> routes of this feature onto the account group.</summary>
    public static RouteGroupBuilder MapInboxes(this RouteGroupBuilder account)
    {
        return account;
    }
}
