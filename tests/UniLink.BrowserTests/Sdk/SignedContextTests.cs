using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;
using UniLink.AppSdk;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.Sdk;

/// <summary>
/// The ES256 context token, as an app receives it in its frame: verified there by the JavaScript SDK, and by the test
/// with an independent JWT library (System.IdentityModel.Tokens.Jwt) and plain ECDSA against the published JWKS.
/// </summary>
public sealed class SignedContextTests(SdkFixture fx) : IClassFixture<SdkFixture>
{
    private async Task<(int AppId, int Conversation, string Secret, IFrame Frame)> OpenAsync()
    {
        var account = await fx.Server.CreateAccountAsync("Sealed " + Guid.NewGuid().ToString("N")[..6],
            fx.Server.AdminUserId);
        var appId = await fx.Server.DbAsync(async db =>
        {
            var now = UniLink.Infrastructure.Http.UnixTime.Now();
            var app = new UniLink.Features.DashboardApps.DashboardApp
            {
                AccountId = account, Title = "Orders", CreatedAt = now, UpdatedAt = now,
                Content = JsonSerializer.Serialize(new[] { new { type = "frame", url = fx.AppUrl() } }),
            };
            db.DashboardApps.Add(app);
            await db.SaveChangesAsync();
            return app.Id;
        });
        using var admin = fx.Server.AdminClient();
        var secret = (await (await admin.PostAsync($"/api/v1/accounts/{account}/dashboard_apps/{appId}/secret", null)).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>();
        var conversation = (await admin.CreateConversationAsync(account, "Maria Lopez", "Where is order #1042? Ünïcödé ✓ </script>"))["id"]!.GetValue<int>();
        var page = await fx.Browser.NewPageAsync(fx.Server.BaseAddress, []);
        await page.SignInAsAdminAsync();
        await page.OpenConversationAsync(account, conversation);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Orders" }).ClickAsync();
        var iframe = page.Locator("#dashboard-app--frame-0-0");
        await Assertions.Expect(iframe).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^http"));
        IFrame? frame = null;
        for (var i = 0; i < 300; i++)
        {
            frame = await (await iframe.ElementHandleAsync()).ContentFrameAsync();
            try
            {
                if (frame is not null && await frame.EvaluateAsync<bool>("() => !!(window.app && window.app.signedContext)")) break;
            }
            catch (PlaywrightException) { }
            await Task.Delay(50);
        }
        return (appId, conversation, secret, frame!);
    }

    private static async Task<JsonNode> OutcomeAsync(IFrame frame, string promise) =>
        JsonNode.Parse(await frame.EvaluateAsync<string>($"() => window.outcome({promise})"))!;

    [Fact]
    public async Task The_context_token_verifies_against_the_jwks_with_an_independent_library_and_binds_the_exact_data()
    {
        var (appId, conversation, _, frame) = await OpenAsync();
        var message = await frame.EvaluateAsync<string>("() => window.app.signedContext");
        using var http = fx.Server.Client();
        var jwksResponse = await http.GetAsync(SignedContext.JwksPath);
        Assert.Equal(HttpStatusCode.OK, jwksResponse.StatusCode);
        Assert.Equal("*", jwksResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var jwks = JsonNode.Parse(await jwksResponse.Content.ReadAsStringAsync())!["keys"]!.AsArray();
        Assert.All(jwks, k => Assert.Null(k!["d"])); // public keys only

        // The message: {"event":"appContext","data":{…},"context_token":"…"}
        var parsed = JsonNode.Parse(message)!;
        var token = parsed["context_token"]!.GetValue<string>();
        var tail = $",\"context_token\":\"{token}\"}}";
        Assert.StartsWith("{\"event\":\"appContext\",\"data\":", message);
        Assert.EndsWith(tail, message);
        var dataText = message["{\"event\":\"appContext\",\"data\":".Length..^tail.Length];

        // System.IdentityModel.Tokens.Jwt, with the keys as the JWKS publishes them.
        var keys = new JsonWebKeySet(await jwksResponse.Content.ReadAsStringAsync()).Keys;
        var principal = new JwtSecurityTokenHandler { MapInboundClaims = false }.ValidateToken(token, new TokenValidationParameters
        {
            ValidIssuer = fx.UniLinkOrigin,
            ValidAudience = $"dashboard-app:{appId}",
            IssuerSigningKeys = keys,
            ValidAlgorithms = ["ES256"],
        }, out var validated);
        var jwt = (JwtSecurityToken)validated;
        Assert.Equal("ES256", jwt.Header.Alg);
        Assert.Contains(jwks, k => k!["kid"]!.GetValue<string>() == jwt.Header.Kid);
        Assert.Equal(conversation.ToString(), principal.FindFirst("conversation_id")!.Value);
        Assert.Equal(UniLinkServer.AdminEmail, principal.FindFirst("email")!.Value);
        Assert.False(string.IsNullOrEmpty(principal.FindFirst("jti")?.Value));
        Assert.InRange((jwt.ValidTo - DateTime.UtcNow).TotalMinutes, 3, 5.1);
        var hash = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(dataText)));
        Assert.Equal(hash, principal.FindFirst("ctx_sha256")!.Value);

        // And plain ECDSA P-256 over "header.payload", with no JWT library at all.
        var jwk = jwks.Single(k => k!["kid"]!.GetValue<string>() == jwt.Header.Kid)!;
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk["x"]!.GetValue<string>()), Y = Base64UrlEncoder.DecodeBytes(jwk["y"]!.GetValue<string>()) },
        });
        var parts = token.Split('.');
        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64UrlEncoder.DecodeBytes(parts[2]), HashAlgorithmName.SHA256));

        // The .NET SDK agrees, and refuses a changed field, another app, another issuer.
        var verifier = new ContextVerifier(http, fx.UniLinkOrigin);
        var verified = await verifier.VerifyAsync(message, appId);
        Assert.True(verified.IsValid, verified.Error);
        Assert.Equal(conversation, verified.Context!.Claims.ConversationId);
        Assert.Equal("Maria Lopez", verified.Context.Context.Contact!.Name);
        var forged = message.Replace("Maria Lopez", "Mario Lopez");
        Assert.Contains("does not match", (await verifier.VerifyAsync(forged, appId)).Error);
        Assert.False((await verifier.VerifyAsync(message, appId + 1)).IsValid);
        Assert.Contains("Could not read the keys", (await new ContextVerifier(http, "http://127.0.0.1:1").VerifyAsync(message, appId)).Error);
        Assert.Contains("carries no context_token", (await verifier.VerifyAsync(JsonNode.Parse(message)!.AsObject().Also(o => o.Remove("context_token")).ToJsonString(), appId)).Error);
    }

    [Fact]
    public async Task The_javascript_sdk_verifies_both_tokens_and_refuses_a_changed_context()
    {
        var (appId, conversation, secret, frame) = await OpenAsync();
        var issuer = JsonSerializer.Serialize(fx.UniLinkOrigin);
        var ok = await OutcomeAsync(frame, $"window.verifySignedContext(window.app.signedContext, {{ issuer: {issuer}, appId: {appId} }})");
        Assert.True(ok["ok"] is not null, ok.ToJsonString());
        Assert.Equal(conversation, ok["ok"]!["claims"]!["conversation_id"]!.GetValue<int>());
        Assert.Equal(conversation, ok["ok"]!["context"]!["conversation"]!["id"]!.GetValue<int>());

        var forged = await OutcomeAsync(frame, $"window.verifySignedContext(window.app.signedContext.replace('Maria Lopez', 'Mario Lopez'), {{ issuer: {issuer}, appId: {appId} }})");
        Assert.Contains("does not match", forged["rejected"]!.GetValue<string>());
        var otherApp = await OutcomeAsync(frame, $"window.verifySignedContext(window.app.signedContext, {{ issuer: {issuer}, appId: {appId + 1} }})");
        Assert.Contains($"not dashboard-app:{appId + 1}", otherApp["rejected"]!.GetValue<string>());
        var otherIssuer = await OutcomeAsync(frame, $"window.verifySignedContext(window.app.signedContext, {{ issuer: 'https://evil.example', appId: {appId}, keys: [] }})");
        Assert.Contains("no published key", otherIssuer["rejected"]!.GetValue<string>());

        var hs = await OutcomeAsync(frame, $"window.verifyContextToken(window.app.token, {{ secret: {JsonSerializer.Serialize(secret)}, appId: {appId} }})");
        Assert.Equal(conversation, hs["ok"]!["conversation_id"]!.GetValue<int>());
        var wrongSecret = await OutcomeAsync(frame, $"window.verifyContextToken(window.app.token, {{ secret: {JsonSerializer.Serialize(new string('x', 43))}, appId: {appId} }})");
        Assert.Contains("signature", wrongSecret["rejected"]!.GetValue<string>());
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}
