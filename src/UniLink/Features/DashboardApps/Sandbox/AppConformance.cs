using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using UniLink.AppSdk;
using UniLink.Features.DashboardApps.Events;
using UniLink.Features.Webhooks;
using UniLink.Infrastructure.Outbound;

namespace UniLink.Features.DashboardApps.Sandbox;

/// <summary>One item of the sandbox's conformance report.</summary>
public sealed record ConformanceItem(string Id, string Title, string Status, string Evidence)
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string NotChecked = "not_checked";
    public const string NotApplicable = "not_applicable";
}

/// <summary>
/// The part of the conformance check that happens on the server: does the app's server verify what it receives? A test
/// event goes to the picked app's event endpoint twice — signed as UniLink signs its events, then with a forged
/// <c>X-UniLink-Signature</c> and an <c>X-UniLink-Event-Token</c> by a key UniLink never published — through the guarded
/// outbound client (private addresses only with UNILINK_OUTBOUND_ALLOW_PRIVATE). A server that verifies accepts the first
/// and refuses the second.
/// </summary>
public sealed class AppServerProbe(WebhookSender sender, AppEventSigning signing, IHttpClientFactory clients)
{
    public const string Id = "server_verifies";
    public const string Title = "Verifies UniLink's signature on its server";

    public async Task<ConformanceItem> CheckAsync(DashboardApp? app, string contextJson, CancellationToken ct = default)
    {
        if (app is null)
            return new(Id, Title, ConformanceItem.NotApplicable, "Pick the registered app in the sandbox: its event endpoint is checked with its keys.");
        if (string.IsNullOrEmpty(app.EventEndpoint))
            return new(Id, Title, ConformanceItem.NotApplicable, $"“{app.Title}” declares no event endpoint, so there is no server of its to check.");
        var body = TestEvent(app, contextJson);
        var signed = await sender.SendAsync(app.EventEndpoint, "", Guid.NewGuid().ToString(), body, ct, new AppEventTarget(app.Id, app.SecretCiphertext));
        var forged = await SendForgedAsync(app.EventEndpoint, body, app.Id, ct);
        string Said(AttemptResult r) => r.StatusCode is { } s ? $"HTTP {s}" : $"no answer ({r.Error})";
        if (!signed.Succeeded)
            return new(Id, Title, ConformanceItem.Fail, $"A test event signed by UniLink got {Said(signed)} from {app.EventEndpoint}; it should be accepted (2xx).");
        if (forged.Succeeded)
            return new(Id, Title, ConformanceItem.Fail,
                $"The same event with a forged {SignedEvent.SignatureHeader} and {SignedEvent.TokenHeader} got {Said(forged)}: the server takes events UniLink did not sign.");
        if (forged.StatusCode is null)
            return new(Id, Title, ConformanceItem.Fail, $"A signed test event got {Said(signed)}, but the forged one got {Said(forged)} instead of a refusal (4xx).");
        return new(Id, Title, ConformanceItem.Pass,
            $"A signed test event got {Said(signed)}; the same event with a forged {SignedEvent.SignatureHeader} and {SignedEvent.TokenHeader} got {Said(forged)}.");
    }

    /// <summary><c>conversation.status_changed</c> with the sandbox context's conversation, marked as a test.</summary>
    private static string TestEvent(DashboardApp app, string contextJson)
    {
        var conversation = JsonNode.Parse(contextJson)?["data"]?["conversation"]?.DeepClone() as JsonObject ?? new JsonObject();
        if (conversation["messages"] is JsonArray messages && messages.Count > 1)
            conversation["messages"] = new JsonArray(messages[^1]!.DeepClone());
        conversation.Remove("dataFetched");
        conversation.Remove("allMessagesLoaded");
        return new JsonObject
        {
            ["event"] = AppEventMessage.Name, ["type"] = AppEventTypes.StatusChanged, ["data"] = conversation,
            ["account_id"] = app.AccountId, ["app_id"] = app.Id, ["test"] = true,
        }.ToJsonString();
    }

    private async Task<AttemptResult> SendForgedAsync(string url, string body, int appId, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(WebhookSender.Timeout);
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation(SignedEvent.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(SignedEvent.DeliveryHeader, Guid.NewGuid().ToString());
            request.Headers.TryAddWithoutValidation(SignedEvent.SignatureHeader, SignedEvent.Sign(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), timestamp, body));
            using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            request.Headers.TryAddWithoutValidation(SignedEvent.TokenHeader,
                SignedEvent.CreateToken(body, new ECDsaSecurityKey(stranger) { KeyId = "forged" }, signing.Issuer, appId));
            using var response = await clients.CreateClient(OutboundHttp.ClientName).SendAsync(request, timeout.Token);
            return new AttemptResult((int)response.StatusCode, (int)watch.ElapsedMilliseconds, null, null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            return new AttemptResult(null, (int)watch.ElapsedMilliseconds, null, e.Message);
        }
    }
}
