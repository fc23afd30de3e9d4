using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Search;

/// <summary>
/// <c>GET …/search?q=</c> and its <c>conversations</c>, <c>contacts</c>, <c>messages</c> forms, as the reference's
/// <c>SearchController</c>: any member (not bots), <c>?page=</c> fifteen at a time.
/// </summary>
public static class SearchEndpoints
{
    public static RouteGroupBuilder MapSearch(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/search").WithTags("Search");

        group.MapGet("/", (AccountScope scope, HttpRequest request, SearchService search, CancellationToken ct) =>
            SearchAsync(scope, request, search, conversations: true, contacts: true, messages: true, ct))
            .WithName("search-everything").WithSummary("Search conversations, contacts and messages");
        group.MapGet("/conversations", (AccountScope scope, HttpRequest request, SearchService search, CancellationToken ct) =>
            SearchAsync(scope, request, search, conversations: true, contacts: false, messages: false, ct))
            .WithName("search-conversations").WithSummary("Search conversations by display id or contact");
        group.MapGet("/contacts", (AccountScope scope, HttpRequest request, SearchService search, CancellationToken ct) =>
            SearchAsync(scope, request, search, conversations: false, contacts: true, messages: false, ct))
            .WithName("search-contacts-globally").WithSummary("Search contacts with an email, phone number or identifier");
        group.MapGet("/messages", (AccountScope scope, HttpRequest request, SearchService search, CancellationToken ct) =>
            SearchAsync(scope, request, search, conversations: false, contacts: false, messages: true, ct))
            .WithName("search-messages").WithSummary("Search messages of the last 90 days by their words");

        return account;
    }

    private static async Task<IResult> SearchAsync(AccountScope scope, HttpRequest request, SearchService search,
        bool conversations, bool contacts, bool messages, CancellationToken ct)
    {
        if (Read(request) is not { } query) return Refusal(request);
        return TypedResults.Json(new SearchResultJson(new SearchPayloadJson(
            conversations ? await search.ConversationsAsync(scope, query, ct) : null,
            contacts ? await search.ContactsAsync(scope, query, ct) : null,
            messages ? await search.MessagesAsync(scope, query, ct) : null)), WireJson.Options);
    }

    private static SearchService.Query? Read(HttpRequest request)
    {
        var q = request.Query["q"].ToString().Trim();
        if (q.Contains('\0')) return null;
        var page = 1;
        if (request.Query["page"].ToString() is { Length: > 0 } p && (!int.TryParse(p, out page) || page is < 1 or > SearchService.MaxPage)) return null;
        return new SearchService.Query(q[..Math.Min(q.Length, 200)], page);
    }

    /// <summary>Why <see cref="Read"/> refused the request: a 422 naming the parameter.</summary>
    private static IResult Refusal(HttpRequest request) =>
        request.Query["q"].ToString().Contains('\0')
            ? ApiErrors.Invalid($"Q {RequestBody.NulProblem}", "q")
            : ApiErrors.Invalid("Page must be a whole number from 1", "page");
}
