using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Features.Public;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Widget;

/// <summary>The website widget's API (<c>/api/v1/widget/…</c>, issue 18) as the widget and sites set up for the reference use it.</summary>
public sealed class WidgetApiTests(SharedServer server) : AdminApiTests(server)
{
    private const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.86 Safari/537.36";

    private async Task<(int Id, string Token, string HmacToken)> WebsiteAsync(HttpClient admin, int account, object? extra = null)
    {
        var channel = new JsonObject { ["type"] = "web_widget", ["website_url"] = "https://shop.example.com" };
        if (extra is not null) foreach (var (k, v) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra))!.AsObject()) channel[k] = v?.DeepClone();
        var inbox = await (await admin.PostAsync($"/api/v1/accounts/{account}/inboxes", Json(new JsonObject { ["name"] = "Website", ["channel"] = channel })))
            .ExpectAsync(HttpStatusCode.OK);
        return (inbox!["id"]!.GetValue<int>(), inbox["website_token"]!.GetValue<string>(), inbox["hmac_token"]!.GetValue<string>());
    }

    private sealed class Visitor(HttpClient http, string websiteToken) : IDisposable
    {
        public string? Token { get; set; }
        public string Url(string rest) => $"/api/v1/widget/{rest}{(rest.Contains('?') ? '&' : '?')}website_token={websiteToken}";

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string rest, object? body = null)
        {
            using var request = new HttpRequestMessage(method, Url(rest));
            if (body is not null) request.Content = Json(body);
            if (Token is not null) request.Headers.Add("X-Auth-Token", Token);
            request.Headers.UserAgent.ParseAdd(ChromeOnWindows);
            request.Headers.AcceptLanguage.ParseAdd("de-DE,de;q=0.9");
            return await http.SendAsync(request);
        }

        public async Task<JsonNode> StartAsync()
        {
            var config = await (await SendAsync(HttpMethod.Post, "config")).ExpectAsync(HttpStatusCode.OK);
            Token = config!["website_channel_config"]!["auth_token"]!.GetValue<string>();
            return config;
        }

        public async Task<JsonNode> SayAsync(string content) =>
            (await (await SendAsync(HttpMethod.Post, "messages", new { message = new { content, timestamp = "Sun Dec 06 2026 09:00:00 GMT+0100", referer_url = "https://shop.example.com/pricing" } }))
                .ExpectAsync(HttpStatusCode.OK))!;

        public void Dispose() => http.Dispose();
    }

    private Visitor NewVisitor(string websiteToken) => new(_server.Client(), websiteToken);

    [Fact]
    public async Task A_visitor_writes_agents_see_it_with_the_page_and_browser_and_the_visitor_reads_the_reply_never_private_notes()
    {
        var site = await WebsiteAsync(_admin, _account, new { welcome_title = "Hi there", widget_color = "#0a7d33" });
        using var visitor = NewVisitor(site.Token);
        var config = await visitor.StartAsync();
        var channel = config["website_channel_config"]!;
        Assert.Equal(site.Token, channel["website_token"]!.GetValue<string>());
        Assert.Equal("Hi there", channel["welcome_title"]!.GetValue<string>());
        Assert.Equal("#0a7d33", channel["widget_color"]!.GetValue<string>());
        Assert.Equal("Website", channel["website_name"]!.GetValue<string>());
        Assert.NotNull(config["contact"]!["pubsub_token"]);

        Assert.Empty((await (await visitor.SendAsync(HttpMethod.Get, "messages")).ExpectAsync(HttpStatusCode.OK))!.AsArray());
        await (await visitor.SendAsync(HttpMethod.Get, "conversations")).ExpectBodyAsync(HttpStatusCode.OK, "{}");
        var sent = await visitor.SayAsync("<b>Hello</b> <script>alert(1)</script>");
        Assert.Equal("<b>Hello</b> <script>alert(1)</script>", sent["content"]!.GetValue<string>());
        Assert.Equal(0, sent["message_type"]!.GetValue<int>());
        var conversation = await (await visitor.SendAsync(HttpMethod.Get, "conversations")).ExpectAsync(HttpStatusCode.OK);
        var id = conversation!["id"]!.GetValue<int>();
        Assert.Equal("open", conversation["status"]!.GetValue<string>());

        // What agents (and apps, from the same shape) see.
        var seen = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Channel::WebWidget", seen!["meta"]!["channel"]!.GetValue<string>());
        Assert.Equal(config["contact"]!["id"]!.GetValue<int>(), seen["meta"]!["sender"]!["id"]!.GetValue<int>());
        var additional = seen["additional_attributes"]!;
        Assert.Equal("https://shop.example.com/pricing", additional["referer"]!.GetValue<string>());
        Assert.Equal("Sun Dec 06 2026 09:00:00 GMT+0100", additional["initiated_at"]!["timestamp"]!.GetValue<string>());
        Assert.Equal("de-DE", additional["browser_language"]!.GetValue<string>());
        Assert.Equal("Chrome", additional["browser"]!["browser_name"]!.GetValue<string>());
        Assert.Equal("131.0.6778.86", additional["browser"]!["browser_version"]!.GetValue<string>());
        Assert.Equal("Windows", additional["browser"]!["platform_name"]!.GetValue<string>());
        Assert.Equal("10.0", additional["browser"]!["platform_version"]!.GetValue<string>());

        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "How can we help?" }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "internal: VIP", @private = true }))).ExpectAsync(HttpStatusCode.OK);
        var thread = (await (await visitor.SendAsync(HttpMethod.Get, "messages")).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        var contents = thread.Select(m => m!["content"]?.GetValue<string>()).ToList();
        Assert.Contains("How can we help?", contents);
        Assert.DoesNotContain("internal: VIP", contents);
        Assert.Equal(1, thread.Single(m => m!["content"]?.GetValue<string>() == "How can we help?")!["message_type"]!.GetValue<int>());

        // The same token keeps the conversation (a reload); a second message lands in it.
        await visitor.SayAsync("Still there?");
        Assert.Equal(id, (await (await visitor.SendAsync(HttpMethod.Get, "conversations")).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_visitor_token_works_only_for_its_own_website_and_never_reaches_another_account_or_visitor()
    {
        var mine = await WebsiteAsync(_admin, _account);
        var owner = await _server.CreateUserAsync(null);
        var otherAccount = await _server.CreateAccountAsync("Other shop", owner.Id);
        using var otherAdmin = _server.Client(owner.Token);
        var theirs = await WebsiteAsync(otherAdmin, otherAccount);

        using var visitor = NewVisitor(mine.Token);
        await visitor.StartAsync();
        await visitor.SayAsync("My secret order number is 42");

        // The same token with another account's website token: refused, nothing of either inbox shown.
        using var crossing = NewVisitor(theirs.Token);
        crossing.Token = visitor.Token;
        foreach (var path in new[] { "messages", "conversations", "contact" })
            await (await crossing.SendAsync(HttpMethod.Get, path)).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await crossing.SendAsync(HttpMethod.Post, "messages", new { message = new { content = "hi" } })).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, _server.Db(db => db.Messages.Count(m => m.AccountId == otherAccount)));

        // No token, a made-up one, an unknown website.
        using var stranger = NewVisitor(mine.Token);
        await (await stranger.SendAsync(HttpMethod.Get, "messages")).ExpectBodyAsync(HttpStatusCode.Unauthorized,
            """{"error":"Invalid or missing X-Auth-Token: POST /api/v1/widget/config gives a visitor token"}""");
        stranger.Token = "forged" + visitor.Token![6..];
        await (await stranger.SendAsync(HttpMethod.Get, "messages")).ExpectAsync(HttpStatusCode.Unauthorized);
        using var nowhere = NewVisitor("no-such-website");
        await (await nowhere.SendAsync(HttpMethod.Post, "config")).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");

        // Another visitor of the same website sees only their own (empty) conversation.
        using var neighbour = NewVisitor(mine.Token);
        await neighbour.StartAsync();
        Assert.Empty((await (await neighbour.SendAsync(HttpMethod.Get, "messages")).ExpectAsync(HttpStatusCode.OK))!.AsArray());
    }

    [Fact]
    public async Task Set_user_with_a_valid_hash_verifies_the_contact_and_a_wrong_or_missing_one_is_refused_when_enforced()
    {
        var site = await WebsiteAsync(_admin, _account);
        var identifier = $"user-{Guid.NewGuid():N}";
        using var visitor = NewVisitor(site.Token);
        await visitor.StartAsync();
        await (await visitor.SendAsync(HttpMethod.Patch, "contact/set_user", new { identifier, identifier_hash = new string('0', 64), email = "x@example.com" }))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"HMAC failed: Invalid Identifier Hash Provided"}""");
        var set = await (await visitor.SendAsync(HttpMethod.Patch, "contact/set_user", new
        {
            identifier, identifier_hash = IdentifierHash.Of(site.HmacToken, identifier), email = $"{identifier}@example.com", name = "Paula Kunde",
            custom_attributes = new { plan = "gold" },
        })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Paula Kunde", set!["name"]!.GetValue<string>());
        Assert.Null(set["widget_auth_token"]);
        await visitor.SayAsync("I am signed in");
        var id = (await (await visitor.SendAsync(HttpMethod.Get, "conversations")).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var seen = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.True(seen!["meta"]!["hmac_verified"]!.GetValue<bool>());
        Assert.Equal(identifier, seen["meta"]!["sender"]!["identifier"]!.GetValue<string>());
        Assert.Equal("gold", seen["meta"]!["sender"]!["custom_attributes"]!["plan"]!.GetValue<string>());

        // The same user in another browser proves it again and continues the same contact and conversation.
        using var laptop = NewVisitor(site.Token);
        await laptop.StartAsync();
        var switched = await (await laptop.SendAsync(HttpMethod.Patch, "contact/set_user", new { identifier, identifier_hash = IdentifierHash.Of(site.HmacToken, identifier) }))
            .ExpectAsync(HttpStatusCode.OK);
        laptop.Token = switched!["widget_auth_token"]!.GetValue<string>();
        var thread = (await (await laptop.SendAsync(HttpMethod.Get, "messages")).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Contains(thread, m => m!["content"]?.GetValue<string>() == "I am signed in");

        // Claiming that identifier without the proof takes nothing over: the claimant keeps a contact of their own.
        using var impostor = NewVisitor(site.Token);
        var impostorContact = (await impostor.StartAsync())["contact"]!["id"]!.GetValue<int>();
        var claimed = await (await impostor.SendAsync(HttpMethod.Patch, "contact/set_user", new { identifier, email = $"{identifier}@example.com" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(impostorContact, claimed!["id"]!.GetValue<int>());
        Assert.Null(claimed["widget_auth_token"]);
        Assert.Null(claimed["email"]);
        Assert.Empty((await (await impostor.SendAsync(HttpMethod.Get, "messages")).ExpectAsync(HttpStatusCode.OK))!.AsArray());

        // With identity verification enforced, a setUser without a hash is refused too.
        await (await _admin.PatchAsync(P($"inboxes/{site.Id}"), Json(new { channel = new { hmac_mandatory = true } }))).ExpectAsync(HttpStatusCode.OK);
        using var unproven = NewVisitor(site.Token);
        await unproven.StartAsync();
        await (await unproven.SendAsync(HttpMethod.Patch, "contact/set_user", new { identifier = "someone-else" }))
            .ExpectBodyAsync(HttpStatusCode.Unauthorized, """{"error":"HMAC failed: Invalid Identifier Hash Provided"}""");
    }

    [Fact]
    public async Task Attributes_and_labels_from_the_page_reach_agents_and_bad_input_is_a_422_naming_the_field()
    {
        var site = await WebsiteAsync(_admin, _account);
        var label = $"vip{Guid.NewGuid():N}"[..12];
        await (await _admin.PostAsync(P("labels"), Json(new { title = label }))).ExpectAsync(HttpStatusCode.OK);
        using var visitor = NewVisitor(site.Token);
        var contactId = (await visitor.StartAsync())["contact"]!["id"]!.GetValue<int>();
        // Before any conversation, conversation calls have nothing to act on, as the reference.
        await (await visitor.SendAsync(HttpMethod.Post, "labels", new { label })).ExpectAsync(HttpStatusCode.NotFound);

        var created = await (await visitor.SendAsync(HttpMethod.Post, "conversations", new
        {
            contact = new { name = "Lena", email = "lena@example.com" },
            message = new { content = "Pre-chat question", referer_url = "https://shop.example.com/cart", timestamp = "now" },
            custom_attributes = new { cart_value = 120 },
        })).ExpectAsync(HttpStatusCode.OK);
        var id = created!["id"]!.GetValue<int>();
        Assert.Equal("Pre-chat question", created["messages"]![0]!["content"]!.GetValue<string>());
        await (await visitor.SendAsync(HttpMethod.Post, "labels", new { label })).ExpectAsync(HttpStatusCode.OK);
        await (await visitor.SendAsync(HttpMethod.Post, "conversations/set_custom_attributes", new { custom_attributes = new { order_id = "A-17" } })).ExpectAsync(HttpStatusCode.OK);
        await (await visitor.SendAsync(HttpMethod.Patch, "contact", new { custom_attributes = new { plan = "pro", city = "Lyon" } })).ExpectAsync(HttpStatusCode.OK);
        await (await visitor.SendAsync(HttpMethod.Post, "contact/destroy_custom_attributes", new { custom_attributes = new[] { "city" } })).ExpectAsync(HttpStatusCode.OK);

        var seen = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(label, seen!["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("A-17", seen["custom_attributes"]!["order_id"]!.GetValue<string>());
        Assert.Equal(120, seen["custom_attributes"]!["cart_value"]!.GetValue<int>());
        var contact = await (await _admin.GetAsync(P($"contacts/{contactId}"))).ExpectAsync(HttpStatusCode.OK);
        var stored = contact!["payload"] ?? contact;
        Assert.Equal("Lena", stored["name"]!.GetValue<string>());
        Assert.Equal("lena@example.com", stored["email"]!.GetValue<string>());
        Assert.Equal("pro", stored["custom_attributes"]!["plan"]!.GetValue<string>());
        Assert.Null(stored["custom_attributes"]!["city"]);

        await (await visitor.SendAsync(HttpMethod.Delete, $"labels/{label}")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(label, (await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK))!["labels"]!.AsArray().Select(l => l!.GetValue<string>()));

        async Task Refused(HttpMethod method, string path, object body, string attribute)
        {
            var answer = await (await visitor.SendAsync(method, path, body)).ExpectAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal([attribute], answer!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        }
        int Count() => _server.Db(db => db.Messages.Count(m => m.AccountId == _account && db.Conversations.Any(c => c.Id == m.ConversationId && c.DisplayId == id)));
        var before = Count();
        await Refused(HttpMethod.Post, "messages", new { message = new { content = "" } }, "content");
        await Refused(HttpMethod.Post, "messages", new { message = new { content = new string('x', 150_001) } }, "content");
        await Refused(HttpMethod.Post, "messages", new { message = new { content = "nul \u0000 here" } }, "content");
        await Refused(HttpMethod.Post, "labels", new { label = "never-made" }, "label");
        await Refused(HttpMethod.Patch, "contact", new { email = "not-an-address" }, "email");
        await Refused(HttpMethod.Post, "conversations/set_custom_attributes", new { custom_attributes = new[] { 1 } }, "custom_attributes");
        await Refused(HttpMethod.Patch, "contact/set_user", new { name = "No identifier" }, "identifier");
        await Refused(HttpMethod.Post, "conversations", new { contact = new { name = "X" } }, "message");
        Assert.Equal(before, Count());
    }

    [Fact]
    public async Task The_widget_page_is_framed_only_by_allowed_domains()
    {
        var open = await WebsiteAsync(_admin, _account);
        var limited = await WebsiteAsync(_admin, _account, new { allowed_domains = "shop.example.com, *.example.org" });
        using var client = _server.Client();
        var page = await client.GetAsync($"/widget?website_token={open.Token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("frame-ancestors *", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("/widget/widget.js", html);
        Assert.Contains(open.Token, html);

        var csp = (await client.GetAsync($"/widget?website_token={limited.Token}")).Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'self' shop.example.com:* *.example.org:*;", csp);
        using var fromElsewhere = new HttpRequestMessage(HttpMethod.Get, $"/widget?website_token={limited.Token}");
        fromElsewhere.Headers.Referrer = new Uri("https://evil.example.net/");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(fromElsewhere)).StatusCode);
        using var fromAllowed = new HttpRequestMessage(HttpMethod.Get, $"/widget?website_token={limited.Token}");
        fromAllowed.Headers.Referrer = new Uri("https://help.example.org/faq");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(fromAllowed)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/widget?website_token=nope")).StatusCode);
    }

    [Fact]
    public async Task The_visitors_socket_gets_agents_replies_and_typing_at_once_but_no_private_notes()
    {
        var site = await WebsiteAsync(_admin, _account);
        using var visitor = NewVisitor(site.Token);
        await visitor.StartAsync();
        var first = await visitor.SayAsync("Anyone?");
        var id = (await (await visitor.SendAsync(HttpMethod.Get, "conversations")).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();

        // The agent has read it: the socket says so once it listens (typing is not replayed, so the test waits for that).
        await (await _admin.PostAsync(P($"conversations/{id}/update_last_seen"), Json(new { }))).ExpectAsync(HttpStatusCode.OK);
        using var socket = new ClientWebSocket();
        var ws = new UriBuilder(_server.BaseAddress) { Scheme = "ws", Path = "/widget/live" }.Uri;
        await socket.ConnectAsync(ws, CancellationToken.None);
        await SendAsync(socket, new { website_token = site.Token, auth_token = visitor.Token, after = first["id"]!.GetValue<int>() });
        Assert.Equal("conversation.read", (await ReceiveAsync(socket))["event"]!.GetValue<string>());
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "internal only", @private = true }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{id}/toggle_typing_status"), Json(new { typing_status = "on" }))).ExpectAsync(HttpStatusCode.OK);
        var typing = await ReceiveBesidesReadsAsync(socket);
        Assert.Equal("conversation.typing_on", typing["event"]!.GetValue<string>());
        await (await _admin.PostAsync(P($"conversations/{id}/messages"), Json(new { content = "We are here" }))).ExpectAsync(HttpStatusCode.OK);
        var reply = await ReceiveBesidesReadsAsync(socket);
        Assert.Equal("message.created", reply["event"]!.GetValue<string>());
        Assert.Equal("We are here", reply["data"]!["content"]!.GetValue<string>());
        Assert.Equal(id, reply["data"]!["conversation_id"]!.GetValue<int>());

        // A socket naming a visitor that does not exist is closed.
        using var forged = new ClientWebSocket();
        await forged.ConnectAsync(ws, CancellationToken.None);
        await SendAsync(forged, new { website_token = site.Token, auth_token = "nope" });
        var buffer = new byte[256];
        var result = await forged.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, forged.CloseStatus);
    }

    [Fact]
    public async Task An_agent_reading_the_conversation_tells_the_visitors_socket_which_of_their_messages_was_read()
    {
        var site = await WebsiteAsync(_admin, _account);
        using var visitor = NewVisitor(site.Token);
        await visitor.StartAsync();
        await visitor.SayAsync("First question");
        var second = await visitor.SayAsync("Second question");
        var id = (await (await visitor.SendAsync(HttpMethod.Get, "conversations")).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        using var other = NewVisitor(site.Token);
        await other.StartAsync();
        var hers = await other.SayAsync("A question of my own");

        var ws = new UriBuilder(_server.BaseAddress) { Scheme = "ws", Path = "/widget/live" }.Uri;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(ws, CancellationToken.None);
        await SendAsync(socket, new { website_token = site.Token, auth_token = visitor.Token, after = second["id"]!.GetValue<int>() });
        using var otherSocket = new ClientWebSocket();
        await otherSocket.ConnectAsync(ws, CancellationToken.None);
        await SendAsync(otherSocket, new { website_token = site.Token, auth_token = other.Token, after = hers["id"]!.GetValue<int>() });

        // An agent opens the conversation (the dashboard and the API's update_last_seen both mark it): the visitor hears it.
        await (await _admin.PostAsync(P($"conversations/{id}/update_last_seen"), null)).ExpectAsync(HttpStatusCode.OK);
        var read = await ReceiveAsync(socket);
        Assert.Equal("conversation.read", read["event"]!.GetValue<string>());
        Assert.Equal(id, read["data"]!["id"]!.GetValue<int>());
        Assert.Equal(second["id"]!.GetValue<int>(), read["data"]!["last_read_message_id"]!.GetValue<int>());
        var seenAt = read["data"]!["agent_last_seen_at"]!.GetValue<long>();
        var conversation = await (await _admin.GetAsync(P($"conversations/{id}"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(seenAt, conversation!["agent_last_seen_at"]!.GetValue<long>());
        // Another visitor of the same inbox hears nothing of it.
        using (var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await otherSocket.ReceiveAsync(new byte[4096], quiet.Token));

        // A widget that connects later (a reload) is told at once.
        using var again = new ClientWebSocket();
        await again.ConnectAsync(ws, CancellationToken.None);
        await SendAsync(again, new { website_token = site.Token, auth_token = visitor.Token, after = second["id"]!.GetValue<int>() });
        var told = await ReceiveAsync(again);
        Assert.Equal("conversation.read", told["event"]!.GetValue<string>());
        Assert.Equal(second["id"]!.GetValue<int>(), told["data"]!["last_read_message_id"]!.GetValue<int>());
    }

    private static Task SendAsync(ClientWebSocket socket, object payload) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(payload)), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next event that is not a read receipt (an agent's write may mark the conversation read too).</summary>
    private static async Task<JsonNode> ReceiveBesidesReadsAsync(ClientWebSocket socket)
    {
        for (var i = 0; i < 5; i++)
            if (await ReceiveAsync(socket) is var e && e["event"]?.GetValue<string>() != "conversation.read") return e;
        throw new Xunit.Sdk.XunitException("Only read receipts arrived");
    }

    private static async Task<JsonNode> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count))!;
    }
}

/// <summary>The widget's limits run on servers of their own, with small numbers.</summary>
public sealed class WidgetRateLimitTests
{
    [Fact]
    public async Task Widget_writes_are_limited_per_visitor_and_requests_per_address()
    {
        await using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_WIDGET_VISITOR_WRITES"] = "3", ["UNILINK_WIDGET_RATE_LIMIT"] = "12" });
        using var admin = server.AdminClient();
        var token = (await (await admin.PostAsync($"/api/v1/accounts/{server.AccountId}/inboxes", Json(new { name = "Site", channel = new { type = "web_widget" } })))
            .ExpectAsync(HttpStatusCode.OK))!["website_token"]!.GetValue<string>();
        using var client = server.Client();
        async Task<string> VisitorAsync() => (await (await client.PostAsync($"/api/v1/widget/config?website_token={token}", null)).ExpectAsync(HttpStatusCode.OK))!
            ["website_channel_config"]!["auth_token"]!.GetValue<string>();
        async Task<HttpResponseMessage> SayAsync(string visitor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/widget/messages?website_token={token}") { Content = Json(new { message = new { content = "hi" } }) };
            request.Headers.Add("X-Auth-Token", visitor);
            return await client.SendAsync(request);
        }
        var first = await VisitorAsync();
        for (var i = 0; i < 3; i++) await (await SayAsync(first)).ExpectAsync(HttpStatusCode.OK);
        var limited = await SayAsync(first);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal(3, server.Db(db => db.Messages.Count(m => m.MessageType == UniLink.Features.Messages.MessageType.Incoming)));
        // Another visitor still writes, until the address has made its 12 requests of the minute.
        var second = await VisitorAsync();
        await (await SayAsync(second)).ExpectAsync(HttpStatusCode.OK);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) statuses.Add((await client.GetAsync($"/api/v1/widget/messages?website_token={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses.Last());
    }
}
