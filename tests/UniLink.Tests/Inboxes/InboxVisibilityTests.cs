using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Inboxes;

/// <summary>
/// An agent sees, counts, opens and acts on the conversations of the inboxes they are a member of only; administrators
/// see every inbox (the reference's assigned_inboxes). Every check is a request as the agent's integration would make it.
/// </summary>
public sealed class InboxVisibilityTests(SharedServer server) : AdminApiTests(server)
{
    private const string NotAllowed = """{"error":"You are not authorized to do this action"}""";

    private static List<int> Ids(JsonNode? list) => list!["data"]!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()).ToList();

    private async Task<int> ConversationAsync(HttpClient client, int account, int inbox, int contact, string text)
    {
        var c = await (await client.PostAsync($"/api/v1/accounts/{account}/conversations", Json(new { inbox_id = inbox, contact_id = contact })))
            .ExpectAsync(HttpStatusCode.OK);
        var id = c!["id"]!.GetValue<int>();
        await (await client.PostAsync($"/api/v1/accounts/{account}/conversations/{id}/messages", Json(new { content = text, message_type = "incoming" })))
            .ExpectAsync(HttpStatusCode.OK);
        return id;
    }

    [Fact]
    public async Task An_agent_sees_counts_opens_and_acts_only_on_conversations_of_inboxes_they_work()
    {
        var sales = await _admin.CreateInboxAsync(_account, "Visible sales");
        var billing = await _admin.CreateInboxAsync(_account, "Hidden billing");
        var contact = (await _admin.CreateContactAsync(_account, "Visibility contact"))["id"]!.GetValue<int>();
        var mine = await ConversationAsync(_admin, _account, sales, contact, "Where is my parcel");
        var hidden = await ConversationAsync(_admin, _account, billing, contact, "Refund my invoice zebracorn");
        var agentUser = await _server.CreateUserAsync(_account, Roles.Agent);
        await (await _admin.PostAsync(P("inbox_members"), Json(new { inbox_id = sales, user_ids = new[] { agentUser.Id } }))).ExpectAsync(HttpStatusCode.OK);
        using var agent = _server.Client(agentUser.Token);

        // Lists, counts and search.
        var list = await (await agent.GetAsync(P("conversations?status=all"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([mine], Ids(list));
        Assert.Equal(1, list!["data"]!["meta"]!["all_count"]!.GetValue<int>());
        Assert.Equal(1, (await (await agent.GetAsync(P("conversations/meta?status=all"))).ExpectAsync(HttpStatusCode.OK))!["meta"]!["all_count"]!.GetValue<int>());
        Assert.Empty(Ids(await (await agent.GetAsync(P($"conversations?status=all&inbox_id={billing}"))).ExpectAsync(HttpStatusCode.OK)));
        Assert.Empty(Ids(await (await agent.GetAsync(P("conversations?status=all&q=zebracorn"))).ExpectAsync(HttpStatusCode.OK)));
        Assert.Equal([hidden], Ids(await (await _admin.GetAsync(P("conversations?status=all&q=zebracorn"))).ExpectAsync(HttpStatusCode.OK)));
        var admins = Ids(await (await _admin.GetAsync(P("conversations?status=all"))).ExpectAsync(HttpStatusCode.OK));
        Assert.Contains(mine, admins);
        Assert.Contains(hidden, admins);

        // The contact's conversations: only the agent's inboxes'.
        var ofContact = await (await agent.GetAsync(P($"contacts/{contact}/conversations"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([mine], ofContact!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()).ToList());

        // The inboxes themselves.
        var inboxes = await (await agent.GetAsync(P("inboxes"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([sales], inboxes!["payload"]!.AsArray().Select(i => i!["id"]!.GetValue<int>()).ToList());
        await (await agent.GetAsync(P($"inboxes/{billing}"))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        await (await agent.GetAsync(P($"inboxes/{sales}"))).ExpectAsync(HttpStatusCode.OK);

        // Opening and acting on another inbox's conversation is refused, and writes nothing.
        await (await agent.GetAsync(P($"conversations/{hidden}"))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        await (await agent.GetAsync(P($"conversations/{hidden}/messages"))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        await (await agent.PostAsync(P($"conversations/{hidden}/messages"), Json(new { content = "Sneaky reply" })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        await (await agent.PostAsync(P($"conversations/{hidden}/toggle_status"), Json(new { status = "resolved" })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        await (await agent.PostAsync(P($"conversations/{hidden}/labels"), Json(new { labels = new[] { "vip" } })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        await (await agent.PostAsync(P("conversations"), Json(new { inbox_id = billing, contact_id = contact })))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        var shown = await (await _admin.GetAsync(P($"conversations/{hidden}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("open", shown!["status"]!.GetValue<string>());
        Assert.Empty(shown["labels"]!.AsArray());
        var messages = await (await _admin.GetAsync(P($"conversations/{hidden}/messages"))).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(messages!["payload"]!.AsArray(), m => m!["content"]?.GetValue<string>() == "Sneaky reply");
        await (await agent.GetAsync(P("conversations/99999999"))).ExpectAsync(HttpStatusCode.NotFound);

        // Their own inbox's conversation: all of it.
        await (await agent.GetAsync(P($"conversations/{mine}"))).ExpectAsync(HttpStatusCode.OK);
        await (await agent.PostAsync(P($"conversations/{mine}/messages"), Json(new { content = "On its way" }))).ExpectAsync(HttpStatusCode.OK);
        await (await agent.PostAsync(P("conversations"), Json(new { inbox_id = sales, contact_id = contact }))).ExpectAsync(HttpStatusCode.OK);

        // Made a member of the other inbox, the agent sees it at once; removed, no longer.
        await (await _admin.PostAsync(P("inbox_members"), Json(new { inbox_id = billing, user_ids = new[] { agentUser.Id } }))).ExpectAsync(HttpStatusCode.OK);
        await (await agent.GetAsync(P($"conversations/{hidden}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(hidden, Ids(await (await agent.GetAsync(P("conversations?status=all"))).ExpectAsync(HttpStatusCode.OK)));
        await (await _admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, P("inbox_members"))
        {
            Content = Json(new { inbox_id = billing, user_ids = new[] { agentUser.Id } }),
        })).ExpectAsync(HttpStatusCode.OK);
        await (await agent.GetAsync(P($"conversations/{hidden}"))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        Assert.DoesNotContain(hidden, Ids(await (await agent.GetAsync(P("conversations?status=all"))).ExpectAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task A_user_in_two_accounts_is_limited_by_their_role_and_inboxes_in_each()
    {
        // Administrator of their own account, agent (working no inbox) in this one.
        var other = await _server.CreateAccountAsync("Visibility elsewhere");
        var both = await _server.CreateUserAsync(_account, Roles.Agent);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = other, UserId = both.Id, Role = Roles.Administrator, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        using var client = _server.Client(both.Token);
        var otherInbox = await client.CreateInboxAsync(other, "Their own");
        var otherContact = (await client.CreateContactAsync(other, "Their contact"))["id"]!.GetValue<int>();
        var theirs = await ConversationAsync(client, other, otherInbox, otherContact, "In their own account");

        var here = await _admin.CreateInboxAsync(_account, "Not theirs");
        var contact = (await _admin.CreateContactAsync(_account, "Someone here"))["id"]!.GetValue<int>();
        var notTheirs = await ConversationAsync(_admin, _account, here, contact, "Not for them");

        // In the other account, as its administrator: everything, without being an inbox member.
        Assert.Equal([theirs], Ids(await (await client.GetAsync($"/api/v1/accounts/{other}/conversations?status=all")).ExpectAsync(HttpStatusCode.OK)));
        // Here, as an agent of no inbox: nothing, and this account's conversation is refused.
        var list = await (await client.GetAsync(P("conversations?status=all"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(Ids(list));
        Assert.Equal(0, list!["data"]!["meta"]!["all_count"]!.GetValue<int>());
        await (await client.GetAsync(P($"conversations/{notTheirs}"))).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotAllowed);
        Assert.Empty((await (await client.GetAsync(P("inboxes"))).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray());
    }
}
