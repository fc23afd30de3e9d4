using Microsoft.AspNetCore.Mvc;
using UniLink.Features.SignIn;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;

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
            if (http.User.UserId() is not { } userId) return Results.Redirect("/app/login");
            var problem = await profiles.UpdateAsync(userId,
                new ProfileChanges(Password: password ?? "", PasswordConfirmation: confirmation ?? "", CurrentPassword: currentPassword));
            if (problem is not null) return Back(returnUrl, "error", problem.Message);
            await RenewSessionAsync(http, db, userId);
            return Back(returnUrl, "notice", "Your password has been changed; your other sessions are signed out.");
        });

        app.MapPost("/app/profile/reset_access_token", async (HttpContext http, ProfileService profiles, UniLinkDb db,
            [FromForm] string? returnUrl) =>
        {
            if (http.User.UserId() is not { } userId) return Results.Redirect("/app/login");
            await profiles.ResetAccessTokenAsync(userId, http.RequestAborted);
            await RenewSessionAsync(http, db, userId);
            return Back(returnUrl, "notice", "Your API access token has been reset; your other sessions are signed out.");
        });
        return app;
    }

    private static async Task RenewSessionAsync(HttpContext http, UniLinkDb db, int userId)
    {
        var user = await db.Users.FindAsync([userId], http.RequestAborted);
        if (user is not null) await http.SignInSessionAsync(user);
    }

    private static IResult Back(string? returnUrl, string key, string message)
    {
        var target = returnUrl is { Length: > 1 } url && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/app";
        return Results.Redirect($"{target}?{key}={Uri.EscapeDataString(message)}");
    }
}
