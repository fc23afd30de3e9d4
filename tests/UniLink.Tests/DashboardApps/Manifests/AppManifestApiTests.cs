using System.Net;
using Microsoft.AspNetCore.Http;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.DashboardApps.Manifests;

/// <summary>
/// Apps installed from a manifest: the published schema, install with consent, grants = what was consented, an update
/// asking for more waits (old grants in force), bad manifests are a 422 naming the field, secrets never in an answer.
/// </summary>
public sealed class AppManifestApiTests(SharedServer server) : AdminApiTests(server)
{
    private const string ApiKey = "sk_live_manifest_4f1d9c2a7b";
    private string Apps => P("dashboard_apps");

    public static JsonObject Manifest(Action<JsonObject>? change = null)
    {
        var m = new JsonObject
        {
            ["$schema"] = "https://support.example.com/schemas/dashboard-app-manifest.v1.json",
            ["manifest_version"] = 1,
            ["name"] = "Acme CRM",
            ["version"] = "1.0.0",
            ["description"] = "Shows the customer's CRM record",
            ["icon"] = "https://crm.example.com/icon.png",
            ["author"] = new JsonObject { ["name"] = "Acme", ["email"] = "apps@acme.example", ["url"] = "https://acme.example" },
            ["frames"] = new JsonArray(new JsonObject { ["url"] = "https://crm.example.com/cw?email={{contact.email}}" }),
            ["placement"] = "conversation_tab",
            ["actions"] = new JsonArray("insert_reply"),
            ["context_scopes"] = new JsonArray("contact_identity", "messages_public"),
            ["events"] = new JsonArray("message_created"),
            ["event_endpoint"] = "https://crm.example.com/events",
            ["settings"] = new JsonArray(
                new JsonObject { ["name"] = "api_key", ["label"] = "API key", ["required"] = true, ["secret"] = true },
                new JsonObject { ["name"] = "region", ["label"] = "Region", ["description"] = "eu or us" }),
            ["request_domains"] = new JsonArray("api.crm.example.com"),
        };
        change?.Invoke(m);
        return m;
    }

    private static JsonObject InstallBody(JsonObject manifest) => new()
    {
        ["manifest"] = manifest, ["consent"] = true, ["settings"] = new JsonObject { ["api_key"] = ApiKey, ["region"] = "eu" },
    };

    private async Task<JsonNode> InstallAsync(JsonObject manifest, HttpClient? client = null) =>
        (await (await (client ?? _admin).PostAsync($"{Apps}/install", RawJson(InstallBody(manifest).ToJsonString()))).ExpectAsync(HttpStatusCode.OK))!;

    private async Task<string> EverythingReadableAsync(int appId)
    {
        var parts = new List<string>();
        foreach (var path in new[] { Apps, $"{Apps}/{appId}", $"{Apps}/{appId}/manifest", $"{Apps}/{appId}/settings", $"{Apps}/{appId}/permissions" })
            parts.Add(await (await _admin.GetAsync(path)).Content.ReadAsStringAsync());
        return string.Join("\n", parts);
    }

