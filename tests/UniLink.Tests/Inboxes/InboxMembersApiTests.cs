using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Inboxes;

public sealed class InboxMembersApiTests(SharedServer server) : AdminApiTests(server)
{
    private static List<int> Ids(JsonNode? body) => body!["payload"]!.AsArray().Select(a => a!["id"]!.GetValue<int>()).ToList();

    private HttpRequestMessage Delete(string path, object body) => new(HttpMethod.Delete, P(path)) { Content = Json(body) };

    [Fact]
    public async Task Inbox_members_are_added_replaced_listed_and_removed()
    {
        var inbox = await _admin.CreateInboxAsync(_account, "Members");
        var sam = await _server.CreateUserAsync(_account);
        var kim = await _server.CreateUserAsync(_account);

        var added = await (await _admin.PostAsync(P("inbox_members"), Json(new { inbox_id = inbox, user_ids = new[] { sam.Id } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([sam.Id], Ids(added));
        Assert.Equal("agent", added!["payload"]![0]!["role"]!.GetValue<string>());
        await (await _admin.PostAsync(P("inbox_members"), Json(new { inbox_id = inbox, user_ids = new[] { kim.Id } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([sam.Id, kim.Id], Ids(await (await _admin.GetAsync(P($"inbox_members/{inbox}"))).ExpectAsync(HttpStatusCode.OK)));

        var replaced = await (await _admin.PatchAsync(P("inbox_members"), Json(new { inbox_id = inbox, user_ids = new[] { kim.Id } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([kim.Id], Ids(replaced));
        await (await _admin.PatchAsync(P($"inbox_members/{inbox}"), Json(new { user_ids = new[] { sam.Id, kim.Id } }))).ExpectAsync(HttpStatusCode.OK);

        await (await _admin.SendAsync(Delete("inbox_members", new { inbox_id = inbox, user_ids = new[] { sam.Id } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([kim.Id], Ids(await (await _admin.GetAsync(P($"inbox_members/{inbox}"))).ExpectAsync(HttpStatusCode.OK)));
        await (await _admin.SendAsync(Delete($"inbox_members/{inbox}", new { user_ids = new[] { kim.Id } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(Ids(await (await _admin.GetAsync(P($"inbox_members/{inbox}"))).ExpectAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Bad_requests_name_the_field_and_agents_cannot_change_members()
    {
        var inbox = await _admin.CreateInboxAsync(_account, "Refusals");
        var outsider = await _server.CreateUserAsync(await _server.CreateAccountAsync("Members elsewhere"));
        await (await _admin.PostAsync(P("inbox_members"), Json(new { inbox_id = inbox, user_ids = new[] { outsider.Id } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, $$"""{"message":"User {{outsider.Id}} is not an agent of this account","attributes":["user_ids"]}""");
        await (await _admin.PostAsync(P("inbox_members"), Json(new { user_ids = new[] { 1 } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"error":"param is missing or the value is empty: inbox_id"}""");
        await (await _admin.PostAsync(P("inbox_members"), Json(new { inbox_id = inbox })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"error":"param is missing or the value is empty: user_ids"}""");
        await (await _admin.PostAsync(P("inbox_members"), Json(new { inbox_id = 999999, user_ids = new int[0] }))).ExpectAsync(HttpStatusCode.NotFound);
        var agent = _server.Client((await _server.CreateUserAsync(_account)).Token);
        await (await agent.PostAsync(P("inbox_members"), Json(new { inbox_id = inbox, user_ids = new int[0] })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"You are not authorized to do this action"}""");

        // An administrator of another account (who is also in this one) cannot reach this inbox through their other account.
        var other = await _server.CreateAccountAsync("Other members");
        var both = await _server.CreateUserAsync(_account, Roles.Administrator);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = other, UserId = both.Id, Role = Roles.Administrator, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var client = _server.Client(both.Token);
        await (await client.GetAsync($"/api/v1/accounts/{other}/inbox_members/{inbox}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync($"/api/v1/accounts/{other}/inbox_members", Json(new { inbox_id = inbox, user_ids = new[] { both.Id } })))
            .ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task New_conversations_go_to_the_online_member_with_fewest_open_conversations_round_robin_on_ties()
    {
        var inbox = await _admin.CreateInboxAsync(_account, "Auto");
        var a = await _server.CreateUserAsync(_account, name: "Auto A");
        var b = await _server.CreateUserAsync(_account, name: "Auto B");
        var away = await _server.CreateUserAsync(_account, name: "Auto Busy");
        await (await _admin.PatchAsync(P($"agents/{away.Id}"), Json(new { availability = "busy" }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P("inbox_members"), Json(new { inbox_id = inbox, user_ids = new[] { a.Id, b.Id, away.Id } }))).ExpectAsync(HttpStatusCode.OK);

        async Task<(int Id, int? Assignee)> NewConversationAsync()
        {
            var contact = await _admin.CreateContactAsync(_account, "Auto contact");
            var c = await (await _admin.PostAsync(P("conversations"), Json(new { inbox_id = inbox, contact_id = contact["id"]!.GetValue<int>() })))
                .ExpectAsync(HttpStatusCode.OK);
            return (c!["id"]!.GetValue<int>(), c["meta"]!["assignee"]?["id"]?.GetValue<int>());
        }

        var first = await NewConversationAsync();
        var second = await NewConversationAsync();
        Assert.Equal(new[] { a.Id, b.Id }.Order(), new[] { first.Assignee!.Value, second.Assignee!.Value }.Order());
        var third = await NewConversationAsync();
        Assert.Equal(first.Assignee, third.Assignee); // a tie again: the one assigned longest ago

        // Resolving the first assignee's two conversations leaves them the fewest open.
        await (await _admin.PostAsync(P($"conversations/{first.Id}/toggle_status"), Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{third.Id}/toggle_status"), Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(first.Assignee, (await NewConversationAsync()).Assignee);

        // Nobody online, or auto-assignment off: the conversation stays unassigned.
        await (await _admin.PatchAsync(P($"inboxes/{inbox}"), Json(new { enable_auto_assignment = false }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null((await NewConversationAsync()).Assignee);
    }
}
