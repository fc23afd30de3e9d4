using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Search;

/// <summary>
/// <c>GET …/search</c> and its <c>conversations</c>, <c>contacts</c>, <c>messages</c> forms, as the reference's search:
/// its shapes, fifteen a page, an agent's view limited to the inboxes they work, never another account's records.
/// </summary>
public sealed class GlobalSearchTests(SharedServer shared) : AdminApiTests(shared)
{
    private static string Word() => "w" + Guid.NewGuid().ToString("N")[..10];

    private async Task<int> ConversationAsync(HttpClient client, int account, int inbox, int contact, string text)
    {
        var id = (await (await client.PostAsync($"/api/v1/accounts/{account}/conversations", Json(new { inbox_id = inbox, contact_id = contact })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        await (await client.PostAsync($"/api/v1/accounts/{account}/conversations/{id}/messages", Json(new { content = text, message_type = "incoming" })))
            .ExpectAsync(HttpStatusCode.OK);
        return id;
    }

    private static async Task<JsonObject> SearchAsync(HttpClient client, int account, string form, string q, string extra = "")
    {
        var body = await (await client.GetAsync($"/api/v1/accounts/{account}/search{form}?q={Uri.EscapeDataString(q)}{extra}")).ExpectAsync(HttpStatusCode.OK);
        return body!["payload"]!.AsObject();
    }

    private static List<int> Ids(JsonObject payload, string kind) => payload[kind]!.AsArray().Select(x => x!["id"]!.GetValue<int>()).ToList();

    [Fact]
    public async Task Search_finds_conversations_contacts_and_messages_of_the_callers_inboxes_and_account_only()
    {
        var token = Word();
        var word = Word();
        var sales = await _admin.CreateInboxAsync(_account, "Search sales");
        var billing = await _admin.CreateInboxAsync(_account, "Search billing");
        var contact = (await _admin.CreateContactAsync(_account, $"Zed Searcher{token}", $"zed.{token}@example.com"))["id"]!.GetValue<int>();
        // A contact with no email, phone number or identifier is not a "resolved" contact: the reference leaves it out.
        await _admin.CreateContactAsync(_account, $"Anonymous {token}");
        var inSales = await ConversationAsync(_admin, _account, sales, contact, $"My parcel {word} is late");
        var inBilling = await ConversationAsync(_admin, _account, billing, contact, $"Refund {word} please");

        // A user in both accounts: an agent here (working the sales inbox only), an administrator of the other account.
        var both = await _server.CreateUserAsync(_account, Roles.Agent);
        await _admin.AddInboxMemberAsync(_account, sales, both.Id);
        var other = await _server.CreateAccountAsync("Search elsewhere", both.Id);
        using var agent = _server.Client(both.Token);
        var otherInbox = await agent.CreateInboxAsync(other, "Elsewhere");
        var otherContact = (await agent.CreateContactAsync(other, $"Zed Elsewhere{token}", $"else.{token}@example.com"))["id"]!.GetValue<int>();
        var otherConversation = await ConversationAsync(agent, other, otherInbox, otherContact, $"Also {word}");

        // Messages: the words of their content, newest first, of the inboxes the caller works.
        var messages = await SearchAsync(_admin, _account, "/messages", word);
        Assert.Equal(2, messages["messages"]!.AsArray().Count);
        var first = messages["messages"]![0]!;
        Assert.Equal($"Refund {word} please", first["content"]!.GetValue<string>());
        Assert.Equal(0, first["message_type"]!.GetValue<int>());
        Assert.Equal(inBilling, first["conversation_id"]!.GetValue<int>());
        Assert.Equal(billing, first["inbox_id"]!.GetValue<int>());
        Assert.Equal("Search billing", first["inbox"]!["name"]!.GetValue<string>());
        Assert.Equal("Channel::Api", first["inbox"]!["channel_type"]!.GetValue<string>());
        Assert.Equal(contact, first["sender"]!["id"]!.GetValue<int>());
        Assert.Null(messages["conversations"]);
        var agentsMessages = await SearchAsync(agent, _account, "/messages", word);
        Assert.Equal([inSales], agentsMessages["messages"]!.AsArray().Select(m => m!["conversation_id"]!.GetValue<int>()).ToList());

        // Conversations: by their contact (or display id), with the first message, contact, inbox and no agent while unassigned.
        var conversations = await SearchAsync(_admin, _account, "/conversations", token);
        Assert.Equal([inBilling, inSales], Ids(conversations, "conversations"));
        var found = conversations["conversations"]![1]!.AsObject();
        Assert.Equal(_account, found["account_id"]!.GetValue<int>());
        Assert.Equal($"My parcel {word} is late", found["message"]!["content"]!.GetValue<string>());
        Assert.Equal(contact, found["contact"]!["id"]!.GetValue<int>());
        Assert.Equal($"zed.{token}@example.com", found["contact"]!["email"]!.GetValue<string>());
        Assert.Equal(sales, found["inbox"]!["id"]!.GetValue<int>());
        Assert.False(found.ContainsKey("agent"));
        Assert.Equal([inSales], Ids(await SearchAsync(agent, _account, "/conversations", token), "conversations"));
        // By display id (other contacts may hold its digits too): another inbox's conversation stays hidden from the agent.
        Assert.Contains(inSales, Ids(await SearchAsync(agent, _account, "/conversations", $"#{inSales}"), "conversations"));
        Assert.DoesNotContain(inBilling, Ids(await SearchAsync(agent, _account, "/conversations", $"{inBilling}"), "conversations"));
        Assert.Contains(inBilling, Ids(await SearchAsync(_admin, _account, "/conversations", $"{inBilling}"), "conversations"));

        // An assignee shows as the agent, with their role in the account.
        await (await _admin.PostAsync(P($"conversations/{inSales}/assignments"), Json(new { assignee_id = both.Id }))).ExpectAsync(HttpStatusCode.OK);
        var assigned = (await SearchAsync(agent, _account, "/conversations", token))["conversations"]![0]!;
        Assert.Equal(both.Id, assigned["agent"]!["id"]!.GetValue<int>());
        Assert.Equal("agent", assigned["agent"]!["role"]!.GetValue<string>());
        Assert.Equal(both.Email, assigned["agent"]!["email"]!.GetValue<string>());

        // Contacts: any part of name, email, phone or identifier; the whole account's, as the contact list.
        var contacts = await SearchAsync(agent, _account, "/contacts", token);
        Assert.Equal([contact], Ids(contacts, "contacts"));
        Assert.Equal($"Zed Searcher{token}", contacts["contacts"]![0]!["name"]!.GetValue<string>());

        // The index form holds all three; in the other account the same user finds only that account's records.
        var all = await SearchAsync(_admin, _account, "", token);
        Assert.Equal([inBilling, inSales], Ids(all, "conversations"));
        Assert.Equal([contact], Ids(all, "contacts"));
        Assert.Empty(all["messages"]!.AsArray());
        var elsewhere = await SearchAsync(agent, other, "", word);
        Assert.Empty(Ids(elsewhere, "conversations"));
        Assert.Equal([otherConversation], elsewhere["messages"]!.AsArray().Select(m => m!["conversation_id"]!.GetValue<int>()).ToList());
        Assert.Equal([otherConversation], Ids(await SearchAsync(agent, other, "/conversations", token), "conversations"));
        Assert.Equal([otherContact], Ids(await SearchAsync(agent, other, "/contacts", token), "contacts"));
    }

    [Fact]
    public async Task Search_answers_fifteen_a_page()
    {
        var token = Word();
        var ids = new List<int>();
        for (var i = 0; i < 16; i++) ids.Add((await _admin.CreateContactAsync(_account, $"Paged {token} {i}", $"p{i}.{token}@example.com"))["id"]!.GetValue<int>());
        var first = Ids(await SearchAsync(_admin, _account, "/contacts", token), "contacts");
        var second = Ids(await SearchAsync(_admin, _account, "/contacts", token, "&page=2"), "contacts");
        Assert.Equal(15, first.Count);
        Assert.Single(second);
        Assert.Equal(ids.Order(), first.Concat(second).Order());
        Assert.Empty(Ids(await SearchAsync(_admin, _account, "/contacts", token, "&page=3"), "contacts"));
    }

    [Fact]
    public async Task Messages_are_found_fifteen_a_page_newest_first_whatever_the_case_of_their_words()
    {
        // On PostgreSQL full pages come from the newest messages tested one by one, the last one from the words' index:
        // both find the word in any case and as the beginning of a longer word, in the order of the messages.
        var word = Word();
        var inbox = await _admin.CreateInboxAsync(_account, "Search pages");
        var contact = (await _admin.CreateContactAsync(_account, "Paging Searcher", $"paging.{Word()}@example.com"))["id"]!.GetValue<int>();
        var id = await ConversationAsync(_admin, _account, inbox, contact, $"First {word.ToUpperInvariant()} here");
        var contents = new List<string> { $"First {word.ToUpperInvariant()} here" };
        for (var i = 1; i <= 30; i++)
        {
            var text = i % 2 == 0 ? $"Message {i} about {char.ToUpperInvariant(word[0])}{word[1..]}s" : $"Message {i}: {word}-ish";
            await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = text, message_type = "outgoing" }))).ExpectAsync(HttpStatusCode.OK);
            contents.Add(text);
            await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = $"Nothing {i} to see", message_type = "outgoing" })))
                .ExpectAsync(HttpStatusCode.OK);
        }
        List<string> Contents(JsonObject payload) => payload["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()).ToList();
        var first = Contents(await SearchAsync(_admin, _account, "/messages", word));
        var second = Contents(await SearchAsync(_admin, _account, "/messages", word, "&page=2"));
        var third = Contents(await SearchAsync(_admin, _account, "/messages", word, "&page=3"));
        contents.Reverse();
        Assert.Equal(contents.Take(15), first);
        Assert.Equal(contents.Skip(15).Take(15), second);
        Assert.Equal(contents.Skip(30), third);
        Assert.Empty(Contents(await SearchAsync(_admin, _account, "/messages", word, "&page=4")));
    }

    [Theory]
    [InlineData("/messages?q=a%00b", "q")]
    [InlineData("?q=a&page=0", "page")]
    [InlineData("/contacts?q=a&page=x", "page")]
    [InlineData("/conversations?page=-3", "page")]
    public async Task Bad_search_parameters_are_a_422_naming_them(string query, string field)
    {
        var body = await (await _admin.GetAsync(P($"search{query}"))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(field, body!["attributes"]![0]!.GetValue<string>());
    }
}
