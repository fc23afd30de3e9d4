// A sample dashboard app: the contact's orders and payment history, beside each UniLink conversation (/), and a
// composer button that puts an order's summary into the reply box (/composer).
// It trusts nobody's word for who is asking: every API call carries UniLink's signed context token,
// verified here with the app's secret (UniLink.AppSdk.ContextToken.Verify).
//
// Configuration: ORDERS_URLS (default http://127.0.0.1:3001), ORDERS_DATA_DIR (default ./orders-data),
// ORDERS_APP_ID and ORDERS_APP_SECRET (from UniLink's Dashboard apps settings), ORDERS_UNILINK_URL (where the SDK is).
using OrdersApp;
using UniLink.AppSdk;

var builder = WebApplication.CreateBuilder(args);
var settings = OrdersSettings.From(builder.Configuration);
builder.WebHost.UseUrls(settings.Urls);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton<OrderStore>();
var app = builder.Build();
app.Services.GetRequiredService<OrderStore>().EnsureCreated();

app.MapGet("/", () => Results.Content(OrdersPage.Html(settings), "text/html; charset=utf-8"));
// The composer button's popover: the same app installed a second time, with this URL and the placement composer.
app.MapGet("/composer", () => Results.Content(OrdersPage.ComposerHtml(settings), "text/html; charset=utf-8"));

app.MapGet("/api/orders", (HttpRequest request, OrderStore store) =>
{
    var token = request.Headers.Authorization.ToString() is { } h && h.StartsWith("Bearer ", StringComparison.Ordinal) ? h[7..] : "";
    if (token.Length == 0) return Results.Json(new { error = "A signed UniLink context token is required" }, statusCode: 401);
    var claims = ContextToken.Verify(token, settings.AppSecret, settings.AppId, out var error);
    if (claims is null) return Results.Json(new { error = $"The context token was refused: {error}" }, statusCode: 401);
    // Whose orders comes from the verified token too, never from the request: a query parameter or a body field
    // is the browser's word, and any page could send a valid token of one contact with another contact's e-mail.
    // This shop keys its customers by their UniLink contact; a real one would map its own customer records to
    // contact ids (or read the contact from UniLink's API with a token of its own).
    if (claims.ContactId is not { } contactId) return Results.Json(new { error = "This conversation has no contact" }, statusCode: 404);
    return Results.Json(new { agent = claims.AgentEmail, contact_id = contactId, orders = store.OrdersFor($"{claims.AccountId}/{contactId}") });
});

app.Run();

public partial class Program;
