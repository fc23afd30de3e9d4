using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using System.Globalization;
using UniLink.Features.Profile;

namespace UniLink.Features.SignIn;

public static class SignInEndpoints
{
    public const string InvalidCredentials = "Invalid login credentials. Please try again.";
    public const string TooManyFailures = "Too many failed sign-ins for this e-mail from your address; retry after the number of seconds in the Retry-After header.";

    /// <summary>The client address sign-in attempts are counted under.</summary>
    public static string SourceOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary><c>/auth/sign_in</c> (token sign-in of the reference) and the dashboard's sign-out.</summary>
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        // Signing out ends the session on the server, so a copy of the cookie stops working too.
        app.MapPost("/app/logout", async (HttpContext http, SessionService sessions, [FromForm] string? returnUrl) =>
        {
            var cookie = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (cookie.Principal?.FindFirst(UniLinkClaims.Session)?.Value is { } token) await sessions.EndAsync(token, http.RequestAborted);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.Redirect("/app/login");
        }).AllowAnonymous()
            .WithName("sign-out-of-the-dashboard").WithSummary("Sign out of the dashboard");

        app.MapPost("/auth/sign_in", async Task<IResult> (HttpContext http, Body<Credentials> body, SignInService signIn, SessionService sessions, UniLinkDb db) =>
        {
            if (body.Error is { } error) return error;
            var (user, retryAfter) = await signIn.VerifyAsync(body.Input.Email, body.Input.Password, SourceOf(http), http.RequestAborted);
            if (retryAfter is { } wait)
            {
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return TypedResults.Json(new { errors = new[] { TooManyFailures } }, WireJson.Options, statusCode: 429);
            }
            if (user is null)
                return TypedResults.Json(new { errors = new[] { InvalidCredentials } }, WireJson.Options, statusCode: 401);
            // devise_token_auth's headers. access-token is a sign-in token of its own (also in data.access_token, and
            // accepted as api_access_token): it expires, and sign-out, a password change or reset end it.
            var client = Tokens.New(16);
            var (token, expiresAt) = await sessions.StartAsync(user.Id, UserSession.Token, client, http.RequestAborted);
            var profile = await ProfileReader.ReadAsync(db, user.Id, token, http.RequestAborted);
            var headers = http.Response.Headers;
            headers["access-token"] = token;
            headers["token-type"] = "Bearer";
            headers["client"] = client;
            headers["expiry"] = UnixTime.Seconds(expiresAt).ToString(CultureInfo.InvariantCulture);
            headers["uid"] = user.Email;
            return TypedResults.Json(new SignedInJson(profile), WireJson.Options);
        }).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.SignIn)
            .WithName("sign-in").WithSummary("Sign in (email and password): the user, their accounts and access token, as the reference's devise_token_auth").Answers<SignedInJson>();

        // devise_token_auth's sign-out: the sign-in token in access-token (or api_access_token) ends at once.
        app.MapDelete("/auth/sign_out", async Task<IResult> (HttpContext http, SessionService sessions) =>
            ApiTokenHandler.TokenOf(http) is { Length: > 0 and <= 128 } token && await sessions.EndAsync(token, http.RequestAborted)
                ? TypedResults.Json(new SignedOutJson(true), WireJson.Options)
                : TypedResults.Json(new { success = false, errors = new[] { "User was not found or was not logged in." } }, WireJson.Options, statusCode: 404))
            .AllowAnonymous().DisableAntiforgery()
            .WithName("sign-out-ends-the-sign-in-token").WithSummary("Sign out (ends the sign-in token)").Answers<SignedOutJson>();

        app.MapProfileForms();
        return app;
    }

    /// <summary>Starts a server-side dashboard session and hands this browser its cookie.</summary>
    public static async Task SignInSessionAsync(this HttpContext http, User user)
    {
        var (token, _) = await http.RequestServices.GetRequiredService<SessionService>().StartAsync(user.Id, UserSession.Cookie, ct: http.RequestAborted);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            UniLinkClaims.ForUser(user.Id, user.SecurityStamp, CookieAuthenticationDefaults.AuthenticationScheme, session: token),
            new AuthenticationProperties { IsPersistent = true });
    }

    /// <summary>A token sign-in's e-mail and password, at the top level or under <c>user</c>, as devise_token_auth reads them.</summary>
    public sealed record Credentials(string? Email, string? Password) : IBodyInput<Credentials>
    {
        public static string Wrapper => "user";
        public static bool StrictTypes => true;
        public static Credentials From(RequestBody body, bool creating) => new(body.Verbatim("email"), body.Verbatim("password"));
    }

    /// <summary>devise_token_auth's answer to a sign-in: <c>{"data": …}</c>, the profile with its access token.</summary>
    public sealed record SignedInJson(ProfileJson? Data);

    public sealed record SignedOutJson(bool Success);
}
