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

        foreach (var route in Routes)
            group.MapGet(route.Path, (AccountScope scope, HttpRequest request, SearchService search, CancellationToken ct) =>
                    SearchAsync(scope, request, search, route, ct))
                .WithName(route.Name).WithSummary(route.Summary).Answers<SearchResultJson>();

        return account;
    }

    /// <summary>One search route: what it looks for (the others are null in its answer).</summary>
    private sealed record Route(string Path, string Name, string Summary, bool Conversations, bool Contacts, bool Messages);

    private static readonly Route[] Routes =
    [
        new("/", "search-everything", "Search conversations, contacts and messages", true, true, true),
        new("/conversations", "search-conversations", "Search conversations by display id or contact", true, false, false),
        new("/contacts", "search-contacts-globally", "Search contacts with an email, phone number or identifier", false, true, false),
        new("/messages", "search-messages", "Search messages of the last 90 days by their words", false, false, true),
    ];

    private static async Task<IResult> SearchAsync(AccountScope scope, HttpRequest request, SearchService search, Route route, CancellationToken ct)
    {
        if (Read(request) is not { } query) return Refusal(request);
        return TypedResults.Json(new SearchResultJson(new SearchPayloadJson(
            route.Conversations ? await search.ConversationsAsync(scope, query, ct) : null,
            route.Contacts ? await search.ContactsAsync(scope, query, ct) : null,
            route.Messages ? await search.MessagesAsync(scope, query, ct) : null)), WireJson.Options);
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
