using Microsoft.AspNetCore.Mvc;
using UniLink.Features.SignIn;

namespace UniLink.Features.Profile;

/// <summary>
/// The Profile page's password and token forms. They post here rather than run in the circuit because both end
/// every session (a new security stamp), and only a real request can hand this browser a fresh cookie.
/// </summary>
public static class ProfileFormEndpoints
{
    public static IEndpointRouteBuilder MapProfileForms(this IEndpointRouteBuilder app)
    {
        app.MapPost("/app/profile/password", async (HttpContext http, ProfileService profiles, UniLinkDb db,
            [FromForm(Name = "current_password")] string? currentPassword, [FromForm] string? password,
            [FromForm(Name = "password_confirmation")] string? confirmation, [FromForm] string? returnUrl) =>
        {
            if (http.User.UserId() is not { } userId) return TypedResults.Redirect("/app/login");
            var changed = await profiles.UpdateAsync(userId,
                new ProfileChanges(Password: password ?? "", PasswordConfirmation: confirmation ?? "", CurrentPassword: currentPassword));
            if (changed is not WriteResult<User>.Done) return Back(returnUrl, "error", (changed as WriteResult<User>.Rejected)?.Message ?? "User not found");
            await RenewSessionAsync(http, db, userId);
            return Back(returnUrl, "notice", "Your password has been changed; your other sessions are signed out.");
        }).WithName("change-the-password-dashboard-form").WithSummary("Change the password (dashboard form)");

        app.MapPost("/app/profile/reset_access_token", async (HttpContext http, ProfileService profiles, UniLinkDb db,
            [FromForm] string? returnUrl) =>
        {
            if (http.User.UserId() is not { } userId) return TypedResults.Redirect("/app/login");
            var token = await profiles.ResetAccessTokenAsync(userId, http.RequestAborted);
            await RenewSessionAsync(http, db, userId);
            return NewTokenPage(token, Back(returnUrl));
        }).WithName("reset-the-access-token-dashboard-form").WithSummary("Reset the access token (dashboard form)");
        return app;
    }

    private static async Task RenewSessionAsync(HttpContext http, UniLinkDb db, int userId)
    {
        var user = await db.Users.FindAsync([userId], http.RequestAborted);
        if (user is not null) await http.SignInSessionAsync(user);
    }

    private static string Back(string? returnUrl) =>
        returnUrl is { Length: > 1 } url && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/app";

    private static IResult Back(string? returnUrl, string key, string message) =>
        TypedResults.Redirect($"{Back(returnUrl)}?{key}={Uri.EscapeDataString(message)}");

    /// <summary>
    /// The new token, shown this once: only its hash is stored. Answered here, not through a redirect, so that it never
    /// travels in an address (logs, history, Referer).
    /// </summary>
    private static IResult NewTokenPage(string token, string back)
    {
        var e = System.Text.Encodings.Web.HtmlEncoder.Default;
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <meta name="referrer" content="no-referrer" /><title>New API access token · UniLink</title>
            <link rel="stylesheet" href="/app.css" /></head>
            <body><main class="content"><section class="profile">
            <h1>New API access token</h1>
            <p role="status">Your API access token has been reset; your other sessions are signed out.</p>
            <p>Copy it now: it is shown only this once (UniLink keeps only a hash of it).</p>
            <input class="token" readonly aria-label="API access token" value="{e.Encode(token)}" />
            <p><a href="{e.Encode(back)}">Back to your profile</a></p>
            </section></main></body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
