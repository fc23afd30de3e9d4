namespace UniLink.Tests.Infrastructure;

/// <summary>Tests of an account's API as its administrator, on the server their class shares.</summary>
public abstract class AdminApiTests(SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    protected readonly UniLinkServer _server = shared.Instance;
    protected readonly HttpClient _admin = shared.Instance.AdminClient();
    protected readonly int _account = shared.Instance.AccountId;

    /// <summary>A path in the administrator's account: <c>P("labels")</c>.</summary>
    protected string P(string rest) => $"/api/v1/accounts/{_account}/{rest}";

    public void Dispose()
    {
        _admin.Dispose();
        GC.SuppressFinalize(this);
    }
}
