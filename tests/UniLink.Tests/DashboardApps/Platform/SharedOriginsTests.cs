using UniLink.Features.DashboardApps;
using UniLink.Features.DashboardApps.Platform;

namespace UniLink.Tests.DashboardApps.Platform;

/// <summary>Apps on one origin share what the browser shares: a warning when they differ in permissions or signing.</summary>
public class SharedOriginsTests
{
    private static DashboardApp App(int id, string url, string permissions = "", string? secret = null) => new()
    {
        Id = id, Title = $"App {id}", Content = $$"""[{"type":"frame","url":"{{url}}"}]""", Permissions = permissions, SecretCiphertext = secret,
    };

    [Fact]
    public void Apps_on_one_origin_that_differ_in_permissions_or_secret_are_warned_about()
    {
        var warnings = SharedOrigins.Warnings([
            App(1, "https://crm.example.com/a", "insert_reply"),
            App(2, "https://crm.example.com/b"),
            App(3, "https://orders.example.com/a", "insert_reply", "x"),
            App(4, "https://orders.example.com/b", "insert_reply", "x"),
            App(5, "https://pay.example.com/a", secret: "x"),
            App(6, "https://pay.example.com/b"),
        ]);

        Assert.Equal([1, 2, 5, 6], warnings.Keys.Order());
        Assert.Contains("“App 2”", warnings[1]);
        Assert.Contains("https://crm.example.com", warnings[1]);
    }
}