    [Fact]
    public async Task The_schema_is_published_for_any_origin()
    {
        using var anonymous = _server.Client();
        var response = await anonymous.GetAsync("/schemas/dashboard-app-manifest.v1.json");
        var schema = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema!["$schema"]!.GetValue<string>());
        // Every field the manifest may hold is in the schema, and nothing else is allowed.
        Assert.Equal(Manifest().Select(p => p.Key).Order(), schema["properties"]!.AsObject().Select(p => p.Key).Order());
        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Installing_grants_what_the_manifest_asks_and_the_secret_is_never_in_an_answer()
    {
        var preview = await (await _admin.PostAsync($"{Apps}/manifest_preview", RawJson(new JsonObject { ["manifest"] = Manifest() }.ToJsonString())))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Acme CRM", preview!["manifest"]!["name"]!.GetValue<string>());
        var before = (await (await _admin.GetAsync(Apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray().Count;

        var installed = await InstallAsync(Manifest());
        var id = installed["id"]!.GetValue<int>();
        Assert.Equal(before + 1, (await (await _admin.GetAsync(Apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray().Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"placement":"conversation_tab","context_scopes":["contact_identity","messages_public"],"actions":["insert_reply"],"request_domains":["api.crm.example.com"]}"""),
            installed["granted"]), installed["granted"]!.ToJsonString());
        Assert.Null(installed["pending"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"name":"api_key","label":"API key","description":null,"required":true,"secret":true,"value":null,"is_set":true},
             {"name":"region","label":"Region","description":"eu or us","required":false,"secret":false,"value":"eu","is_set":true}]
            """), installed["settings"]), installed["settings"]!.ToJsonString());

        // The grants are the app's settings: what it sees and may do.
        var settings = await (await _admin.GetAsync($"{Apps}/{id}/settings")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["contact_identity", "messages_public"], settings!["context_scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["insert_reply"], settings["permissions"]!.AsArray().Select(s => s!.GetValue<string>()));
        // The compatible object is still the reference's four fields.
        var app = await (await _admin.GetAsync($"{Apps}/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["content", "created_at", "id", "title"], app!.AsObject().Select(p => p.Key).Order());
        Assert.Equal("Acme CRM", app["title"]!.GetValue<string>());

        Assert.DoesNotContain(ApiKey, installed.ToJsonString());
        Assert.DoesNotContain(ApiKey, await EverythingReadableAsync(id));
        // Stored encrypted: not even the database holds it in clear.
        var stored = await _server.DbAsync(async db => await Task.FromResult(db.DashboardApps.Single(a => a.Id == id)));
        Assert.DoesNotContain(ApiKey, stored.SecretCiphertext + stored.SecretSettingsCiphertext + stored.SettingValues + stored.Manifest);
        Assert.NotNull(stored.SecretSettingsCiphertext);

        // Setting a new value replaces it; null clears an optional one; a required one cannot be cleared.
        var changed = await (await _admin.PutAsync($"{Apps}/{id}/setting_values", RawJson("""{"settings":{"api_key":"sk_rotated_91","region":null}}""")))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("sk_rotated_91", changed!.ToJsonString());
        Assert.False(changed["settings"]![1]!["is_set"]!.GetValue<bool>());
        await (await _admin.PutAsync($"{Apps}/{id}/setting_values", RawJson("""{"settings":{"api_key":""}}""")))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"settings.api_key is required","attributes":["settings.api_key"]}""");
        await (await _admin.PutAsync($"{Apps}/{id}/setting_values", RawJson("""{"settings":{"token":"x"}}""")))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"settings.token is not a setting of this app","attributes":["settings.token"]}""");
    }

    [Fact]
    public async Task Without_consent_or_a_required_setting_nothing_is_installed()
    {
        var before = (await (await _admin.GetAsync(Apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray().Count;
        await (await _admin.PostAsync($"{Apps}/install", RawJson(new JsonObject { ["manifest"] = Manifest() }.ToJsonString())))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity,
                """{"message":"Consent must be true: the administrator agrees to what the manifest asks for (see …/manifest_preview)","attributes":["consent"]}""");
        await (await _admin.PostAsync($"{Apps}/install", RawJson(new JsonObject { ["manifest"] = Manifest(), ["consent"] = true }.ToJsonString())))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"settings.api_key is required","attributes":["settings.api_key"]}""");
        Assert.Equal(before, (await (await _admin.GetAsync(Apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray().Count);
    }

    [Theory]
    [InlineData("manifest_version", "2", "manifest.manifest_version must be 1")]
    [InlineData("name", null, "manifest.name is required")]
    [InlineData("name", "\"\"", "manifest.name can't be blank")]
    [InlineData("name", "42", "manifest.name must be a string")]
    [InlineData("frames", "[]", "manifest.frames must be a list of 1 to 20 frames")]
    [InlineData("frames", """[{"url":"javascript:alert(1)"}]""", "manifest.frames[0].url must be an http:// or https:// URL")]
    [InlineData("frames", """[{"url":"https://{{contact.email}}.example.com/"}]""", null)]
    [InlineData("frames", """[{"url":"https://crm.example.com/","type":"frame"}]""", "manifest.frames[0].type is not a field of a frame")]
    [InlineData("placement", "\"modal\"", "manifest.placement must be one of conversation_tab, conversation_sidebar, composer, contact_panel, page, background")]
    [InlineData("actions", """["insert_reply","format_disk"]""", "manifest.actions[1] must be one of insert_reply, add_private_note, add_labels, remove_labels, set_custom_attributes, assign, set_status, set_priority, send_reply, notify, open_conversation, open_url, before_send, before_resolve")]
    [InlineData("context_scopes", "\"contact_identity\"", "manifest.context_scopes must be a list of at most 14 strings")]
    [InlineData("events", """["message_deleted"]""", null)]
    [InlineData("event_endpoint", "\"ftp://crm.example.com\"", "manifest.event_endpoint must be an http:// or https:// URL")]
    [InlineData("settings", """[{"name":"API Key","label":"Key"}]""", "manifest.settings[0].name must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 40)")]
    [InlineData("settings", """[{"name":"key","label":"Key","secret":"yes"}]""", "manifest.settings[0].secret must be true or false")]
    [InlineData("request_domains", """["https://api.crm.example.com"]""", "manifest.request_domains[0] must be a host name such as api.example.com (no scheme, port, path or wildcard)")]
    [InlineData("request_domains", """["*.crm.example.com"]""", "manifest.request_domains[0] must be a host name such as api.example.com (no scheme, port, path or wildcard)")]
    [InlineData("permissions", """["insert_reply"]""", "manifest.permissions is not a field of a version 1 manifest")]
    public async Task A_bad_manifest_is_a_422_naming_the_field_and_nothing_is_installed(string field, string? json, string? message)
    {
        var manifest = Manifest(m => m[field] = json is null ? null : JsonNode.Parse(json));
        if (json is null) manifest.Remove(field);
        var before = (await (await _admin.GetAsync(Apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray().Count;
        var body = await (await _admin.PostAsync($"{Apps}/install", RawJson(InstallBody(manifest).ToJsonString()))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        var attribute = body!["attributes"]![0]!.GetValue<string>();
        Assert.StartsWith($"manifest.{field}", attribute);
        if (message is not null) Assert.Equal(message, body["message"]!.GetValue<string>());
        Assert.Equal(before, (await (await _admin.GetAsync(Apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray().Count);
        await (await _admin.PostAsync($"{Apps}/manifest_preview", RawJson(new JsonObject { ["manifest"] = manifest.DeepClone() }.ToJsonString())))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_manifest_url_that_is_not_a_manifest_is_a_422_on_manifest_url()
    {
        await using var receiver = new LoopbackReceiver(async c =>
        {
            if (c.Request.Path == "/missing") c.Response.StatusCode = 404;
            else await c.Response.WriteAsync(c.Request.Path == "/html" ? "<html>" : "[]");
        });
        foreach (var (path, message) in new[]
                 {
                     ("/missing", "manifest_url could not be fetched: the server answered 404"),
                     ("/html", "manifest_url is not a JSON document"),
                     ("/array", "manifest must be a JSON object"),
                 })
            await (await _admin.PostAsync($"{Apps}/install", Json(new { manifest_url = receiver.Url(path), consent = true })))
                .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, new JsonObject { ["message"] = message, ["attributes"] = new JsonArray(message.Split(' ')[0]) }.ToJsonString());
        await (await _admin.PostAsync($"{Apps}/install", Json(new { manifest_url = "file:///etc/passwd", consent = true })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"manifest_url must be an http:// or https:// URL","attributes":["manifest_url"]}""");
    }

    [Fact]
    public async Task An_update_asking_for_more_waits_for_consent_and_the_old_grants_stay_in_force()
    {
        var current = Manifest();
        await using var host = new LoopbackReceiver(async c => await c.Response.WriteAsync(current.ToJsonString()));
        var installed = (await (await _admin.PostAsync($"{Apps}/install",
                RawJson(new JsonObject { ["manifest_url"] = host.Url("/manifest.json"), ["consent"] = true, ["settings"] = new JsonObject { ["api_key"] = ApiKey } }.ToJsonString())))
            .ExpectAsync(HttpStatusCode.OK))!;
        var id = installed["id"]!.GetValue<int>();
        Assert.Equal(host.Url("/manifest.json"), installed["manifest_url"]!.GetValue<string>());

        // The administrator narrows what the app sees; an update that asks for nothing new keeps that choice.
        await (await _admin.PatchAsync($"{Apps}/{id}/settings", Json(new { context_scopes = new[] { "contact_identity" } }))).ExpectAsync(HttpStatusCode.OK);
        current = Manifest(m => { m["version"] = "1.1.0"; m["name"] = "Acme CRM 1.1"; });
        var applied = await (await _admin.PostAsync($"{Apps}/{id}/manifest", RawJson("{}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("applied", applied!["status"]!.GetValue<string>());
        Assert.Equal("Acme CRM 1.1", (await (await _admin.GetAsync($"{Apps}/{id}")).ExpectAsync(HttpStatusCode.OK))!["title"]!.GetValue<string>());
        Assert.Equal(["contact_identity"], applied["app"]!["granted"]!["context_scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        // Version 2 wants e-mails, to add notes, another domain and a sidebar: pending, nothing widens.
        current = Manifest(m =>
        {
            m["version"] = "2.0.0";
            m["name"] = "Acme CRM 2";
            m["context_scopes"] = new JsonArray("contact_identity", "messages_public", "contact_email_phone");
            m["actions"] = new JsonArray("insert_reply", "add_private_note");
            m["request_domains"] = new JsonArray("api.crm.example.com", "billing.example.com");
        });
        var pending = await (await _admin.PostAsync($"{Apps}/{id}/manifest", RawJson("{}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("pending", pending!["status"]!.GetValue<string>());
        Assert.Equal(["context_scopes:contact_email_phone", "actions:add_private_note", "request_domains:billing.example.com"],
            pending["app"]!["pending"]!["asks"]!.AsArray().Select(s => s!.GetValue<string>()));
        var settings = await (await _admin.GetAsync($"{Apps}/{id}/settings")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["contact_identity"], settings!["context_scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["insert_reply"], settings["permissions"]!.AsArray().Select(s => s!.GetValue<string>()));
        var view = await (await _admin.GetAsync($"{Apps}/{id}/manifest")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["api.crm.example.com"], view!["granted"]!["request_domains"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("1.1.0", view["manifest"]!["version"]!.GetValue<string>());
        Assert.Equal("Acme CRM 1.1", (await (await _admin.GetAsync($"{Apps}/{id}")).ExpectAsync(HttpStatusCode.OK))!["title"]!.GetValue<string>());

        // An agent cannot consent; the administrator does, and the new asks are granted (the narrowed scope stays narrowed).
        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        using (var agentClient = _server.Client(agent.Token))
            await (await agentClient.PostAsync($"{Apps}/{id}/manifest/consent", null)).ExpectAsync(HttpStatusCode.Unauthorized);
        var consented = await (await _admin.PostAsync($"{Apps}/{id}/manifest/consent", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(consented!["pending"]);
        Assert.Equal("2.0.0", consented["manifest"]!["version"]!.GetValue<string>());
        Assert.Equal(["contact_identity", "contact_email_phone"], consented["granted"]!["context_scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["insert_reply", "add_private_note"], consented["granted"]!["actions"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["api.crm.example.com", "billing.example.com"], consented["granted"]!["request_domains"]!.AsArray().Select(s => s!.GetValue<string>()));
        await (await _admin.PostAsync($"{Apps}/{id}/manifest/consent", null))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"manifest has no update waiting for consent","attributes":["manifest"]}""");

        // A posted update that asks for less is applied at once and drops what it no longer asks.
        var less = await (await _admin.PostAsync($"{Apps}/{id}/manifest",
            RawJson(new JsonObject { ["manifest"] = Manifest(m => { m["actions"] = new JsonArray(); m["request_domains"] = new JsonArray(); }) }.ToJsonString())))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("applied", less!["status"]!.GetValue<string>());
        Assert.Empty(less["app"]!["granted"]!["actions"]!.AsArray());
        Assert.Empty(less["app"]!["granted"]!["request_domains"]!.AsArray());
    }

    [Fact]
    public async Task Another_account_cannot_see_update_or_consent_and_a_user_in_both_installs_only_where_asked()
    {
        var id = (await InstallAsync(Manifest()))["id"]!.GetValue<int>();
        var otherAccount = await _server.CreateAccountAsync("Other");
        var otherAdmin = await _server.CreateUserAsync(otherAccount, Roles.Administrator);
        using var other = _server.Client(otherAdmin.Token);
        await (await other.GetAsync($"{Apps}/{id}/manifest")).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await other.PostAsync($"/api/v1/accounts/{otherAccount}/dashboard_apps/{id}/manifest", RawJson("{}"))).ExpectAsync(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/api/v1/accounts/{otherAccount}/dashboard_apps/{id}/manifest")).ExpectAsync(HttpStatusCode.NotFound);
        await (await other.PostAsync($"/api/v1/accounts/{otherAccount}/dashboard_apps/{id}/manifest/consent", null)).ExpectAsync(HttpStatusCode.NotFound);
        await (await other.PutAsync($"/api/v1/accounts/{otherAccount}/dashboard_apps/{id}/setting_values", RawJson("""{"settings":{"region":"us"}}""")))
            .ExpectAsync(HttpStatusCode.NotFound);
        await (await other.PostAsync($"{Apps}/install", RawJson(InstallBody(Manifest()).ToJsonString()))).ExpectAsync(HttpStatusCode.Unauthorized);

        // A user administering both accounts installs into the one named in the path only.
        var both = await _server.CreateUserAsync(otherAccount, Roles.Administrator);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = _account, UserId = both.Id, Role = Roles.Administrator, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        using var bothClient = _server.Client(both.Token);
        var inOther = (await (await bothClient.PostAsync($"/api/v1/accounts/{otherAccount}/dashboard_apps/install", RawJson(InstallBody(Manifest(m => m["name"] = "Other CRM")).ToJsonString())))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var mine = (await (await _admin.GetAsync(Apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.DoesNotContain(mine, a => a!["id"]!.GetValue<int>() == inOther);
        await (await _admin.GetAsync($"{Apps}/{inOther}/manifest")).ExpectAsync(HttpStatusCode.NotFound);

        // An app registered the reference's way has no manifest to read or update.
        var plain = (await (await _admin.PostAsync(Apps, Json(new { title = "Plain", content = new[] { new { type = "frame", url = "https://plain.example.com" } } })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        await (await _admin.GetAsync($"{Apps}/{plain}/manifest")).ExpectAsync(HttpStatusCode.NotFound);
        await (await _admin.PostAsync($"{Apps}/{plain}/manifest", RawJson(new JsonObject { ["manifest"] = Manifest() }.ToJsonString()))).ExpectAsync(HttpStatusCode.NotFound);
    }
}
