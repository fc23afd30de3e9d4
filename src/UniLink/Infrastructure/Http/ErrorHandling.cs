using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace UniLink.Infrastructure.Http;

/// <summary>Turns what escapes an endpoint into a JSON body: bad requests are 400 with the reason, never a 500.</summary>
public static class ErrorHandling
{
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
                _ => (500, "Internal server error"),
            };
            if (status == 500)
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("UniLink")
                    .LogError(exception, "Unhandled exception on {Path}", context.Request.Path);
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = message }, WireJson.Options);
        }));
    }
}
