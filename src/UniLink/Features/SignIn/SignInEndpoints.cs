using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using UniLink.Features.Agents;
using UniLink.Infrastructure.Auth;

namespace UniLink.Features.SignIn;

public static class SignInEndpoints
{
    /// <summary><c>/auth/sign_in</c> (token sign-in of the reference) and the dashboard's sign-out.</summary>
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost("/app/logout", async (HttpContext http, [FromForm] string? returnUrl) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/app/login");
        }).AllowAnonymous();
        return app;
    }

    /// <summary>Signs the dashboard session in with the cookie scheme.</summary>
    public static Task SignInSessionAsync(this HttpContext http, User user) =>
        http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            UniLinkClaims.ForUser(user.Id, user.SecurityStamp, CookieAuthenticationDefaults.AuthenticationScheme),
            new AuthenticationProperties { IsPersistent = true });

}
