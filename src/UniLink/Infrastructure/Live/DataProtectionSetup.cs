using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;
using UniLink.Infrastructure.Config;

namespace UniLink.Infrastructure.Live;

public static class DataProtectionSetup
{
    /// <summary>
    /// Session cookies and antiforgery tokens are protected with keys that every node must share: in Redis
    /// when several nodes run (UNILINK_REDIS_URL), in the data folder on a single node.
    /// </summary>
    public static IServiceCollection AddUniLinkDataProtection(this IServiceCollection services, UniLinkOptions options)
    {
        var dp = services.AddDataProtection().SetApplicationName("UniLink");
        if (options.RedisUrl is { } redis)
        {
            var config = ConfigurationOptions.Parse(LiveBus.RedisConfiguration(redis));
            config.AbortOnConnectFail = false;
            var connection = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(config));
            dp.PersistKeysToStackExchangeRedis(() => connection.Value.GetDatabase(), "unilink:data-protection-keys");
        }
        else
        {
            Db.DataDirectory.Create(options.DataDir);
            Db.DataDirectory.Create(Path.Combine(options.DataDir, "keys"));
            dp.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDir, "keys")));
        }
        return services;
    }
}
