using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.DashboardApps.Platform;

/// <summary><c>…/dashboard_apps/{id}/settings</c>: where and to whom an app shows, beside the compatible object.</summary>
public sealed class DashboardAppSettingsApiTests(SharedServer server) : AdminApiTests(server)
{
    private const string Defaults = """{"placement":"conversation_tab","keep_alive":false,"inbox_ids":[],"visible_to":"all","permissions":[],"extra_frame_origins":[],"context_scopes":["contact_identity","contact_email_phone","contact_attributes","messages_public","messages_all","conversation_attributes","agent_email"],"visible_to_team_ids":[],"visible_to_agent_ids":[],"hook_timeout_ms":2000,"hook_timeout_outcome":"send","event_endpoint":null,"events":[]}""";
    private const string NotAllowed = """{"error":"You are not authorized to do this action"}""";
    private const string NotFound = """{"error":"Resource could not be found"}""";
    private string Apps => $"/api/v1/accounts/{_account}/dashboard_apps";

    private async Task<JsonNode> CreateAsync() =>
        (await (await _admin.PostAsync(Apps, Json(new { title = "CRM", content = new[] { new { type = "frame", url = "https://crm.example.com/cw" } } })))
            .ExpectAsync(HttpStatusCode.OK))!;

    private async Task<string> SettingsPathAsync() => $"{Apps}/{(await CreateAsync())["id"]}/settings";

    [Fact]
    public async Task A_new_app_shows_as_a_tab_to_everyone_in_every_inbox()
    {
        await (await _admin.GetAsync(await SettingsPathAsync())).ExpectBodyAsync(HttpStatusCode.OK, Defaults);
    }

