namespace UniLink.Features.Public;

public static class PublicApiEndpoints
{
    /// <summary>Maps <c>/public/api/v1/inboxes/{inbox_identifier}/…</c>, the client API of API inboxes.</summary>
    public static IEndpointRouteBuilder MapPublicApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
