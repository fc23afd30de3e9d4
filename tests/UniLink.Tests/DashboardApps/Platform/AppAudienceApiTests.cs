using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.DashboardApps.Platform;

/// <summary>
/// An app visible to chosen teams and agents: only they (and administrators) list it, read it, its settings and its
/// permissions; everyone else gets the 404 an unknown app gets. Teams and agents must be the account's own.
/// </summary>
public sealed class AppAudienceApiTests(SharedServer server) : AdminApiTests(server)
{
    private const string NotFound = """{"error":"Resource could not be found"}""";
    private string Apps => P("dashboard_apps");

    private async Task<int> CreateAppAsync(string title) =>
        (await (await _admin.PostAsync(Apps, Json(new { title, content = new[] { new { type = "frame", url = "https://crm.example.com/cw" } } })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();

    private async Task<int> CreateTeamAsync(HttpClient admin, int account, params int[] members)
    {
        var team = (await (await admin.PostAsync($"/api/v1/accounts/{account}/teams", Json(new { name = "team " + Guid.NewGuid().ToString("N")[..8] })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        if (members.Length > 0)
            await (await admin.PostAsync($"/api/v1/accounts/{account}/teams/{team}/team_members", Json(new { user_ids = members }))).ExpectAsync(HttpStatusCode.OK);
        return team;
    }

    private static async Task<List<int>> ListedAsync(HttpClient client, string apps) =>
        (await (await client.GetAsync(apps)).ExpectAsync(HttpStatusCode.OK))!.AsArray().Select(a => a!["id"]!.GetValue<int>()).ToList();

    [Fact]
    public async Task Only_the_chosen_teams_members_the_named_agents_and_administrators_see_the_app()
    {
        var inTeam = await _server.CreateUserAsync(_account);
        var named = await _server.CreateUserAsync(_account);
        var outside = await _server.CreateUserAsync(_account);
        var team = await CreateTeamAsync(_admin, _account, inTeam.Id);
        var otherTeam = await CreateTeamAsync(_admin, _account, outside.Id);
        var app = await CreateAppAsync("Payroll");
        var open = await CreateAppAsync("Open to all");
        var saved = await (await _admin.PatchAsync($"{Apps}/{app}/settings",
            Json(new { visible_to = "selected", visible_to_team_ids = new[] { team }, visible_to_agent_ids = new[] { named.Id } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("selected", saved!["visible_to"]!.GetValue<string>());
        Assert.Equal($"[{team}]", saved["visible_to_team_ids"]!.ToJsonString());
        Assert.Equal($"[{named.Id}]", saved["visible_to_agent_ids"]!.ToJsonString());

        foreach (var member in new[] { inTeam, named })
        {
            using var client = _server.Client(member.Token);
            Assert.Contains(app, await ListedAsync(client, Apps));
            await (await client.GetAsync($"{Apps}/{app}")).ExpectAsync(HttpStatusCode.OK);
            await (await client.GetAsync($"{Apps}/{app}/settings")).ExpectAsync(HttpStatusCode.OK);
            await (await client.GetAsync($"{Apps}/{app}/permissions")).ExpectAsync(HttpStatusCode.OK);
        }
        using (var client = _server.Client(outside.Token))
        {
            var listed = await ListedAsync(client, Apps);
            Assert.DoesNotContain(app, listed);
            Assert.Contains(open, listed);
            await (await client.GetAsync($"{Apps}/{app}")).ExpectBodyAsync(HttpStatusCode.NotFound, NotFound);
            await (await client.GetAsync($"{Apps}/{app}/settings")).ExpectBodyAsync(HttpStatusCode.NotFound, NotFound);
            await (await client.GetAsync($"{Apps}/{app}/permissions")).ExpectBodyAsync(HttpStatusCode.NotFound, NotFound);
        }
        Assert.Contains(app, await ListedAsync(_admin, Apps));

        // Joining a team brings the app at once (the list is cached per agent, and a team change ends it); leaving takes it away.
        await (await _admin.PostAsync(P($"teams/{team}/team_members"), Json(new { user_ids = new[] { outside.Id } }))).ExpectAsync(HttpStatusCode.OK);
        using (var client = _server.Client(outside.Token)) Assert.Contains(app, await ListedAsync(client, Apps));
        await (await _admin.PatchAsync($"{Apps}/{app}/settings", Json(new { visible_to_team_ids = new[] { otherTeam } }))).ExpectAsync(HttpStatusCode.OK);
        using (var client = _server.Client(inTeam.Token)) Assert.DoesNotContain(app, await ListedAsync(client, Apps));

        // Administrators only: agents, named or not, no longer see it.
        await (await _admin.PatchAsync($"{Apps}/{app}/settings", Json(new { visible_to = "administrators" }))).ExpectAsync(HttpStatusCode.OK);
        using (var client = _server.Client(named.Token))
        {
            Assert.DoesNotContain(app, await ListedAsync(client, Apps));
            await (await client.GetAsync($"{Apps}/{app}")).ExpectBodyAsync(HttpStatusCode.NotFound, NotFound);
        }
    }

    [Fact]
    public async Task Teams_and_agents_of_another_account_are_refused_and_a_user_in_both_sees_only_what_each_account_shows_them()
    {
        var adminId = _server.Db(db => db.Users.First(u => u.Email == UniLinkServer.AdminEmail).Id);
        var other = await _server.CreateAccountAsync("Other " + Guid.NewGuid().ToString("N")[..6], adminId);
        var both = await _server.CreateUserAsync(_account);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = other, UserId = both.Id, Role = Roles.Agent, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var onlyOther = await _server.CreateUserAsync(other);
        var teamHere = await CreateTeamAsync(_admin, _account, both.Id);
        var teamThere = await CreateTeamAsync(_admin, other, onlyOther.Id);
        var app = await CreateAppAsync("CRM");
        var settings = $"{Apps}/{app}/settings";

        var foreignTeam = await (await _admin.PatchAsync(settings, Json(new { visible_to = "selected", visible_to_team_ids = new[] { teamThere } })))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal($"Visible to team ids {teamThere} is not a team of this account", foreignTeam!["message"]!.GetValue<string>());
        Assert.Equal("""["visible_to_team_ids"]""", foreignTeam["attributes"]!.ToJsonString());
        var foreignAgent = await (await _admin.PatchAsync(settings, Json(new { visible_to = "selected", visible_to_agent_ids = new[] { onlyOther.Id } })))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal($"Visible to agent ids {onlyOther.Id} is not an agent of this account", foreignAgent!["message"]!.GetValue<string>());
        var none = await (await _admin.PatchAsync(settings, Json(new { visible_to = "selected" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Visible to selected needs at least one team (visible_to_team_ids) or agent (visible_to_agent_ids)", none!["message"]!.GetValue<string>());
        var bad = await (await _admin.PatchAsync(settings, RawJson("""{"visible_to_agent_ids":["me"]}"""))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("""["visible_to_agent_ids"]""", bad!["attributes"]!.ToJsonString());
        // Nothing of the refused changes was kept.
        Assert.Equal("all", (await (await _admin.GetAsync(settings)).ExpectAsync(HttpStatusCode.OK))!["visible_to"]!.GetValue<string>());

        // The other account's app, for its own team: the user in both accounts is in a team here, not there.
        var thereApp = (await (await _admin.PostAsync($"/api/v1/accounts/{other}/dashboard_apps",
            Json(new { title = "There", content = new[] { new { type = "frame", url = "https://crm.example.com/there" } } }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        await (await _admin.PatchAsync($"/api/v1/accounts/{other}/dashboard_apps/{thereApp}/settings",
            Json(new { visible_to = "selected", visible_to_team_ids = new[] { teamThere } }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PatchAsync(settings, Json(new { visible_to = "selected", visible_to_team_ids = new[] { teamHere } }))).ExpectAsync(HttpStatusCode.OK);
        using var client = _server.Client(both.Token);
        Assert.Contains(app, await ListedAsync(client, Apps));
        Assert.DoesNotContain(thereApp, await ListedAsync(client, $"/api/v1/accounts/{other}/dashboard_apps"));
        await (await client.GetAsync($"/api/v1/accounts/{other}/dashboard_apps/{thereApp}")).ExpectBodyAsync(HttpStatusCode.NotFound, NotFound);
        using var there = _server.Client(onlyOther.Token);
        Assert.Contains(thereApp, await ListedAsync(there, $"/api/v1/accounts/{other}/dashboard_apps"));
    }

    [Fact]
    public async Task A_deleted_team_leaves_the_audience_and_the_settings_still_save()
    {
        var agent = await _server.CreateUserAsync(_account);
        var team = await CreateTeamAsync(_admin, _account, agent.Id);
        var app = await CreateAppAsync("Billing");
        var settings = $"{Apps}/{app}/settings";
        await (await _admin.PatchAsync(settings, Json(new { visible_to = "selected", visible_to_team_ids = new[] { team }, visible_to_agent_ids = new[] { agent.Id } })))
            .ExpectAsync(HttpStatusCode.OK);
        await (await _admin.DeleteAsync(P($"teams/{team}"))).ExpectAsync(HttpStatusCode.OK);
        var read = await (await _admin.GetAsync(settings)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("[]", read!["visible_to_team_ids"]!.ToJsonString());
        // What was read is what can be written back.
        await (await _admin.PutAsync(settings, RawJson(read.ToJsonString()))).ExpectAsync(HttpStatusCode.OK);
    }
}
