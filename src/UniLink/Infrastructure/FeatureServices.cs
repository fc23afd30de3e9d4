namespace UniLink.Infrastructure;

/// <summary>Each feature's services, registered in one place.</summary>
public static class FeatureServices
{
    public static IServiceCollection AddUniLinkFeatures(this IServiceCollection services)
    {
        return services;
    }
}
