using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using UniLink.Features.Agents;
using System.Globalization;
using UniLink.Features.Profile;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.SignIn;

public static class SignInEndpoints
{
    public const string InvalidCredentials = "Invalid login credentials. Please try again.";

    /// <summary><c>/auth/sign_in</c> (token sign-in of the reference) and the dashboard's sign-out.</summary>
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost("/app/logout", async (HttpContext http, [FromForm] string? returnUrl) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/app/login");
        }).AllowAnonymous();

        app.MapPost("/auth/sign_in", async (HttpContext http, SignInService signIn, UniLinkDb db) =>
        {
            var p = await WireParams.ReadAsync(http.Request, "user");
            var user = await signIn.VerifyAsync(p.String("email"), p.String("password"), http.RequestAborted);
            if (user is null)
                return Results.Json(new { errors = new[] { InvalidCredentials } }, WireJson.Options, statusCode: 401);
            var profile = await ProfileReader.ReadAsync(db, user.Id, http.RequestAborted);
            // devise_token_auth's headers; access-token is the user's API token, accepted on every later request.
            var headers = http.Response.Headers;
            headers["access-token"] = user.AccessToken;
            headers["token-type"] = "Bearer";
            headers["client"] = Tokens.New(16);
            headers["expiry"] = UnixTime.Seconds(UnixTime.Now().AddDays(14)).ToString(CultureInfo.InvariantCulture);
            headers["uid"] = user.Email;
            return Results.Json(new { data = profile }, WireJson.Options);
        }).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.SignIn);

        app.MapProfileForms();
        return app;
    }

    /// <summary>Signs the dashboard session in with the cookie scheme.</summary>
    public static Task SignInSessionAsync(this HttpContext http, User user) =>
        http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            UniLinkClaims.ForUser(user.Id, user.SecurityStamp, CookieAuthenticationDefaults.AuthenticationScheme),
            new AuthenticationProperties { IsPersistent = true });

}
