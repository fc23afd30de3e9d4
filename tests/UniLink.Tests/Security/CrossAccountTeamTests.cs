using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Security;

/// <summary>An administrator of one account must gain nothing over the users of another (issue 13, item 1).</summary>
public class CrossAccountTeamTests
{
    private static string Agents(int accountId) => $"/api/v1/accounts/{accountId}/agents";

    private static Task<HttpResponseMessage> SignInAsync(UniLinkServer s, string email, string password) =>
        s.Client().PostAsync("/auth/sign_in", Json(new { email, password }));

    /// <summary>Account B with an administrator of its own, who has no place in the first account.</summary>
    private static async Task<(int Account, TestUser Admin)> SecondAccountAsync(UniLinkServer server)
    {
        var account = await server.CreateAccountAsync("Other company");
        return (account, await server.CreateUserAsync(account, Roles.Administrator));
    }

    [Fact]
    public async Task Adding_an_invited_user_of_another_account_gives_no_password_link()
    {
        using var server = new UniLinkServer();
        var own = await (await server.AdminClient().PostAsync(Agents(server.AccountId), Json(new { name = "Pat", email = "pat@example.com", role = "administrator" })))
            .ExpectAsync(HttpStatusCode.OK);
        var ownLink = new Uri(own!["invitation_url"]!.GetValue<string>()).AbsolutePath;
        var (b, bAdmin) = await SecondAccountAsync(server);

        var added = await (await server.Client(bAdmin.Token).PostAsync(Agents(b), Json(new { name = "Pat", email = "pat@example.com" })))
            .ExpectAsync(HttpStatusCode.OK);
        var foreignLink = new Uri(added!["invitation_url"]!.GetValue<string>()).AbsolutePath;

        // B's link sets no password: it asks the user to sign in as themselves, and a posted password does nothing.
        using var attacker = new BrowserlessForms(server);
        var page = await attacker.Http.GetStringAsync(foreignLink);
        Assert.DoesNotContain("Set password", page);
        Assert.Contains("Sign in as", page);
        await attacker.Http.PostAsync(foreignLink, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "invitation", ["Input.Password"] = "taken-over-1", ["Input.Confirmation"] = "taken-over-1",
        }));
        await (await SignInAsync(server, "pat@example.com", "taken-over-1")).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Null(server.Db(db => db.Users.Single(u => u.Email == "pat@example.com" && u.StandsInForUserId == null).PasswordHash));

        // The user's own account's link still works, and B is not among their accounts until they accept.
        using var pat = new BrowserlessForms(server);
        Assert.Contains("Set password", await pat.Http.GetStringAsync(ownLink));
        await pat.SubmitAsync(ownLink, new Dictionary<string, string> { ["Input.Password"] = "pat-password-1", ["Input.Confirmation"] = "pat-password-1" });
        var profile = await (await SignInAsync(server, "pat@example.com", "pat-password-1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([server.AccountId], profile!["data"]!["accounts"]!.AsArray().Select(a => a!["id"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Adding_an_email_answers_the_same_whether_or_not_it_exists_elsewhere()
    {
        using var server = new UniLinkServer();
        var existing = await server.CreateUserAsync(server.AccountId, Roles.Administrator, name: "Real Name");
        var (b, bAdmin) = await SecondAccountAsync(server);
        var client = server.Client(bAdmin.Token);

        var forExisting = (await (await client.PostAsync(Agents(b), Json(new { name = "Given", email = existing.Email }))).ExpectAsync(HttpStatusCode.OK))!.AsObject();
        var forNew = (await (await client.PostAsync(Agents(b), Json(new { name = "Given", email = "fresh@example.com" }))).ExpectAsync(HttpStatusCode.OK))!.AsObject();

        Assert.Equal(forNew.Select(p => p.Key), forExisting.Select(p => p.Key));
        Assert.Equal(Comparable(forNew).ToJsonString(), Comparable(forExisting).ToJsonString());
        Assert.Equal("Given", forExisting["name"]!.GetValue<string>());
        Assert.False(forExisting["confirmed"]!.GetValue<bool>());

        // The list shows both alike, with the names B gave.
        var list = (await (await client.GetAsync(Agents(b))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        var shown = list.Where(a => a!["name"]!.GetValue<string>() == "Given").Select(a => Comparable(a!.AsObject()).ToJsonString()).ToList();
        Assert.Equal(2, shown.Count);
        Assert.Equal(shown[0], shown[1]);
        Assert.DoesNotContain(list, a => a!["name"]!.GetValue<string>() == "Real Name");

        // Adding either again is refused alike.
        await (await client.PostAsync(Agents(b), Json(new { name = "Again", email = existing.Email })))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"Email has already been taken","attributes":["email"]}""");
        await (await client.PostAsync(Agents(b), Json(new { name = "Again", email = "fresh@example.com" })))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"Email has already been taken","attributes":["email"]}""");

        // Until they accept, the existing user is not in B and their own record is untouched.
        await (await server.Client(existing.Token).GetAsync($"/api/v1/accounts/{b}")).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Real Name", server.Db(db => db.Users.Single(u => u.Id == existing.Id).Name));
    }

    [Fact]
    public async Task Nothing_done_with_an_added_agent_tells_whether_their_email_existed_and_what_was_arranged_moves_to_them_when_they_join()
    {
        using var server = new UniLinkServer();
        var existing = await server.CreateUserAsync(server.AccountId, Roles.Administrator, name: "Real Name");
        var (b, bAdmin) = await SecondAccountAsync(server);
        var client = server.Client(bAdmin.Token);
        var inbox = await client.CreateInboxAsync(b);
        var team = (await (await client.PostAsync($"/api/v1/accounts/{b}/teams", Json(new { name = "Billing" }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var conversations = new List<int>();
        for (var i = 0; i < 2; i++) conversations.Add((await client.CreateConversationAsync(b))["id"]!.GetValue<int>());

        var forExisting = await (await client.PostAsync(Agents(b), Json(new { name = "Given", email = existing.Email, role = "administrator" }))).ExpectAsync(HttpStatusCode.OK);
        var forNew = await (await client.PostAsync(Agents(b), Json(new { name = "Given", email = "fresh@example.com", role = "administrator" }))).ExpectAsync(HttpStatusCode.OK);
        int existingId = forExisting!["id"]!.GetValue<int>(), newId = forNew!["id"]!.GetValue<int>();
        // Ids are handed out alike: the existing user's own id would tell B that the e-mail was already known.
        Assert.NotEqual(existing.Id, existingId);
        Assert.Equal(existingId + 1, newId);

        // Everything B can do with a new agent it can do alike with both, with the same answers.
        var answers = new List<string>();
        foreach (var (id, conversation) in new[] { (existingId, conversations[0]), (newId, conversations[1]) })
        {
            var inboxMember = await (await client.PostAsync($"/api/v1/accounts/{b}/inbox_members", Json(new { inbox_id = inbox, user_ids = new[] { id } }))).ExpectAsync(HttpStatusCode.OK);
            var teamMember = await (await client.PostAsync($"/api/v1/accounts/{b}/teams/{team}/team_members", Json(new { user_ids = new[] { id } }))).ExpectAsync(HttpStatusCode.OK);
            var assigned = await (await client.PostAsync($"/api/v1/accounts/{b}/conversations/{conversation}/assignments", Json(new { assignee_id = id }))).ExpectAsync(HttpStatusCode.OK);
            var renamed = await (await client.PatchAsync($"{Agents(b)}/{id}", Json(new { name = "Renamed", availability = "busy" }))).ExpectAsync(HttpStatusCode.OK);
            var reset = await (await client.PostAsync($"{Agents(b)}/{id}/reset_password", null)).ExpectAsync(HttpStatusCode.OK);
            var agentIn = (JsonNode list) => (list is JsonArray a ? a : list["payload"]!.AsArray()).Single(m => m!["id"]!.GetValue<int>() == id)!;
            answers.Add(string.Join("|", new[] { agentIn(inboxMember!), agentIn(teamMember!), assigned!, renamed!, reset! }.Select(n => Comparable(n.AsObject()).ToJsonString())));
        }
        Assert.Equal(answers[0], answers[1]);

        var app = (await (await client.PostAsync($"/api/v1/accounts/{b}/dashboard_apps",
            Json(new { title = "CRM", content = new[] { new { type = "frame", url = "https://crm.example.com/" } } }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        await (await client.PatchAsync($"/api/v1/accounts/{b}/dashboard_apps/{app}/settings",
            Json(new { visible_to = "selected", visible_to_agent_ids = new[] { existingId, newId } }))).ExpectAsync(HttpStatusCode.OK);

        // B's reset link for the existing user still sets no password: it asks them to sign in as themselves.
        var link = new Uri((await (await client.PostAsync($"{Agents(b)}/{existingId}/reset_password", null)).ExpectAsync(HttpStatusCode.OK))!["invitation_url"]!.GetValue<string>()).AbsolutePath;
        using (var attacker = new BrowserlessForms(server)) Assert.DoesNotContain("Set password", await attacker.Http.GetStringAsync(link));
        await (await server.Client(existing.Token).GetAsync($"/api/v1/accounts/{b}")).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(("Real Name", "online"), server.Db(db => db.Users.Where(u => u.Id == existing.Id).Select(u => new { u.Name, u.AvailabilityStatus }).AsEnumerable().Select(u => (u.Name, u.AvailabilityStatus)).Single()));

        // The user accepts, signed in as themselves: the role, inbox, team and assignment B arranged are theirs.
        using var user = new BrowserlessForms(server);
        await user.SignInAsync(existing.Email, existing.Password);
        Assert.Contains("You joined Other company", await (await user.SubmitAsync(link, new Dictionary<string, string>())).Content.ReadAsStringAsync());
        var mine = server.Client(existing.Token);
        var listed = (await (await client.GetAsync(Agents(b))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.DoesNotContain(listed, a => a!["id"]!.GetValue<int>() == existingId);
        Assert.Equal("administrator", listed.Single(a => a!["id"]!.GetValue<int>() == existing.Id)!["role"]!.GetValue<string>());
        var shown = await (await mine.GetAsync($"/api/v1/accounts/{b}/conversations/{conversations[0]}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(existing.Id, shown!["meta"]!["assignee"]!["id"]!.GetValue<int>());
        var inboxMembers = (await (await client.GetAsync($"/api/v1/accounts/{b}/inbox_members/{inbox}")).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray();
        Assert.Equal(new[] { existing.Id, newId }.Order(), inboxMembers.Select(m => m!["id"]!.GetValue<int>()).Order());
        var teamMembers = (await (await client.GetAsync($"/api/v1/accounts/{b}/teams/{team}/team_members")).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal(new[] { existing.Id, newId }.Order(), teamMembers.Select(m => m!["id"]!.GetValue<int>()).Order());
        var audience = (await (await client.GetAsync($"/api/v1/accounts/{b}/dashboard_apps/{app}/settings")).ExpectAsync(HttpStatusCode.OK))!["visible_to_agent_ids"]!.AsArray();
        Assert.Equal(new[] { existing.Id, newId }.Order(), audience.Select(id => id!.GetValue<int>()).Order());
        // Their own record and sign-in are as they were.
        await (await SignInAsync(server, existing.Email, existing.Password)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Real Name", server.Db(db => db.Users.Single(u => u.Id == existing.Id).Name));
    }

    /// <summary>An agent's answer without what differs by design: the id, the e-mail and the one-time link.</summary>
    private static JsonObject Comparable(JsonObject o)
    {
        var copy = o.DeepClone().AsObject();
        foreach (var key in new[] { "id", "email", "invitation_url", "invitation_expires_at" }) copy.Remove(key);
        return copy;
    }

    [Fact]
    public async Task An_existing_user_joins_by_accepting_while_signed_in_as_themselves()
    {
        using var server = new UniLinkServer();
        var existing = await server.CreateUserAsync(server.AccountId);
        var (b, bAdmin) = await SecondAccountAsync(server);
        var added = await (await server.Client(bAdmin.Token).PostAsync(Agents(b), Json(new { name = "X", email = existing.Email, role = "agent" })))
            .ExpectAsync(HttpStatusCode.OK);
        var link = new Uri(added!["invitation_url"]!.GetValue<string>()).AbsolutePath;

        // Someone else signed in cannot use it.
        using var other = new BrowserlessForms(server);
        await other.SignInAsync(bAdmin.Email, bAdmin.Password);
        var refused = await other.Http.GetStringAsync(link);
        Assert.Contains("for another user", refused);
        Assert.DoesNotContain("<button", refused.Split("<main")[^1].Split("</main>")[0].Replace("Sign out", ""));

        using var user = new BrowserlessForms(server);
        await user.SignInAsync(existing.Email, existing.Password);
        var joined = await user.SubmitAsync(link, new Dictionary<string, string>());
        Assert.Contains("You joined Other company", await joined.Content.ReadAsStringAsync());
        await (await server.Client(existing.Token).GetAsync($"/api/v1/accounts/{b}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("agent", server.Db(db => db.AccountUsers.Single(m => m.AccountId == b && m.UserId == existing.Id).Role));
        // The link works once.
        Assert.Contains("expired or has already been used", await user.Http.GetStringAsync(link));
    }

    [Fact]
    public async Task An_administrator_cannot_rename_or_set_availability_of_a_user_who_belongs_where_they_do_not_administer()
    {
        using var server = new UniLinkServer();
        var shared = await server.CreateUserAsync(server.AccountId, Roles.Administrator, name: "Shared Person");
        var (b, bAdmin) = await SecondAccountAsync(server);
        await server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = b, UserId = shared.Id, Role = Roles.Agent, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var client = server.Client(bAdmin.Token);
        await (await client.PatchAsync($"{Agents(b)}/{shared.Id}", Json(new { name = "Renamed" })))
            .ExpectBodyAsync((HttpStatusCode)422, """{"message":"This agent also belongs to another account; they can change their name and availability on their profile","attributes":["name"]}""");
        await (await client.PatchAsync($"{Agents(b)}/{shared.Id}", Json(new { availability = "offline" })))
            .ExpectAsync((HttpStatusCode)422);
        await (await client.PatchAsync($"{Agents(b)}/{shared.Id}", Json(new { auto_offline = false })))
            .ExpectAsync((HttpStatusCode)422);
        var user = server.Db(db => db.Users.Single(u => u.Id == shared.Id));
        Assert.Equal(("Shared Person", "online", true), (user.Name, user.AvailabilityStatus, user.AutoOffline));

        // The role in B is B's to change.
        await (await client.PatchAsync($"{Agents(b)}/{shared.Id}", Json(new { role = "administrator" }))).ExpectAsync(HttpStatusCode.OK);
        // An administrator of every account the user is in may rename them.
        await (await client.PatchAsync($"{Agents(b)}/{shared.Id}", Json(new { name = "Still refused" }))).ExpectAsync((HttpStatusCode)422);
        await server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = server.AccountId, UserId = bAdmin.Id, Role = Roles.Administrator, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        await (await client.PatchAsync($"{Agents(b)}/{shared.Id}", Json(new { name = "Renamed" }))).ExpectAsync(HttpStatusCode.OK);
    }
}
