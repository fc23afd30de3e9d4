using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Webhooks;

/// <summary>A shared server whose webhook retries come quickly (0.2 s, doubling) and that may call loopback receivers.</summary>
public sealed class WebhookServer : IDisposable
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["UNILINK_WEBHOOK_RETRY_BASE_SECONDS"] = "0.2",
        ["UNILINK_OUTBOUND_ALLOW_PRIVATE"] = "1",
        ["UNILINK_API_RATE_LIMIT"] = "0",
    };

    public UniLinkServer Instance { get; } = new(Settings);
    public void Dispose() => Instance.Dispose();
}

public abstract class WebhookTests(WebhookServer shared) : IClassFixture<WebhookServer>, IDisposable
{
    protected readonly UniLinkServer _server = shared.Instance;
    protected readonly HttpClient _admin = shared.Instance.AdminClient();
    protected readonly int _account = shared.Instance.AccountId;

    protected string P(string rest) => $"/api/v1/accounts/{_account}/{rest}";

    public void Dispose()
    {
        _admin.Dispose();
        GC.SuppressFinalize(this);
    }
}
