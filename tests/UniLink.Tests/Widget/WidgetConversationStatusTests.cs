using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;
using static UniLink.Tests.Attachments.TestFiles;

namespace UniLink.Tests.Widget;

/// <summary>
/// The visitor ends a conversation (<c>…/conversations/toggle_status</c>), starts a new one after it was resolved, and the
/// widget learns whether an agent is online (<c>…/inbox_members</c>) to ask for an e-mail when nobody is (issue 18).
/// </summary>
public sealed class WidgetConversationStatusTests(SharedServer server) : AdminApiTests(server)
{
    private async Task<(int Id, string Token)> WebsiteAsync(HttpClient admin, int account, string name)
    {
        var inbox = await (await admin.PostAsync($"/api/v1/accounts/{account}/inboxes",
            Json(new { name, channel = new { type = "web_widget", website_url = "https://shop.example.com" } }))).ExpectAsync(HttpStatusCode.OK);
        return (inbox!["id"]!.GetValue<int>(), inbox["website_token"]!.GetValue<string>());
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string websiteToken, string rest, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, $"/api/v1/widget/{rest}?website_token={websiteToken}");
        if (body is not null) request.Content = Json(body);
        if (token is not null) request.Headers.Add("X-Auth-Token", token);
        return await http.SendAsync(request);
    }

    private static async Task<string> NewVisitorAsync(HttpClient http, string websiteToken) =>
        (await (await SendAsync(http, HttpMethod.Post, websiteToken, "config", null)).ExpectAsync(HttpStatusCode.OK))!["website_channel_config"]!["auth_token"]!.GetValue<string>();

    [Fact]
    public async Task The_visitor_ends_the_conversation_then_writing_reopens_it_and_a_new_conversation_starts_fresh()
    {
        var site = await WebsiteAsync(_admin, _account, "Status shop");
        using var http = _server.Client();
        var token = await NewVisitorAsync(http, site.Token);
        // Nothing to end before the first message, as the reference.
        await (await SendAsync(http, HttpMethod.Post, site.Token, "conversations/toggle_status", token)).ExpectAsync(HttpStatusCode.NotFound);

        var first = (await (await SendAsync(http, HttpMethod.Post, site.Token, "messages", token, new { message = new { content = "Question one" } }))
            .ExpectAsync(HttpStatusCode.OK))!["conversation_id"]!.GetValue<int>();
        await (await SendAsync(http, HttpMethod.Post, site.Token, "conversations/toggle_status", token)).ExpectAsync(HttpStatusCode.OK);
        var ended = await (await _admin.GetAsync(P($"conversations/{first}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("resolved", ended!["status"]!.GetValue<string>());
        // Agents see who ended it, as an activity message.
        var messages = await (await _admin.GetAsync(P($"conversations/{first}/messages"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(messages!["payload"]!.AsArray(), m => m!["message_type"]!.GetValue<int>() == 2
            && m["content"]!.GetValue<string>().StartsWith("Conversation was marked resolved by", StringComparison.Ordinal));
        // Ending an ended conversation changes nothing.
        await (await SendAsync(http, HttpMethod.Post, site.Token, "conversations/toggle_status", token)).ExpectAsync(HttpStatusCode.OK);
        var widgetView = await (await SendAsync(http, HttpMethod.Get, site.Token, "conversations", token)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("resolved", widgetView!["status"]!.GetValue<string>());

        // Writing again (the reference's allow_messages_after_resolved) reopens the same conversation.
        var again = (await (await SendAsync(http, HttpMethod.Post, site.Token, "messages", token, new { message = new { content = "One more thing" } }))
            .ExpectAsync(HttpStatusCode.OK))!["conversation_id"]!.GetValue<int>();
        Assert.Equal(first, again);
        Assert.Equal("open", (await (await _admin.GetAsync(P($"conversations/{first}"))).ExpectAsync(HttpStatusCode.OK))!["status"]!.GetValue<string>());

        // The visitor reads the agent's reply (update_last_seen): it is "read" for agents; the visitor's own messages are not touched.
        await (await _admin.PostAsync(P($"conversations/{first}/messages"), Json(new { content = "We are on it" }))).ExpectAsync(HttpStatusCode.OK);
        string StatusOf(JsonNode list, string content) => list["payload"]!.AsArray().Single(m => m!["content"]?.GetValue<string>() == content)!["status"]!.GetValue<string>();
        var before = await (await _admin.GetAsync(P($"conversations/{first}/messages"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("sent", StatusOf(before!, "We are on it"));
        await (await SendAsync(http, HttpMethod.Post, site.Token, "conversations/update_last_seen", token)).ExpectAsync(HttpStatusCode.OK);
        var after = await (await _admin.GetAsync(P($"conversations/{first}/messages"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("read", StatusOf(after!, "We are on it"));
        Assert.Equal("sent", StatusOf(after!, "One more thing"));

        // "Start a new conversation" after it was resolved: a conversation of its own, which the widget then shows alone.
        await (await SendAsync(http, HttpMethod.Post, site.Token, "conversations/toggle_status", token)).ExpectAsync(HttpStatusCode.OK);
        var fresh = await (await SendAsync(http, HttpMethod.Post, site.Token, "conversations", token, new { message = new { content = "A new question" } }))
            .ExpectAsync(HttpStatusCode.OK);
        var second = fresh!["id"]!.GetValue<int>();
        Assert.NotEqual(first, second);
        Assert.Equal("open", fresh["status"]!.GetValue<string>());
        Assert.Equal(["A new question"], fresh["messages"]!.AsArray().Where(m => m!["message_type"]!.GetValue<int>() == 0).Select(m => m!["content"]!.GetValue<string>()));
        Assert.Equal(second, (await (await SendAsync(http, HttpMethod.Get, site.Token, "conversations", token)).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>());
        var shown = await (await SendAsync(http, HttpMethod.Get, site.Token, "messages", token)).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(shown!.AsArray(), m => m!["content"]!.GetValue<string>() is "Question one" or "One more thing");
        Assert.Equal("resolved", (await (await _admin.GetAsync(P($"conversations/{first}"))).ExpectAsync(HttpStatusCode.OK))!["status"]!.GetValue<string>());

        // Another visitor's token, or another website's, never ends this one.
        var stranger = await NewVisitorAsync(http, site.Token);
        await (await SendAsync(http, HttpMethod.Post, site.Token, "conversations/toggle_status", stranger)).ExpectAsync(HttpStatusCode.NotFound);
        var adminId = _server.Db(db => db.Users.Single(u => u.Email == UniLinkServer.AdminEmail).Id);
        var otherAccount = await _server.CreateAccountAsync("Other status shop", adminId);
        var otherSite = await WebsiteAsync(_admin, otherAccount, "Other status website");
        await (await SendAsync(http, HttpMethod.Post, otherSite.Token, "conversations/toggle_status", token)).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("open", (await (await _admin.GetAsync(P($"conversations/{second}"))).ExpectAsync(HttpStatusCode.OK))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Inbox_members_show_who_is_online_only_for_that_inbox_and_the_email_the_visitor_leaves_is_stored()
    {
        var site = await WebsiteAsync(_admin, _account, "Agents shop");
        using var http = _server.Client();
        // No member: nobody online.
        var none = await (await SendAsync(http, HttpMethod.Get, site.Token, "inbox_members", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(none!["payload"]!.AsArray());

        var agent = await _server.CreateUserAsync(_account, name: "Olga Online");
        await _admin.AddInboxMemberAsync(_account, site.Id, agent.Id);
        var members = await (await SendAsync(http, HttpMethod.Get, site.Token, "inbox_members", null)).ExpectAsync(HttpStatusCode.OK);
        var olga = Assert.Single(members!["payload"]!.AsArray())!;
        Assert.Equal(["availability_status", "avatar_url", "id", "name"], olga.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("Olga Online", olga["name"]!.GetValue<string>());
        Assert.Equal("online", olga["availability_status"]!.GetValue<string>());
        Assert.Null(olga["email"]);

        // She goes offline (her profile): the widget sees it.
        using (var asOlga = _server.Client(agent.Token))
            await (await asOlga.PutAsync("/api/v1/profile", Json(new { profile = new { availability = "offline" } }))).ExpectAsync(HttpStatusCode.OK);
        members = await (await SendAsync(http, HttpMethod.Get, site.Token, "inbox_members", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("offline", members!["payload"]![0]!["availability_status"]!.GetValue<string>());

        // Another website's members are not this one's; an unknown website is a 404.
        var other = await WebsiteAsync(_admin, _account, "Agents shop two");
        Assert.Empty((await (await SendAsync(http, HttpMethod.Get, other.Token, "inbox_members", null)).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray());
        await (await SendAsync(http, HttpMethod.Get, "no-such-website", "inbox_members", null)).ExpectAsync(HttpStatusCode.NotFound);

        // The e-mail the visitor leaves (the prompt when nobody is online) is on their contact; a bad one is a 422 naming it.
        var token = await NewVisitorAsync(http, site.Token);
        var bad = await (await SendAsync(http, HttpMethod.Patch, site.Token, "contact", token, new { email = "not an email" })).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("email", bad!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        var saved = await (await SendAsync(http, HttpMethod.Patch, site.Token, "contact", token, new { email = "Later@Example.com" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("later@example.com", saved!["email"]!.GetValue<string>());
        var contact = await (await _admin.GetAsync(P($"contacts/{saved["id"]!.GetValue<int>()}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("later@example.com", contact!["payload"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_visitor_sends_files_as_the_reference_widget_does_agents_get_them_and_the_limits_hold()
    {
        var site = await WebsiteAsync(_admin, _account, "Files shop");
        using var http = _server.Client();
        var token = await NewVisitorAsync(http, site.Token);
        MultipartFormDataContent Form(params (string Name, byte[] Bytes, string Type)[] files)
        {
            // As the reference's widget: message[attachments][], message[referer_url], message[timestamp].
            var form = new MultipartFormDataContent();
            foreach (var (name, bytes, type) in files) form.Add(File(bytes, type), "message[attachments][]", name);
            form.Add(new StringContent("https://shop.example.com/returns"), "message[referer_url]");
            form.Add(new StringContent("Sun Dec 06 2026 12:00:00 GMT+0100"), "message[timestamp]");
            return form;
        }
        async Task<HttpResponseMessage> PostAsync(HttpContent content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/widget/messages?website_token={site.Token}") { Content = content };
            request.Headers.Add("X-Auth-Token", token);
            return await http.SendAsync(request);
        }

        var photo = Png(300, 200);
        var sent = await (await PostAsync(Form(("box.png", photo, "image/png"), ("receipt.pdf", "%PDF-1.4 receipt"u8.ToArray(), "application/pdf"))))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Null(sent!["content"]);
        var files = sent["attachments"]!.AsArray();
        Assert.Equal(["image", "file"], files.Select(f => f!["file_type"]!.GetValue<string>()));
        Assert.Equal(300, files[0]!["width"]!.GetValue<int>());
        // The visitor (no session, no account) opens their own file by its signed link.
        Assert.Equal(photo, await http.GetByteArrayAsync(files[0]!["data_url"]!.GetValue<string>()));
        Assert.NotEqual("", files[0]!["thumb_url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(files[0]!["thumb_url"]!.GetValue<string>())).StatusCode);

        // The first message started the conversation, with the page it came from; agents get the files in the API.
        var conversation = sent["conversation_id"]!.GetValue<int>();
        var shown = await (await _admin.GetAsync(P($"conversations/{conversation}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("https://shop.example.com/returns", shown!["additional_attributes"]!["referer"]!.GetValue<string>());
        var messages = await (await _admin.GetAsync(P($"conversations/{conversation}/messages"))).ExpectAsync(HttpStatusCode.OK);
        var incoming = messages!["payload"]!.AsArray().Single(m => m!["message_type"]!.GetValue<int>() == 0)!;
        Assert.Equal(2, incoming["attachments"]!.AsArray().Count);
        // The widget's own list shows them too.
        using (var list = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/widget/messages?website_token={site.Token}"))
        {
            list.Headers.Add("X-Auth-Token", token);
            var mine = await (await http.SendAsync(list)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(2, mine!.AsArray().Single(m => m!["id"]!.GetValue<int>() == sent["id"]!.GetValue<int>())!["attachments"]!.AsArray().Count);
        }

        // The limits of the attachments API: a picture that is not one, eleven files; refused naming attachments, nothing written.
        var conversationKey = _server.Db(db => db.Conversations.Single(c => c.InboxId == site.Id).Id);
        var count = _server.Db(db => db.Messages.Count(m => m.ConversationId == conversationKey));
        var fake = await (await PostAsync(Form(("fake.png", "not a picture"u8.ToArray(), "image/png")))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("attachments", fake!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        var many = await (await PostAsync(Form(Enumerable.Range(0, 11).Select(i => ($"f{i}.txt", "x"u8.ToArray(), "text/plain")).ToArray())))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("attachments", many!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        // No file and no content: the content is what is missing.
        var empty = await (await PostAsync(Form())).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("content", empty!.ToJsonString());
        Assert.Equal(count, _server.Db(db => db.Messages.Count(m => m.ConversationId == conversationKey)));

        // Another website's visitor token cannot post files here.
        using var stranger = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/widget/messages?website_token={site.Token}") { Content = Form(("x.png", photo, "image/png")) };
        stranger.Headers.Add("X-Auth-Token", "forged");
        await (await http.SendAsync(stranger)).ExpectAsync(HttpStatusCode.Unauthorized);
    }
}
