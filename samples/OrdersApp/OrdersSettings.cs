namespace OrdersApp;

public sealed record OrdersSettings(string Urls, string DataDir, int AppId, string AppSecret, string UniLinkUrl)
{
    public static OrdersSettings From(IConfiguration config) => new(
        Urls: config["ORDERS_URLS"] is { Length: > 0 } urls ? urls : "http://127.0.0.1:3001",
        DataDir: config["ORDERS_DATA_DIR"] is { Length: > 0 } dir ? dir : "orders-data",
        AppId: int.TryParse(config["ORDERS_APP_ID"], out var id) ? id : 1,
        AppSecret: config["ORDERS_APP_SECRET"] is { Length: >= 32 } secret
            ? secret
            : throw new InvalidOperationException("ORDERS_APP_SECRET must hold the app's secret (32 characters or more)"),
        UniLinkUrl: (config["ORDERS_UNILINK_URL"] is { Length: > 0 } u ? u : "http://127.0.0.1:3000").TrimEnd('/'));
}
