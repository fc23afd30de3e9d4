namespace UniLink.Features.Profile;

public static class ProfileEndpoints
{
    /// <summary>Maps <c>/api/v1/profile</c>.</summary>
    public static RouteGroupBuilder MapProfile(this RouteGroupBuilder v1)
    {
        return v1;
    }
}
