namespace UniLink.Features.Contacts;

public static class ContactsEndpoints
{
    /// <summary>Maps <c>/api/v1/accounts/{account_id}/…</c> routes of this feature onto the account group.</summary>
    public static RouteGroupBuilder MapContacts(this RouteGroupBuilder account)
    {
        return account;
    }
}
