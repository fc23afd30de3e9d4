namespace UniLink.Features.Profile;

public static class ProfileEndpoints
{
    /// <summary>Maps <c>/api/v1/profile</c>: the signed-in user's own profile (users only, not agent bots).</summary>
    public static RouteGroupBuilder MapProfile(this RouteGroupBuilder v1)
    {
        var profile = v1.MapGroup("/profile");

        profile.MapGet("", async (HttpContext http, UniLinkDb db) =>
            http.User.UserId() is { } userId && await ProfileReader.ReadAsync(db, userId, ApiTokenHandler.TokenOf(http), http.RequestAborted) is { } json
                ? TypedResults.Json(json, WireJson.Options)
                : ApiErrors.BotsNotAllowed())
            .WithName("show-the-profile").WithSummary("Show the profile").Answers<ProfileJson>();

        var update = async (HttpContext http, Body<ProfileChanges> body, UniLinkDb db, ProfileService profiles) =>
        {
            if (http.User.UserId() is not { } userId) return ApiErrors.BotsNotAllowed();
            return body.Error ?? await (await profiles.UpdateAsync(userId, body.Input, http.RequestAborted))
                .ToHttpAsync(async _ => await ProfileReader.ReadAsync(db, userId, ApiTokenHandler.TokenOf(http), http.RequestAborted));
        };
        profile.MapPatchAndPut("", update, "update-the-profile",
            "Change the profile: names, e-mail, password (with the current one), availability, signature, UI settings").Answers<ProfileJson>();

        profile.MapPost("/reset_access_token", async (HttpContext http, UniLinkDb db, ProfileService profiles) =>
        {
            if (http.User.UserId() is not { } userId) return ApiErrors.BotsNotAllowed();
            var token = await profiles.ResetAccessTokenAsync(userId, http.RequestAborted);
            return TypedResults.Json(await ProfileReader.ReadAsync(db, userId, token, http.RequestAborted), WireJson.Options);
        })
            .WithName("reset-the-access-token-of-the-profile").WithSummary("Reset the access token of the profile").Answers<ProfileJson>();
        return v1;
    }
}
