using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace UniLink.Infrastructure.Http;

/// <summary>Turns what escapes an endpoint into a JSON body: bad requests are 400 with the reason, never a 500.</summary>
public static class ErrorHandling
{
    /// <summary>A lost or refused database connection: the request fails cleanly and the next one may succeed.</summary>
    private static bool IsDatabaseUnavailable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException) return true;
            if (e is Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08001" }) return true;
        }
        return false;
    }

    /// <summary>PostgreSQL refuses U+0000 in text, also as a search term: the request's fault, not the server's.</summary>
    private static bool IsUnstorableText(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is Npgsql.PostgresException { SqlState: "22021" or "22P05" }) return true;
        return false;
    }

    public static void UseUniLinkErrors(this WebApplication app)
    {
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, message) = exception switch
            {
                BadHttpRequestException { InnerException: JsonException j } => (400, $"Malformed JSON: {j.Message}"),
                BadHttpRequestException b => (b.StatusCode, b.Message),
                JsonException j => (400, $"Malformed JSON: {j.Message}"),
                _ when IsDatabaseUnavailable(exception) => (503, "The database is unavailable; try again shortly"),
                _ when IsUnstorableText(exception) => (400, "The request contains the character U+0000, which cannot be stored or searched for"),
                _ => (500, "Internal server error"),
            };
            if (status == 500)
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("UniLink")
                    .LogError(exception, "Unhandled exception on {Path}", context.Request.Path);
            context.Response.StatusCode = status;
            if (status == 503) context.Response.Headers.RetryAfter = "5";
            await context.Response.WriteAsJsonAsync(new { error = message }, WireJson.Options);
        }));
    }
}
