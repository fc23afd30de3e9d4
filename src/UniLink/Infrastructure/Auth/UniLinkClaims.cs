using System.Security.Claims;

namespace UniLink.Infrastructure.Auth;

/// <summary>Who is calling: a user (agent or administrator) or an agent bot.</summary>
public static class UniLinkClaims
{
    public const string Kind = "unilink:kind";
    public const string Stamp = "unilink:stamp";
    /// <summary>The dashboard session's token (in the cookie), checked against the database on every request.</summary>
    public const string Session = "unilink:session";
    /// <summary>Present when the caller used a sign-in token rather than their API token.</summary>
    public const string SignInToken = "unilink:sign-in-token";
    public const string UserKind = "user";
    public const string BotKind = "bot";

    public static ClaimsPrincipal ForUser(int userId, string securityStamp, string scheme, string? session = null, bool signInToken = false)
    {
        List<Claim> claims =
        [
            new Claim(ClaimTypes.NameIdentifier, userId.ToString()),
            new Claim(Kind, UserKind),
            new Claim(Stamp, securityStamp),
        ];
        if (session is not null) claims.Add(new Claim(Session, session));
        if (signInToken) claims.Add(new Claim(SignInToken, "1"));
        return new(new ClaimsIdentity(claims, scheme));
    }

    public static ClaimsPrincipal ForBot(int botId, string scheme) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, botId.ToString()),
            new Claim(Kind, BotKind),
        ], scheme));

    public static int? UserId(this ClaimsPrincipal p) =>
        p.FindFirstValue(Kind) == UserKind && int.TryParse(p.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static int? BotId(this ClaimsPrincipal p) =>
        p.FindFirstValue(Kind) == BotKind && int.TryParse(p.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
