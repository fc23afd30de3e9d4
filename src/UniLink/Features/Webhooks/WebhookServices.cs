namespace UniLink.Features.Webhooks;

public static class WebhookServices
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddScoped<WebhookPayloads>();
        services.AddScoped<WebhookService>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookWorker>());
        // Until the guarded outbound client lands: no redirects followed, the attempt's own 5 s timeout.
        services.AddHttpClient(WebhookSender.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        return services;
    }
}
