using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Teams;

public sealed class TeamsApiTests(SharedServer server) : AdminApiTests(server)
{
    private async Task<JsonNode> CreateTeamAsync(string name, bool allowAutoAssign = true) =>
        (await (await _admin.PostAsync(P("teams"), Json(new { name, description = "Handles " + name, allow_auto_assign = allowAutoAssign })))
            .ExpectAsync(HttpStatusCode.OK))!;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Teams_are_created_in_lower_case_listed_shown_changed_and_deleted()
    {
        var name = Unique("Billing");
        var team = await CreateTeamAsync(name);
        var id = team["id"]!.GetValue<int>();
        Assert.Equal(name.ToLowerInvariant(), team["name"]!.GetValue<string>());
        Assert.Equal(["account_id", "allow_auto_assign", "description", "id", "is_member", "name"],
            team.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(_account, team["account_id"]!.GetValue<int>());
        Assert.False(team["is_member"]!.GetValue<bool>());

        var list = (await (await _admin.GetAsync(P("teams"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Contains(list, t => t!["id"]!.GetValue<int>() == id);

        var changed = await (await _admin.PatchAsync(P($"teams/{id}"), Json(new { team = new { description = "Invoices", allow_auto_assign = false } })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Invoices", changed!["description"]!.GetValue<string>());
        Assert.False(changed["allow_auto_assign"]!.GetValue<bool>());
        Assert.Equal(name.ToLowerInvariant(), changed["name"]!.GetValue<string>());

        await (await _admin.PostAsync(P("teams"), Json(new { name = name.ToUpperInvariant() })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Name has already been taken","attributes":["name"]}""");
        await (await _admin.PostAsync(P("teams"), Json(new { name = " " })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Name can't be blank","attributes":["name"]}""");
        await (await _admin.PostAsync(P("teams"), Json(new { })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"error":"param is missing or the value is empty: team"}""");

        await (await _admin.DeleteAsync(P($"teams/{id}"))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.GetAsync(P($"teams/{id}"))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Team_members_are_added_replaced_and_removed_and_only_agents_of_the_account_can_be()
    {
        var team = (await CreateTeamAsync(Unique("support")))["id"]!.GetValue<int>();
        var sam = await _server.CreateUserAsync(_account, name: "Sam Member");
        var kim = await _server.CreateUserAsync(_account, name: "Kim Member");
        var outsider = await _server.CreateUserAsync(await _server.CreateAccountAsync("Elsewhere"));

        var added = (await (await _admin.PostAsync(P($"teams/{team}/team_members"), Json(new { user_ids = new[] { sam.Id } }))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal("Sam Member", Assert.Single(added)!["name"]!.GetValue<string>());
        Assert.Equal("agent", added[0]!["role"]!.GetValue<string>());

        var replaced = (await (await _admin.PatchAsync(P($"teams/{team}/team_members"), Json(new { user_ids = new[] { kim.Id } }))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal([kim.Id], replaced.Select(a => a!["id"]!.GetValue<int>()));
        var members = (await (await _admin.GetAsync(P($"teams/{team}/team_members"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal([kim.Id], members.Select(a => a!["id"]!.GetValue<int>()));

        // The member sees is_member; an agent may read teams and members but not change them.
        var kimClient = _server.Client(kim.Token);
        var shown = await (await kimClient.GetAsync(P($"teams/{team}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.True(shown!["is_member"]!.GetValue<bool>());
        await (await kimClient.GetAsync(P($"teams/{team}/team_members"))).ExpectAsync(HttpStatusCode.OK);
        await (await kimClient.PostAsync(P($"teams/{team}/team_members"), Json(new { user_ids = new[] { kim.Id } })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to do this action"}""");

        await (await _admin.PostAsync(P($"teams/{team}/team_members"), Json(new { user_ids = new[] { outsider.Id } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, $$"""{"message":"User {{outsider.Id}} is not an agent of this account","attributes":["user_ids"]}""");
        await (await _admin.PostAsync(P($"teams/{team}/team_members"), Json(new { user_ids = "x" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"User ids must be a list of at most 1000 ids","attributes":["user_ids"]}""");

        var request = new HttpRequestMessage(HttpMethod.Delete, P($"teams/{team}/team_members")) { Content = Json(new { user_ids = new[] { kim.Id } }) };
        await (await _admin.SendAsync(request)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty((await (await _admin.GetAsync(P($"teams/{team}/team_members"))).ExpectAsync(HttpStatusCode.OK))!.AsArray());
    }

    [Fact]
    public async Task Another_accounts_team_is_not_found_and_its_administrator_cannot_reach_ours()
    {
        var team = (await CreateTeamAsync(Unique("ours")))["id"]!.GetValue<int>();
        var other = await _server.CreateAccountAsync("Other");
        var both = await _server.CreateUserAsync(_account, Roles.Administrator);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = other, UserId = both.Id, Role = Roles.Administrator, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var client = _server.Client(both.Token);
        await (await client.GetAsync($"/api/v1/accounts/{other}/teams/{team}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"/api/v1/accounts/{other}/teams/{team}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await client.GetAsync($"/api/v1/accounts/{other}/teams")).ExpectAsync(HttpStatusCode.OK))!.AsArray());
        await (await client.GetAsync(P($"teams/{team}"))).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_conversation_is_assigned_to_a_team_without_touching_its_agent_and_filtered_by_it()
    {
        var teamJson = await CreateTeamAsync(Unique("routing"));
        var team = teamJson["id"]!.GetValue<int>();
        var agent = await _server.CreateUserAsync(_account, name: "Routed Agent");
        var id = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { assignee_id = agent.Id }))).ExpectAsync(HttpStatusCode.OK);

        var assigned = await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { team_id = team }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(team, assigned!["id"]!.GetValue<int>());
        var c = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(agent.Id, c!["meta"]!["assignee"]!["id"]!.GetValue<int>());
        Assert.Equal(teamJson["name"]!.GetValue<string>(), c["meta"]!["team"]!["name"]!.GetValue<string>());

        // {} changes nothing and answers null.
        var nothing = await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { }));
        Assert.Equal(HttpStatusCode.OK, nothing.StatusCode);
        Assert.Equal("null", await nothing.Content.ReadAsStringAsync());
        c = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(agent.Id, c!["meta"]!["assignee"]!["id"]!.GetValue<int>());
        Assert.NotNull(c["meta"]!["team"]);

        var list = await (await _admin.GetAsync(P($"conversations?team_id={team}&status=all"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([id], list!["data"]!["payload"]!.AsArray().Select(x => x!["id"]!.GetValue<int>()));
        Assert.Equal(1, list["data"]!["meta"]!["all_count"]!.GetValue<int>());
        var meta = await (await _admin.GetAsync(P($"conversations/meta?team_id={team}&status=all"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, meta!["meta"]!["assigned_count"]!.GetValue<int>());
        await (await _admin.GetAsync(P("conversations?team_id=x")))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Team must be a whole number","attributes":["team_id"]}""");

        // assignee_id 0 unassigns the agent (the official CLI does this); the team stays.
        var unassigned = await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { assignee_id = 0 }));
        Assert.Equal("null", await unassigned.Content.ReadAsStringAsync());
        c = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(c!["meta"]!["assignee"]);
        Assert.NotNull(c["meta"]!["team"]);

        // team_id 0 takes it from the team; deleting a team leaves its conversations without one.
        await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { team_id = 0 }))).ExpectAsync(HttpStatusCode.OK);
        c = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.False(c!["meta"]!.AsObject().ContainsKey("team"));
        await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { team_id = team }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.DeleteAsync(P($"teams/{team}"))).ExpectAsync(HttpStatusCode.OK);
        c = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.False(c!["meta"]!.AsObject().ContainsKey("team"));

        var messages = (await (await _admin.GetAsync(P($"conversations/{id}/messages"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray()
            .Select(m => m!["content"]!.GetValue<string>()).ToList();
        Assert.Contains($"Assigned to {teamJson["name"]} by Administrator", messages);
        Assert.Contains($"Unassigned from {teamJson["name"]} by Administrator", messages);

        await (await _admin.PostAsync(P($"conversations/{id}/assignments"), Json(new { team_id = 999999 })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Team is not a team of this account","attributes":["team_id"]}""");
    }
}
