using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UniLink.Infrastructure.Db;

/// <summary><c>/health</c> answers 503 while the database cannot be reached, so a load balancer can route around.</summary>
public sealed class DatabaseHealthCheck(UniLinkDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.Database.CanConnectAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("database unreachable");
}
