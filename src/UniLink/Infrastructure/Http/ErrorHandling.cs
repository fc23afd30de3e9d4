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
            var result = exception switch
            {
                BadHttpRequestException { InnerException: JsonException j } => ApiErrors.BadRequest($"Malformed JSON: {j.Message}"),
                BadHttpRequestException b => TypedResults.Json(new { error = b.Message }, WireJson.Options, statusCode: b.StatusCode),
                JsonException j => ApiErrors.BadRequest($"Malformed JSON: {j.Message}"),
                _ when IsUnstorableText(exception) => ApiErrors.BadRequest("The request contains the character U+0000, which cannot be stored or searched for"),
                _ when UniqueViolation.Field(exception) is { } field => field.Length == 0
                    ? ApiErrors.Invalid("Has already been taken")
                    : ApiErrors.Invalid($"{Humanize(field)} has already been taken", field),
                _ when IsDatabaseUnavailable(exception) => DatabaseUnavailable(context),
                _ => null,
            };
            if (result is null)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("UniLink")
                    .LogError(exception, "Unhandled exception on {Path}", context.Request.Path);
                result = TypedResults.Json(new { error = "Internal server error" }, WireJson.Options, statusCode: 500);
            }
            await result.ExecuteAsync(context);
        }));
    }

    private static IResult DatabaseUnavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Json(new { error = "The database is unavailable; try again shortly" }, WireJson.Options, statusCode: 503);
    }

    /// <summary><c>attribute_key</c> → <c>Attribute key</c>, as the endpoints word their own checks.</summary>
    private static string Humanize(string field) => char.ToUpperInvariant(field[0]) + field[1..].Replace('_', ' ');
}
