using UniLink.AppSdk;

namespace UniLink.Tests.DashboardApps.Signing;

public class ContextTokenTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef-app-7";
    private static readonly ContextTokenClaims Claims = new(7, 1, 42, "agent@example.com", "agent", 12, 99);

    [Fact]
    public void A_token_verifies_with_its_apps_secret_and_carries_every_claim()
    {
        var token = ContextToken.Create(Secret, Claims);
        var verified = ContextToken.Verify(token, Secret, appId: 7, out var error);
        Assert.Null(error);
        Assert.Equal(Claims, verified);
    }

    [Fact]
    public void A_token_signed_with_another_secret_is_rejected()
    {
        var forged = ContextToken.Create("another-secret-another-secret-another", Claims);
        Assert.Null(ContextToken.Verify(forged, Secret, 7, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void A_token_with_an_altered_payload_is_rejected()
    {
        var parts = ContextToken.Create(Secret, Claims).Split('.');
        var other = ContextToken.Create(Secret, Claims with { AgentRole = "administrator" }).Split('.');
        var tampered = $"{parts[0]}.{other[1]}.{parts[2]}";
        Assert.Null(ContextToken.Verify(tampered, Secret, 7, out _));
    }

    [Fact]
    public void An_expired_token_is_rejected_and_lives_at_most_five_minutes()
    {
        var issued = DateTime.UtcNow.AddMinutes(-10);
        var token = ContextToken.Create(Secret, Claims, issued);
        Assert.Null(ContextToken.Verify(token, Secret, 7, out var error));
        Assert.Contains("expired", error, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(ContextToken.Verify(token, Secret, 7, out _, now: issued.AddMinutes(4)));
        Assert.Null(ContextToken.Verify(token, Secret, 7, out _, now: issued.AddMinutes(6)));
    }

    [Fact]
    public void A_token_for_another_app_is_rejected_even_with_the_same_secret()
    {
        var token = ContextToken.Create(Secret, Claims with { AppId = 8 });
        Assert.Null(ContextToken.Verify(token, Secret, 7, out var error));
        Assert.Contains("audience", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_unsigned_token_is_rejected()
    {
        var parts = ContextToken.Create(Secret, Claims).Split('.');
        var header = Convert.ToBase64String("""{"alg":"none","typ":"JWT"}"""u8.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Null(ContextToken.Verify($"{header}.{parts[1]}.", Secret, 7, out _));
    }
}
