using System.Text.Json.Nodes;

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

        var update = async (HttpContext http, UniLinkDb db, ProfileService profiles) =>
        {
            if (http.User.UserId() is not { } userId) return ApiErrors.BotsNotAllowed();
            var p = await WireParams.ReadAsync(http.Request, "profile");
            var uiSettings = p.Node("ui_settings") switch
            {
                null => null,
                JsonObject o => o,
                _ => throw new BadHttpRequestException("ui_settings must be an object"),
            };
            var changes = new ProfileChanges(p.String("name"), p.String("display_name"), p.String("email"), p.String("password"),
                p.String("password_confirmation"), p.String("current_password"), p.String("availability"), p.Bool("auto_offline"),
                p.String("message_signature"), uiSettings);
            return await (await profiles.UpdateAsync(userId, changes, http.RequestAborted))
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
