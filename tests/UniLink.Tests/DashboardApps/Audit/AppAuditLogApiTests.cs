using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UniLink.Features.Accounts;
using UniLink.Features.DashboardApps.Audit;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Tests.DashboardApps.Manifests;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.DashboardApps.Audit;

/// <summary>
/// <c>GET …/audit_logs</c>: every change to an app and everything an app did, with who, which conversation, the request
/// and the outcome, in the reference's shape; administrators of the account only; paged, filtered, kept 90 days.
/// </summary>
public sealed class AppAuditLogApiTests(SharedServer server) : AdminApiTests(server)
{
    private const string NotAllowed = """{"error":"You are not authorized to do this action"}""";
    private const string ApiKey = "sk_live_audit_91c2d7e4aa";
    private const string NewApiKey = "sk_live_audit_rotated_5b7e";

    private int AdminId => _server.Db(db => db.Users.First(u => u.Email == UniLinkServer.AdminEmail).Id);

    private async Task<int> NewAccountAsync() => await _server.CreateAccountAsync("Audit " + Guid.NewGuid().ToString("N")[..6], AdminId);

    private static string Log(int account, string query = "") => $"/api/v1/accounts/{account}/audit_logs{query}";

    private async Task<int> CreateAppAsync(int account, string title = "CRM") =>
        (await (await _admin.PostAsync($"/api/v1/accounts/{account}/dashboard_apps",
            Json(new { title, content = new[] { new { type = "frame", url = "https://crm.example.com/cw" } } }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();

    private async Task<JsonArray> LinesAsync(HttpClient client, int account, string query = "") =>
        (await (await client.GetAsync(Log(account, query))).ExpectAsync(HttpStatusCode.OK))!["audit_logs"]!.AsArray();

    private static List<string> Events(JsonArray lines) => lines.Select(l => l!["event"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Every_change_to_an_app_is_a_line_with_who_and_what_changed_in_the_reference_shape_and_secrets_never_show()
    {
        var account = await NewAccountAsync();
        var apps = $"/api/v1/accounts/{account}/dashboard_apps";
        var app = await CreateAppAsync(account);
        await (await _admin.PatchAsync($"{apps}/{app}/settings", Json(new { visible_to = "administrators" }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PutAsync($"{apps}/{app}/permissions", Json(new { permissions = new[] { "add_labels" } }))).ExpectAsync(HttpStatusCode.OK);
        var secret = (await (await _admin.PostAsync($"{apps}/{app}/secret", null)).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>();
        await (await _admin.PatchAsync($"{apps}/{app}", Json(new { title = "CRM 2" }))).ExpectAsync(HttpStatusCode.OK);
        // A refused change writes nothing.
        await (await _admin.PatchAsync($"{apps}/{app}/settings", Json(new { placement = "nowhere" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);

        var manifest = AppManifestApiTests.Manifest();
        var installed = (await (await _admin.PostAsync($"{apps}/install", RawJson(new JsonObject
        {
            ["manifest"] = manifest, ["consent"] = true, ["settings"] = new JsonObject { ["api_key"] = ApiKey, ["region"] = "eu" },
        }.ToJsonString()))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        await (await _admin.PutAsync($"{apps}/{installed}/setting_values", Json(new { settings = new { api_key = NewApiKey, region = "us" } }))).ExpectAsync(HttpStatusCode.OK);
        var wider = AppManifestApiTests.Manifest(m => { m["version"] = "1.1.0"; m["actions"] = new JsonArray("insert_reply", "add_private_note"); });
        await (await _admin.PostAsync($"{apps}/{installed}/manifest", RawJson(new JsonObject { ["manifest"] = wider }.ToJsonString()))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync($"{apps}/{installed}/manifest/consent", null)).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.DeleteAsync($"{apps}/{app}")).ExpectAsync(HttpStatusCode.NoContent);

        using var response = await _admin.GetAsync(Log(account));
        var text = await response.Content.ReadAsStringAsync();
        var page = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["per_page", "total_entries", "current_page", "audit_logs"], page!.AsObject().Select(p => p.Key));
        Assert.Equal(25, page["per_page"]!.GetValue<int>());
        Assert.Equal(10, page["total_entries"]!.GetValue<int>());
        var lines = page["audit_logs"]!.AsArray();
        Assert.Equal(["app_deleted", "consent_given", "manifest_update_pending", "setting_values_changed", "app_installed", "app_updated", "secret_rotated",
            "permissions_changed", "settings_changed", "app_created"], Events(lines).Take(10));
        foreach (var value in new[] { ApiKey, NewApiKey, secret }) Assert.DoesNotContain(value, text);

        var first = lines[0]!.AsObject();
        Assert.Equal(["id", "auditable_id", "auditable_type", "auditable", "associated_id", "associated_type", "user_id", "user_type", "username", "action",
            "audited_changes", "version", "comment", "request_uuid", "created_at", "remote_address", "event", "app_id", "app_title", "conversation_id", "request", "outcome"],
            first.Select(p => p.Key));
        Assert.Equal(app, first["auditable_id"]!.GetValue<int>());
        Assert.Equal("DashboardApp", first["auditable_type"]!.GetValue<string>());
        Assert.Equal(account, first["associated_id"]!.GetValue<int>());
        Assert.Equal("Account", first["associated_type"]!.GetValue<string>());
        Assert.Equal(AdminId, first["user_id"]!.GetValue<int>());
        Assert.Equal("User", first["user_type"]!.GetValue<string>());
        Assert.Equal("destroy", first["action"]!.GetValue<string>());
        Assert.Equal("CRM 2", first["app_title"]!.GetValue<string>());
        Assert.InRange(first["created_at"]!.GetValue<long>(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);

        var settings = lines.Single(l => l!["event"]!.GetValue<string>() == "settings_changed")!;
        Assert.Equal("update", settings["action"]!.GetValue<string>());
        Assert.Equal("""{"visible_to":["all","administrators"]}""", settings["audited_changes"]!.ToJsonString());
        Assert.Equal("""{"permissions":[[],["add_labels"]]}""", lines.Single(l => l!["event"]!.GetValue<string>() == "permissions_changed")!["audited_changes"]!.ToJsonString());
        Assert.Equal("""{"title":["CRM","CRM 2"]}""", lines.Single(l => l!["event"]!.GetValue<string>() == "app_updated")!["audited_changes"]!.ToJsonString());
        Assert.Equal("""{"api_key":"[set]","region":"us"}""", lines.Single(l => l!["event"]!.GetValue<string>() == "setting_values_changed")!["request"]!.ToJsonString());
        var consent = lines.Single(l => l!["event"]!.GetValue<string>() == "consent_given")!;
        Assert.Contains("add_private_note", consent["audited_changes"]!["actions"]!.ToJsonString());

        // By app: the deleted app's lines stay, under the title it last had.
        Assert.Equal(["app_deleted", "app_updated", "secret_rotated", "permissions_changed", "settings_changed", "app_created"], Events(await LinesAsync(_admin, account, $"?app_id={app}")));
        Assert.Equal(4, (await LinesAsync(_admin, account, $"?app_id={installed}")).Count);
        Assert.Equal(["secret_rotated"], Events(await LinesAsync(_admin, account, "?event=secret_rotated")));
    }

    [Fact]
    public async Task What_an_app_did_for_an_agent_is_recorded_with_the_conversation_request_and_outcome_and_contexts_once_an_hour()
    {
        var account = await NewAccountAsync();
        var app = await CreateAppAsync(account, "Labeller");
        await (await _admin.PutAsync($"/api/v1/accounts/{account}/dashboard_apps/{app}/permissions", Json(new { permissions = new[] { "add_labels" } }))).ExpectAsync(HttpStatusCode.OK);
        var conversation = (await _admin.CreateConversationAsync(account))["id"]!.GetValue<int>();
        var agent = await _server.CreateUserAsync(account, name: "Ada Agent");
        var other = await _server.CreateUserAsync(account, name: "Olga Other");

        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var actions = scope.ServiceProvider.GetRequiredService<AppActions>();
            Assert.True((await actions.PerformAsync(account, app, conversation, agent.Id, """{"action":"add_labels","payload":{"labels":["vip"]}}""")).Ok);
            Assert.False((await actions.PerformAsync(account, app, conversation, agent.Id, """{"action":"remove_labels","payload":{"labels":["vip"]}}""")).Ok);
        }
        var receipts = _server.Services.GetRequiredService<ContextReceipts>();
        var row = _server.Db(db => db.DashboardApps.Single(a => a.Id == app));
        var now = DateTime.UtcNow;
        await receipts.RecordAsync([row], conversation, agent.Id, now);
        await receipts.RecordAsync([row], conversation, agent.Id, now.AddSeconds(1));
        await receipts.RecordAsync([row], conversation, other.Id, now);

        var lines = await LinesAsync(_admin, account, $"?conversation_id={conversation}");
        Assert.Equal(["context_received", "context_received", "action_refused", "action_performed"], Events(lines));
        var performed = lines[3]!;
        Assert.Equal(agent.Id, performed["user_id"]!.GetValue<int>());
        Assert.Equal("Ada Agent", performed["username"]!.GetValue<string>());
        Assert.Equal(conversation, performed["conversation_id"]!.GetValue<int>());
        Assert.Equal("""{"action":"add_labels","payload":{"labels":["vip"]}}""", performed["request"]!.ToJsonString());
        Assert.Equal("ok", performed["outcome"]!.GetValue<string>());
        Assert.Equal("action_performed", performed["action"]!.GetValue<string>());
        Assert.Equal("The app is not allowed to remove labels", lines[2]!["outcome"]!.GetValue<string>());

        // The same hour's receipt is one line, even from a node that never wrote it (a fresh memory).
        var fresh = new ContextReceipts(_server.Services.GetRequiredService<IServiceScopeFactory>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ContextReceipts>.Instance);
        await fresh.RecordAsync([row], conversation, agent.Id, now);
        Assert.Equal(["context_received", "action_refused", "action_performed"], Events(await LinesAsync(_admin, account, $"?agent_id={agent.Id}")));
        Assert.Equal(["context_received"], Events(await LinesAsync(_admin, account, $"?user_id={other.Id}")));
        Assert.Empty(await LinesAsync(_admin, account, $"?conversation_id={conversation + 1000}"));
    }

    [Fact]
    public async Task Only_the_accounts_administrators_read_it_and_an_administrator_here_never_reads_another_accounts()
    {
        var a = await NewAccountAsync();
        var b = await NewAccountAsync();
        var appA = await CreateAppAsync(a, "App of A");
        var appB = await CreateAppAsync(b, "App of B");
        // A user in both accounts: administrator of A, agent in B.
        var both = await _server.CreateUserAsync(a, Roles.Administrator);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = b, UserId = both.Id, Role = Roles.Agent, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        using var client = _server.Client(both.Token);
        var mine = await LinesAsync(client, a);
        Assert.All(mine, l => Assert.Equal(appA, l!["app_id"]!.GetValue<int>()));
        Assert.Empty(await LinesAsync(client, a, $"?app_id={appB}"));
        await (await client.GetAsync(Log(b))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);

        var agent = await _server.CreateUserAsync(a);
        using var agentClient = _server.Client(agent.Token);
        await (await agentClient.GetAsync(Log(a))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        var outsider = await _server.CreateUserAsync(b, Roles.Administrator);
        using var outsiderClient = _server.Client(outsider.Token);
        await (await outsiderClient.GetAsync(Log(a))).ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to access this account"}""");
        await (await _server.Client().GetAsync(Log(a))).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.All(await LinesAsync(outsiderClient, b), l => Assert.Equal(appB, l!["app_id"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("?page=0", "Page must be a positive whole number", "page")]
    [InlineData("?page=two", "Page must be a positive whole number", "page")]
    [InlineData("?app_id=x", "App id must be a positive whole number", "app_id")]
    [InlineData("?agent_id=-3", "Agent id must be a positive whole number", "agent_id")]
    [InlineData("?conversation_id=1.5", "Conversation id must be a positive whole number", "conversation_id")]
    [InlineData("?event=everything", "Event must be one of app_created, app_installed, app_updated, app_deleted, manifest_updated, manifest_update_pending, consent_given, settings_changed, permissions_changed, setting_values_changed, secret_rotated, action_performed, action_refused, request_made, context_received, hook_answered", "event")]
    public async Task Bad_filters_are_a_422_naming_the_parameter(string query, string message, string attribute)
    {
        await (await _admin.GetAsync(Log(_account, query))).ExpectBodyAsync(HttpStatusCode.UnprocessableEntity,
            new JsonObject { ["message"] = message, ["attributes"] = new JsonArray(attribute) }.ToJsonString());
    }

    [Fact]
    public async Task Pages_hold_25_lines_newest_first_and_lines_older_than_90_days_are_removed()
    {
        var account = await NewAccountAsync();
        var app = await CreateAppAsync(account);
        for (var i = 0; i < 29; i++)
            await (await _admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{app}/settings", Json(new { keep_alive = i % 2 == 0 }))).ExpectAsync(HttpStatusCode.OK);
        var first = (await (await _admin.GetAsync(Log(account))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(30, first["total_entries"]!.GetValue<int>());
        Assert.Equal(25, first["audit_logs"]!.AsArray().Count);
        var second = (await (await _admin.GetAsync(Log(account, "?page=2"))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(2, second["current_page"]!.GetValue<int>());
        Assert.Equal(["settings_changed", "settings_changed", "settings_changed", "settings_changed", "app_created"], Events(second["audit_logs"]!.AsArray()));
        var ids = first["audit_logs"]!.AsArray().Concat(second["audit_logs"]!.AsArray()).Select(l => l!["id"]!.GetValue<long>()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Empty((await (await _admin.GetAsync(Log(account, "?page=3"))).ExpectAsync(HttpStatusCode.OK))!["audit_logs"]!.AsArray());

        var now = DateTime.UtcNow;
        await _server.DbAsync(async db =>
        {
            foreach (var days in new[] { 91, 89 })
                db.AppAuditLog.Add(new AppAuditEntry { AccountId = account, AppId = app, AppTitle = $"{days} days ago", Event = AppAuditEvents.SecretRotated, CreatedAt = now.AddDays(-days) });
            return await db.SaveChangesAsync();
        });
        Assert.True(await _server.Services.GetRequiredService<AppAuditRetention>().RemoveExpiredAsync(now) >= 1);
        var rotated = await LinesAsync(_admin, account, "?event=secret_rotated");
        Assert.Equal(["89 days ago"], rotated.Select(l => l!["app_title"]!.GetValue<string>()));
    }
}