    [Fact]
    public async Task Post_and_patch_of_dashboard_apps_take_every_placement_and_refuse_an_unknown_one_naming_the_field_without_writing()
    {
        foreach (var placement in new[] { "contact_panel", "page", "background" })
        {
            var created = await (await _admin.PostAsync(Apps, Json(new { title = placement, placement, content = new[] { new { type = "frame", url = "https://crm.example.com/cw" } } })))
                .ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(4, created!.AsObject().Count); // the compatible object stays the reference's
            var settings = await (await _admin.GetAsync($"{Apps}/{created["id"]}/settings")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(placement, settings!["placement"]!.GetValue<string>());
        }
        var before = (await (await _admin.GetAsync(Apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray().Count;
        var refused = await (await _admin.PostAsync(Apps, Json(new { title = "Bad", placement = "floating", content = new[] { new { type = "frame", url = "https://crm.example.com/cw" } } })))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["placement"], refused!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains("contact_panel, page, background", refused["message"]!.GetValue<string>());
        Assert.Equal(before, (await (await _admin.GetAsync(Apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray().Count);

        // PATCH with the placement alone moves the app; a bad one changes nothing.
        var id = (await CreateAsync())["id"]!.GetValue<int>();
        await (await _admin.PatchAsync($"{Apps}/{id}", Json(new { placement = "page" }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PatchAsync($"{Apps}/{id}", Json(new { title = "Renamed", placement = 7 }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        var after = await (await _admin.GetAsync($"{Apps}/{id}/settings")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("page", after!["placement"]!.GetValue<string>());
        Assert.Equal("CRM", (await (await _admin.GetAsync($"{Apps}/{id}")).ExpectAsync(HttpStatusCode.OK))!["title"]!.GetValue<string>());

        // Another account's app is not found, even for an administrator of both accounts.
        var other = await _server.CreateAccountAsync("Placements elsewhere " + Guid.NewGuid().ToString("N")[..6], _server.AdminUserId);
        await (await _admin.PatchAsync($"/api/v1/accounts/{other}/dashboard_apps/{id}", Json(new { placement = "background" }))).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("page", (await (await _admin.GetAsync($"{Apps}/{id}/settings")).ExpectAsync(HttpStatusCode.OK))!["placement"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_administrator_sets_everything_then_patches_one_key_and_members_read_it()
    {
        var inbox = await _admin.CreateInboxAsync(_account, "Orders inbox");
        var other = await _admin.CreateInboxAsync(_account, "Billing inbox");
        var app = await CreateAsync();
        var path = $"{Apps}/{app["id"]}/settings";
        var all = $$"""{"placement":"conversation_sidebar","keep_alive":true,"inbox_ids":[{{Math.Min(inbox, other)}},{{Math.Max(inbox, other)}}],"visible_to":"administrators","permissions":["insert_reply","add_labels"],"extra_frame_origins":["https://login.example.com","http://127.0.0.1:8080"],"context_scopes":["contact_identity","messages_public"],"visible_to_team_ids":[],"visible_to_agent_ids":[],"hook_timeout_ms":2000,"hook_timeout_outcome":"send","event_endpoint":null,"events":[]}""";
        await (await _admin.PutAsync(path, RawJson(all))).ExpectBodyAsync(HttpStatusCode.OK, all);

        var patched = await (await _admin.PatchAsync(path, Json(new { visible_to = "all" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("all", patched!["visible_to"]!.GetValue<string>());
        Assert.Equal("conversation_sidebar", patched["placement"]!.GetValue<string>());
        Assert.True(patched["keep_alive"]!.GetValue<bool>());
        Assert.Equal(2, patched["inbox_ids"]!.AsArray().Count);

        var agent = await _server.CreateUserAsync(_account);
        using var client = _server.Client(agent.Token);
        await (await client.GetAsync(path)).ExpectBodyAsync(HttpStatusCode.OK, patched.ToJsonString());

        // Back to every inbox with an empty list; the compatible object never shows any of it.
        var cleared = await (await _admin.PatchAsync(path, Json(new { inbox_ids = Array.Empty<int>() }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(cleared!["inbox_ids"]!.AsArray());
        await (await _admin.GetAsync($"{Apps}/{app["id"]}")).ExpectBodyAsync(HttpStatusCode.OK, app.ToJsonString());
        var listed = (await (await _admin.GetAsync(Apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.All(listed, a => Assert.Equal(["content", "created_at", "id", "title"], a!.AsObject().Select(p => p.Key).Order()));
    }

    [Theory]
    [InlineData("""{"placement":"right_panel"}""", "Placement must be one of conversation_tab, conversation_sidebar, composer, contact_panel, page, background", "placement")]
    [InlineData("""{"visible_to":"agents"}""", "Visible to must be one of all, administrators, selected", "visible_to")]
    [InlineData("""{"placement":3}""", "Placement must be a string", "placement")]
    [InlineData("""{"keep_alive":"sometimes"}""", "Keep alive must be true or false", "keep_alive")]
    [InlineData("""{"keep_alive":null}""", "Keep alive can't be null", "keep_alive")]
    [InlineData("""{"inbox_ids":"1,2"}""", "Inbox ids must be a list of inbox ids", "inbox_ids")]
    [InlineData("""{"inbox_ids":[1.5]}""", "Inbox ids must be a list of inbox ids (positive whole numbers)", "inbox_ids")]
    [InlineData("""{"inbox_ids":[999999]}""", "Inbox ids 999999 is not an inbox of this account", "inbox_ids")]
    [InlineData("""{"permissions":["format_disk"]}""", "Permissions 'format_disk' is not one of insert_reply, add_private_note, add_labels, remove_labels, set_custom_attributes, assign, set_status, set_priority, send_reply, notify, open_conversation, open_url, before_send, before_resolve", "permissions")]
    [InlineData("""{"permissions":"insert_reply"}""", "Permissions must be a list of at most 28 strings", "permissions")]
    [InlineData("""{"hook_timeout_ms":50}""", "Hook timeout ms must be between 100 and 10000 milliseconds", "hook_timeout_ms")]
    [InlineData("""{"hook_timeout_ms":"soon"}""", "Hook timeout ms must be a whole number", "hook_timeout_ms")]
    [InlineData("""{"hook_timeout_outcome":"shrug"}""", "Hook timeout outcome must be one of send, block", "hook_timeout_outcome")]
    [InlineData("""{"extra_frame_origins":["https://login.example.com/signin"]}""", "Extra frame origins 'https://login.example.com/signin' is not an origin: write scheme, host and port only, such as https://login.example.com", "extra_frame_origins")]
    [InlineData("""{"extra_frame_origins":["https://*.example.com"]}""", "Extra frame origins 'https://*.example.com' is not an origin: write scheme, host and port only, such as https://login.example.com", "extra_frame_origins")]
    [InlineData("""{"extra_frame_origins":["ftp://files.example.com"]}""", "Extra frame origins 'ftp://files.example.com' is not an origin: write scheme, host and port only, such as https://login.example.com", "extra_frame_origins")]
    [InlineData("""{"extra_frame_origins":"https://login.example.com"}""", "Extra frame origins must be a list of at most 10 strings", "extra_frame_origins")]
    [InlineData("""{"extra_frame_origins":null}""", "Extra frame origins can't be null", "extra_frame_origins")]
    [InlineData("""{"context_scopes":["contact_everything"]}""", "Context scopes 'contact_everything' is not one of contact_identity, contact_email_phone, contact_attributes, messages_public, messages_all, conversation_attributes, agent_email", "context_scopes")]
    [InlineData("""{"context_scopes":"agent_email"}""", "Context scopes must be a list of at most 14 strings", "context_scopes")]
    public async Task Bad_values_and_wrong_types_are_a_422_saying_what_is_wrong(string body, string message, string attribute)
    {
        var path = await SettingsPathAsync();
        await (await _admin.PutAsync(path, RawJson(body))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity,
            new JsonObject { ["message"] = message, ["attributes"] = new JsonArray(attribute) }.ToJsonString());
    }

    [Fact]
    public async Task Extra_frame_origins_are_kept_as_origins_and_join_the_dashboards_frame_src()
    {
        // An origin no other app of the shared account lists, so that its leaving the frame-src is this app's doing.
        var login = $"https://login-{Guid.NewGuid():N}.example.com";
        var path = await SettingsPathAsync();
        var saved = await (await _admin.PatchAsync(path, Json(new { extra_frame_origins = new[] { $" {login.ToUpperInvariant()}/ ", login, "http://www.example.com:8080" } })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($"""["{login}","http://www.example.com:8080"]""", saved!["extra_frame_origins"]!.ToJsonString());
        using var page = await _admin.GetAsync($"/app/accounts/{_account}/conversations");
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains(login, csp);
        Assert.Contains("http://www.example.com:8080", csp);

        await (await _admin.PatchAsync(path, Json(new { extra_frame_origins = Array.Empty<string>() }))).ExpectAsync(HttpStatusCode.OK);
        using var after = await _admin.GetAsync($"/app/accounts/{_account}/conversations");
        Assert.DoesNotContain(login, string.Join(";", after.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Context_scopes_are_granted_per_app_and_every_message_implies_the_public_ones()
    {
        var path = await SettingsPathAsync();
        var none = await (await _admin.PatchAsync(path, Json(new { context_scopes = Array.Empty<string>() }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("[]", none!["context_scopes"]!.ToJsonString());
        var notes = await (await _admin.PatchAsync(path, Json(new { context_scopes = new[] { "messages_all", "agent_email" } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""["messages_public","messages_all","agent_email"]""", notes!["context_scopes"]!.ToJsonString());
        // Other settings leave the grant alone.
        var other = await (await _admin.PatchAsync(path, Json(new { keep_alive = true }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(notes["context_scopes"]!.ToJsonString(), other!["context_scopes"]!.ToJsonString());
    }

    [Fact]
    public async Task One_bad_key_saves_nothing_of_the_good_ones()
    {
        var path = await SettingsPathAsync();
        var foreignAccount = await _server.CreateAccountAsync("Foreign", _server.Db(db => db.Users.First(u => u.Email == UniLinkServer.AdminEmail).Id));
        var foreignInbox = await _admin.CreateInboxAsync(foreignAccount, "Not yours");
        var body = await (await _admin.PatchAsync(path, Json(new { placement = "conversation_sidebar", keep_alive = true, inbox_ids = new[] { foreignInbox }, permissions = new[] { "insert_reply" } })))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal($"Inbox ids {foreignInbox} is not an inbox of this account", body!["message"]!.GetValue<string>());
        await (await _admin.GetAsync(path)).ExpectBodyAsync(HttpStatusCode.OK, Defaults);

        var both = await (await _admin.PatchAsync(path, RawJson("""{"placement":"left","visible_to":"nobody"}"""))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["placement", "visible_to"], both!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        await (await _admin.PatchAsync(path, RawJson("""{"placement": """))).ExpectAsync(HttpStatusCode.BadRequest);
        await (await _admin.GetAsync(path)).ExpectBodyAsync(HttpStatusCode.OK, Defaults);
    }

    [Fact]
    public async Task Agents_read_but_cannot_change_and_the_role_check_comes_before_the_lookup()
    {
        var path = await SettingsPathAsync();
        var agent = await _server.CreateUserAsync(_account);
        using var client = _server.Client(agent.Token);
        await (await client.GetAsync(path)).ExpectBodyAsync(HttpStatusCode.OK, Defaults);
        await (await client.PutAsync(path, Json(new { visible_to = "all" }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        await (await client.PatchAsync(path, Json(new { placement = "conversation_sidebar" }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        await (await client.PatchAsync($"{Apps}/999999/settings", Json(new { placement = "conversation_sidebar" }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        await (await _admin.GetAsync(path)).ExpectBodyAsync(HttpStatusCode.OK, Defaults);
    }

    [Fact]
    public async Task Credentials_membership_and_other_accounts_follow_the_dashboard_apps_rules()
    {
        var path = await SettingsPathAsync();
        await (await _server.Client().GetAsync(path)).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"errors":["You need to sign in or sign up before continuing."]}""");
        await (await _server.Client("not-a-token").PutAsync(path, Json(new { keep_alive = true }))).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"Invalid Access Token"}""");
        var outsider = await _server.CreateUserAsync(null);
        using var other = _server.Client(outsider.Token);
        await (await other.GetAsync(path)).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to access this account"}""");
        await (await _admin.GetAsync($"{Apps}/999999/settings")).ExpectBodyAsync(HttpStatusCode.NotFound, NotFound);
        await (await _admin.PatchAsync($"{Apps}/999999/settings", Json(new { keep_alive = true }))).ExpectBodyAsync(HttpStatusCode.NotFound, NotFound);
        await (await _admin.GetAsync($"{Apps}/abc/settings")).ExpectBodyAsync(HttpStatusCode.NotFound, NotFound);

        var otherAdmin = await _server.CreateUserAsync(null);
        var otherAccount = await _server.CreateAccountAsync("Other", otherAdmin.Id);
        using var foreign = _server.Client(otherAdmin.Token);
        var appId = path.Split('/')[^2];
        var foreignPath = $"/api/v1/accounts/{otherAccount}/dashboard_apps/{appId}/settings";
        await (await foreign.GetAsync(foreignPath)).ExpectBodyAsync(HttpStatusCode.NotFound, NotFound);
        await (await foreign.PutAsync(foreignPath, Json(new { visible_to = "administrators" }))).ExpectBodyAsync(HttpStatusCode.NotFound, NotFound);
        await (await _admin.GetAsync(path)).ExpectBodyAsync(HttpStatusCode.OK, Defaults);
    }

    [Fact]
    public async Task The_permissions_endpoint_keeps_working_and_agrees_with_the_settings()
    {
        var path = await SettingsPathAsync();
        var permissions = path[..^"settings".Length] + "permissions";
        await (await _admin.PutAsync(permissions, Json(new { permissions = new[] { "add_private_note" } })))
            .ExpectBodyAsync(HttpStatusCode.OK, """{"permissions":["add_private_note"]}""");
        var settings = await (await _admin.GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""["add_private_note"]""", settings!["permissions"]!.ToJsonString());
        await (await _admin.PatchAsync(path, Json(new { permissions = new[] { "remove_labels", "add_labels" } }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.GetAsync(permissions)).ExpectBodyAsync(HttpStatusCode.OK, """{"permissions":["remove_labels","add_labels"]}""");
    }

    [Fact]
    public async Task Settings_sent_as_a_form_are_read_like_json()
    {
        var inbox = await _admin.CreateInboxAsync(_account, "Form inbox");
        var path = await SettingsPathAsync();
        var form = new FormUrlEncodedContent([new("placement", "conversation_sidebar"), new("keep_alive", "true"), new("inbox_ids[]", inbox.ToString())]);
        var saved = await (await _admin.PatchAsync(path, form)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("conversation_sidebar", saved!["placement"]!.GetValue<string>());
        Assert.True(saved["keep_alive"]!.GetValue<bool>());
        Assert.Equal($"[{inbox}]", saved["inbox_ids"]!.ToJsonString());
    }
}
