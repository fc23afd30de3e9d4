using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using UniLink.Tests.DashboardApps.Manifests;
using UniLink.Tests.Infrastructure;
using UniLink.Tests.Webhooks;
using static UniLink.Tests.Infrastructure.HttpAssertions;
using ReceivedRequest = UniLink.Tests.Webhooks.ReceivedRequest;

namespace UniLink.Tests.DashboardApps.Events;

/// <summary>
/// An app's own server subscribed to typed events: they arrive through the webhooks' outbox, signed with the app's
/// secret and with the ES256 token (both checked here without UniLink's code), only for the inboxes the app shows in,
/// cut to its scopes, never from another account; bad settings are a 422 naming the field.
/// </summary>
public sealed class AppServerEventsTests(WebhookServer shared) : WebhookTests(shared)
{
    private static readonly string[] AllTypes =
    [
        "message.created", "message.updated", "conversation.status_changed", "conversation.assigned", "conversation.labels_changed",
        "conversation.custom_attributes_changed", "contact.updated",
    ];

    private async Task<int> NewAppAsync(HttpClient client, int account, string endpoint, int inbox, params string[] scopes)
    {
        var app = await (await client.PostAsync($"/api/v1/accounts/{account}/dashboard_apps",
            Json(new { title = "CRM", content = new[] { new { type = "frame", url = "https://crm.example.com/app" } } }))).ExpectAsync(HttpStatusCode.OK);
        var id = app!["id"]!.GetValue<int>();
        var settings = await (await client.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{id}/settings",
            Json(new { inbox_ids = new[] { inbox }, event_endpoint = endpoint, events = AllTypes, context_scopes = scopes }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(endpoint, settings!["event_endpoint"]!.GetValue<string>());
        Assert.Equal(AllTypes, settings["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        return id;
    }

    private static string Type(ReceivedRequest r) => r.Json["type"]!.GetValue<string>();

    [Fact]
    public async Task Events_reach_the_app_s_server_signed_for_its_inboxes_only_and_cut_to_its_scopes()
    {
        await using var receiver = await WebhookReceiver.StartAsync("/unilink/events");
        var inbox = await _admin.CreateInboxAsync(_account, "Shop");
        var otherInbox = await _admin.CreateInboxAsync(_account, "Wholesale");
        // Sees public messages and the contact's name, not e-mail or phone, private notes or the conversation's attributes.
        var appId = await NewAppAsync(_admin, _account, receiver.Url, inbox, "contact_identity", "messages_public");
        var secret = (await (await _admin.PostAsync(P($"dashboard_apps/{appId}/secret"), null)).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>();

        var contact = await _admin.CreateContactAsync(_account, "Ana Silva", "ana.private@example.com");
        var contactId = contact["id"]!.GetValue<int>();
        var conversation = (await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = inbox, contact_id = contactId }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var elsewhere = (await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = otherInbox, contact_id = contactId }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();

        (await _admin.PostAsync(P($"conversations/{elsewhere}/messages"), Json(new { content = "Wholesale price list" }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "Card ends 4242, internal", @private = true }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "Your order ships today" }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync(P($"conversations/{conversation}/custom_attributes"), Json(new { custom_attributes = new { order_id = "ORD-77" } }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync(P($"conversations/{conversation}/labels"), Json(new { labels = new[] { "vip" } }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync(P($"conversations/{conversation}/assignments"), Json(new { assignee_id = _server.AdminUserId }))).EnsureSuccessStatusCode();
        (await _admin.PutAsync(P($"contacts/{contactId}"), Json(new { email = "ana.new@example.com" }))).EnsureSuccessStatusCode();
        (await _admin.PutAsync(P($"contacts/{contactId}"), Json(new { name = "Ana S. Silva" }))).EnsureSuccessStatusCode();
        (await _admin.PostAsync(P($"conversations/{conversation}/toggle_status"), Json(new { status = "resolved" }))).EnsureSuccessStatusCode();

        var got = await receiver.WaitForAsync(r => r.Any(x => Type(x) == "conversation.status_changed") && r.Any(x => Type(x) == "contact.updated"));
        await Task.Delay(500); // anything that should not come has had its chance
        got = receiver.Received;
        var jwks = JsonNode.Parse(await _admin.GetStringAsync("/.well-known/jwks.json"))!["keys"]!.AsArray();
        foreach (var r in got)
        {
            Assert.Equal("unilink:event", r.Json["event"]!.GetValue<string>());
            Assert.Equal(_account, r.Json["account_id"]!.GetValue<int>());
            Assert.Equal(appId, r.Json["app_id"]!.GetValue<int>());
            Assert.True(HmacValid(r, secret), $"X-UniLink-Signature of {Type(r)} verifies with the app's secret");
            Assert.False(HmacValid(r, secret + "x"));
            Assert.Null(TokenProblem(r, jwks, _server.BaseAddress.GetLeftPart(UriPartial.Authority), appId));
            Assert.True(Guid.TryParse(r.Header("X-UniLink-Delivery"), out _));
        }
        var all = string.Join("\n", got.Select(r => r.Body));
        // Another inbox's conversation sends nothing; a private note and the contact's e-mail are not the app's to see.
        Assert.DoesNotContain("Wholesale price list", all);
        Assert.DoesNotContain("Card ends 4242", all);
        Assert.DoesNotContain("ana.private@example.com", all);
        Assert.DoesNotContain("ana.new@example.com", all);
        Assert.DoesNotContain("ORD-77", all);
        Assert.DoesNotContain(got, r => Type(r) == "conversation.custom_attributes_changed");

        var created = got.Single(r => Type(r) == "message.created");
        Assert.Equal("Your order ships today", created.Json["data"]!["content"]!.GetValue<string>());
        Assert.Equal(conversation, created.Json["data"]!["conversation_id"]!.GetValue<int>());
        var labels = got.Single(r => Type(r) == "conversation.labels_changed").Json["data"]!;
        Assert.Equal(["vip"], labels["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(conversation, labels["id"]!.GetValue<int>());
        Assert.Equal(_server.AdminUserId, got.Single(r => Type(r) == "conversation.assigned").Json["data"]!["meta"]!["assignee"]!["id"]!.GetValue<int>());
        Assert.Equal("resolved", got.Single(r => Type(r) == "conversation.status_changed").Json["data"]!["status"]!.GetValue<string>());
        // The e-mail change is withheld from the app: only the name change is news to it, with the e-mail left empty.
        var contactEvent = got.Single(r => Type(r) == "contact.updated").Json["data"]!;
        Assert.Equal("Ana S. Silva", contactEvent["name"]!.GetValue<string>());
        Assert.Null(contactEvent["email"]);

        // The delivery log shows each one delivered, with its attempt.
        var log = await (await _admin.GetAsync(P($"dashboard_apps/{appId}/event_deliveries"))).ExpectAsync(HttpStatusCode.OK);
        var entries = log!["payload"]!.AsArray();
        Assert.Equal(got.Count, entries.Count);
        Assert.All(entries, d => Assert.Equal("delivered", d!["state"]!.GetValue<string>()));
        Assert.Contains(entries, d => d!["event"]!.GetValue<string>() == "message.created" && d["attempt_log"]![0]!["status_code"]!.GetValue<int>() == 200);
    }

    [Fact]
    public async Task A_contacts_message_is_a_message_created_for_the_app_not_a_contact_updated()
    {
        await using var receiver = await WebhookReceiver.StartAsync("/activity");
        var inbox = await _admin.CreateInboxAsync(_account);
        await NewAppAsync(_admin, _account, receiver.Url, inbox, "contact_identity", "messages_public");
        var contact = await _admin.CreateContactAsync(_account, "Eve Ernst", $"{Guid.NewGuid():N}@example.com");
        var contactId = contact["id"]!.GetValue<int>();
        var conversation = (await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = inbox, contact_id = contactId })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "Is my parcel lost?", message_type = "incoming" }))).EnsureSuccessStatusCode();
        // The contact's activity time moved (the API shows it); then a real change of the contact.
        var shown = await (await _admin.GetAsync(P($"contacts/{contactId}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull(shown!["payload"]!["last_activity_at"]);
        (await _admin.PutAsync(P($"contacts/{contactId}"), Json(new { name = "Eve E. Ernst" }))).EnsureSuccessStatusCode();

        await receiver.WaitForAsync(r => r.Any(x => Type(x) == "contact.updated") && r.Any(x => Type(x) == "message.created"));
        await Task.Delay(500); // anything that should not come has had its chance
        Assert.Equal("Is my parcel lost?", receiver.Received.Single(r => Type(r) == "message.created").Json["data"]!["content"]!.GetValue<string>());
        Assert.Equal("Eve E. Ernst", receiver.Received.Single(r => Type(r) == "contact.updated").Json["data"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_second_account_s_changes_never_reach_the_first_account_s_app()
    {
        await using var receiver = await WebhookReceiver.StartAsync("/events");
        var inbox = await _admin.CreateInboxAsync(_account);
        var appId = await NewAppAsync(_admin, _account, receiver.Url, inbox, "messages_public");
        // The administrator is in both accounts; the other account's app points at the same server and shows everywhere.
        var other = await _server.CreateAccountAsync("Elsewhere", _server.AdminUserId);
        var otherInbox = await _admin.CreateInboxAsync(other);
        var otherContact = await _admin.CreateContactAsync(other, "Bo Berg", "bo@example.com");
        var otherConversation = (await (await _admin.PostAsync($"/api/v1/accounts/{other}/conversations",
            Json(new { inbox_id = otherInbox, contact_id = otherContact["id"]!.GetValue<int>() }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        (await _admin.PostAsync($"/api/v1/accounts/{other}/conversations/{otherConversation}/messages", Json(new { content = "Other account's reply" }))).EnsureSuccessStatusCode();
        (await _admin.PutAsync($"/api/v1/accounts/{other}/contacts/{otherContact["id"]}", Json(new { name = "Bo B. Berg" }))).EnsureSuccessStatusCode();

        var contact = await _admin.CreateContactAsync(_account, "Cy Cole", "cy@example.com");
        var conversation = (await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = inbox, contact_id = contact["id"]!.GetValue<int>() })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        (await _admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "First account's reply" }))).EnsureSuccessStatusCode();
        await receiver.WaitForAsync(r => r.Any(x => x.Body.Contains("First account's reply")));
        await Task.Delay(500);
        Assert.All(receiver.Received, r => Assert.Equal(_account, r.Json["account_id"]!.GetValue<int>()));
        Assert.DoesNotContain(receiver.Received, r => r.Body.Contains("Other account") || r.Body.Contains("Bo B. Berg"));
        // Nor can the other account read this app's log.
        await (await _admin.GetAsync($"/api/v1/accounts/{other}/dashboard_apps/{appId}/event_deliveries")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"event_endpoint":"ftp://crm.example.com/events"}""", "event_endpoint")]
    [InlineData("""{"event_endpoint":"javascript:alert(1)"}""", "event_endpoint")]
    [InlineData("""{"event_endpoint":"https://crm.example.com/events","events":["message.sent"]}""", "events")]
    [InlineData("""{"event_endpoint":"https://crm.example.com/events","events":"message.created"}""", "events")]
    [InlineData("""{"events":["message.created"]}""", "event_endpoint")]
    [InlineData("""{"event_endpoint":42}""", "event_endpoint")]
    public async Task Bad_event_settings_are_a_422_naming_the_field_and_nothing_is_saved(string body, string field)
    {
        var inbox = await _admin.CreateInboxAsync(_account);
        var app = await (await _admin.PostAsync(P("dashboard_apps"),
            Json(new { title = "CRM", content = new[] { new { type = "frame", url = "https://crm.example.com/app" } } }))).ExpectAsync(HttpStatusCode.OK);
        var id = app!["id"]!.GetValue<int>();
        var response = await _admin.PatchAsync(P($"dashboard_apps/{id}/settings"), RawJson(body));
        var error = await response.ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(field, error!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains(field.Replace('_', ' '), error["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        var settings = await (await _admin.GetAsync(P($"dashboard_apps/{id}/settings"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(settings!["event_endpoint"]);
        Assert.Empty(settings["events"]!.AsArray());
        _ = inbox;
    }

    [Fact]
    public async Task A_manifest_s_events_and_endpoint_are_the_app_s_subscription()
    {
        var manifest = AppManifestApiTests.Manifest(m =>
        {
            m["events"] = new JsonArray("message.created", "conversation_updated");
            m["event_endpoint"] = "https://crm.example.com/unilink/events";
            m.Remove("settings");
        });
        var installed = await (await _admin.PostAsync(P("dashboard_apps/install"), RawJson(new JsonObject { ["manifest"] = manifest, ["consent"] = true }.ToJsonString())))
            .ExpectAsync(HttpStatusCode.OK);
        var settings = await (await _admin.GetAsync(P($"dashboard_apps/{installed!["id"]}/settings"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("https://crm.example.com/unilink/events", settings!["event_endpoint"]!.GetValue<string>());
        // The webhook name stands for the typed events it covers.
        Assert.Equal(["message.created", "conversation.assigned", "conversation.labels_changed", "conversation.custom_attributes_changed"],
            settings["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        var bad = await (await _admin.PostAsync(P("dashboard_apps/manifest_preview"),
                RawJson(new JsonObject { ["manifest"] = AppManifestApiTests.Manifest(m => m["events"] = new JsonArray("reply.draft_changed")) }.ToJsonString())))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("manifest.events[0]", bad!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    /// <summary>HMAC-SHA256 over "{X-UniLink-Timestamp}.{raw body}", hex after "sha256=", written apart from UniLink's code.</summary>
    private static bool HmacValid(ReceivedRequest r, string secret)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var hex = Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(r.Header("X-UniLink-Timestamp") + "." + r.Body))).ToLowerInvariant();
        return r.Header("X-UniLink-Signature") == "sha256=" + hex;
    }

    /// <summary>The ES256 token checked by hand: its key from the JWKS, the signature over header.payload, issuer, audience, expiry and the body's hash.</summary>
    private static string? TokenProblem(ReceivedRequest r, JsonArray jwks, string issuer, int appId)
    {
        var parts = r.Header("X-UniLink-Event-Token").Split('.');
        if (parts.Length != 3) return "no token";
        static byte[] B64(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/').PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
        var header = JsonNode.Parse(B64(parts[0]))!;
        var payload = JsonNode.Parse(B64(parts[1]))!;
        if (header["alg"]!.GetValue<string>() != "ES256") return "not ES256";
        var jwk = jwks.FirstOrDefault(k => k!["kid"]!.GetValue<string>() == header["kid"]!.GetValue<string>());
        if (jwk is null) return "unknown kid";
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = B64(jwk["x"]!.GetValue<string>()), Y = B64(jwk["y"]!.GetValue<string>()) },
        });
        if (!ecdsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), B64(parts[2]), HashAlgorithmName.SHA256)) return "bad signature";
        if (payload["iss"]!.GetValue<string>() != issuer) return $"issuer {payload["iss"]}";
        if (payload["aud"]!.GetValue<string>() != $"dashboard-app:{appId}") return $"audience {payload["aud"]}";
        if (payload["exp"]!.GetValue<long>() < DateTimeOffset.UtcNow.ToUnixTimeSeconds()) return "expired";
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(r.Body))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return payload["body_sha256"]!.GetValue<string>() == hash ? null : "body hash differs";
    }
}

/// <summary>Without UNILINK_OUTBOUND_ALLOW_PRIVATE, an app's endpoint on a private address is refused as a webhook's is, and the log says so.</summary>
public sealed class AppServerEventsPrivateAddressTests
{
    [Fact]
    public async Task An_endpoint_on_a_private_address_is_refused_and_logged()
    {
        await using var receiver = await WebhookReceiver.StartAsync("/events");
        using var server = new UniLinkServer(new Dictionary<string, string?>(WebhookServer.Settings) { ["UNILINK_OUTBOUND_ALLOW_PRIVATE"] = "0" });
        using var admin = server.AdminClient();
        var account = server.AccountId;
        string P(string rest) => $"/api/v1/accounts/{account}/{rest}";
        var inbox = await admin.CreateInboxAsync(account);
        var app = await (await admin.PostAsync(P("dashboard_apps"),
            Json(new { title = "CRM", content = new[] { new { type = "frame", url = "https://crm.example.com/app" } } }))).ExpectAsync(HttpStatusCode.OK);
        var appId = app!["id"]!.GetValue<int>();
        (await admin.PatchAsync(P($"dashboard_apps/{appId}/settings"),
            Json(new { inbox_ids = new[] { inbox }, event_endpoint = receiver.Url, events = new[] { "message.created" } }))).EnsureSuccessStatusCode();
        var contact = await admin.CreateContactAsync(account, "Di Dale", "di@example.com");
        var conversation = (await (await admin.PostAsync(P("conversations"), Json(new { inbox_id = inbox, contact_id = contact["id"]!.GetValue<int>() })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        (await admin.PostAsync(P($"conversations/{conversation}/messages"), Json(new { content = "Hello" }))).EnsureSuccessStatusCode();

        JsonNode? attempt = null;
        for (var i = 0; i < 100 && attempt is null; i++)
        {
            await Task.Delay(100);
            var log = await (await admin.GetAsync(P($"dashboard_apps/{appId}/event_deliveries"))).ExpectAsync(HttpStatusCode.OK);
            attempt = log!["payload"]!.AsArray().FirstOrDefault()?["attempt_log"]!.AsArray().FirstOrDefault();
        }
        Assert.NotNull(attempt);
        Assert.Null(attempt["status_code"]);
        Assert.Contains("private", attempt["error"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(receiver.Received);
    }
}
