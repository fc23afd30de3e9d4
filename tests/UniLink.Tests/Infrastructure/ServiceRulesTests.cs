using Microsoft.Extensions.DependencyInjection;

namespace UniLink.Tests.Infrastructure;

/// <summary>
/// Tests of a feature's rules called on its service directly (as the endpoints and pages call it), on the shared
/// server's database, with the administrator's account and a second one.
/// </summary>
public abstract class ServiceRulesTests(SharedServer shared) : AdminApiTests(shared)
{
    protected async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> use) where TService : notnull
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    protected async Task<int> OtherAccountAsync() => await _server.CreateAccountAsync("Other " + Guid.NewGuid().ToString("N")[..6], _server.AdminUserId);

    protected static void AssertRefused<T>(UniLink.Infrastructure.Http.WriteResult<T> result, string field) =>
        Assert.Equal(field, Assert.IsType<UniLink.Infrastructure.Http.WriteResult<T>.Rejected>(result).Field);
}
