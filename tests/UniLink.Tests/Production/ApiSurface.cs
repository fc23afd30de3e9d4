using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Production;

/// <summary>Who may call an endpoint, as the reference decides it.</summary>
public enum Access
{
    /// <summary>Any member of the account; not agent bots.</summary>
    Member,
    /// <summary>Any member of the account and the account's agent bots (the reference's bot-accessible endpoints).</summary>
    MemberOrBot,
    Administrator,
    /// <summary>Any signed-in user, whatever the account (the profile); not agent bots.</summary>
    User,
    /// <summary>No credentials needed (the public client API, sign-in).</summary>
    Anyone,
    /// <summary>Any member of the account, on a record of their own (saved filters): the world's records are the
    /// administrator's, so an agent naming one is answered as if it did not exist.</summary>
    OwnRecord,
    /// <summary>The Platform API: a platform app's token, on records that app created (<see cref="ApiWorld.PlatformToken"/>).</summary>
    PlatformApp,
}

/// <summary>
/// One HTTP API endpoint: who may call it, what a good call answers, and how to make one in the account of
/// <see cref="ApiWorld"/> (a concrete path, fresh when the call consumes its target, and a valid body).
/// </summary>
public sealed record ApiRow(string Method, string Pattern, Access Access, HttpStatusCode Success,
    Func<ApiWorld, Task<string>> Path, Func<ApiWorld, JsonObject>? Body = null, bool FreshTarget = false)
{
    /// <summary>The website widget's calls name their visitor by the X-Auth-Token header (the world's visitor).</summary>
    public bool AsVisitor { get; init; }
    public void AddHeaders(HttpRequestMessage request, ApiWorld world)
    {
        if (AsVisitor) request.Headers.Add("X-Auth-Token", world.VisitorToken);
    }

    // FreshTarget: the path makes a new record to aim at (as DELETE rows do), so the database changes before the call.
    public bool IsWrite => Method is "POST" or "PUT" or "PATCH" or "DELETE";
    public override string ToString() => $"{Method} {Pattern}";
}

/// <summary>
/// A server with two accounts and every kind of caller, and one of each record in account A to aim at. Every
/// API route the app maps must have its <see cref="ApiRow"/> in <see cref="Rows"/>: a new endpoint without one
/// fails <see cref="AssertEveryEndpointHasARow"/>.
/// </summary>
public sealed class ApiWorld : IAsyncDisposable
{
    public UniLinkServer Server { get; }
    public HttpClient Admin { get; }
    public int AccountA { get; private set; }
    public int AccountB { get; private set; }
    public string AgentToken { get; private set; } = "";
    public int AgentId { get; private set; }
    public string BotToken { get; private set; } = "";
    public string OtherAdminToken { get; private set; } = "";
    /// <summary>A user in both accounts: an agent in A, an administrator of B.</summary>
    public string AgentHereAdministratorElsewhereToken { get; private set; } = "";
    public int AgentHereAdministratorElsewhereId { get; private set; }
    /// <summary>A user in both accounts: an administrator of A, an agent in B.</summary>
    public string AdministratorHereAgentElsewhereToken { get; private set; } = "";
    public string BotOfAnotherAccountToken { get; private set; } = "";
    /// <summary>A bot row with no account, which must work in none.</summary>
    public string BotWithoutAccountToken { get; private set; } = "";
    public TestUser SignInUser { get; private set; } = null!;
    public int TargetAgentId { get; private set; }
    public int InboxId { get; private set; }
    public string InboxIdentifier { get; private set; } = "";
    public int ContactId { get; private set; }
    public string SourceId { get; private set; } = "";
    public int ConversationId { get; private set; }
    public int LabelId { get; private set; }
    public int AttributeId { get; private set; }
    public int AppId { get; private set; }
    public int WebhookId { get; private set; }
    public long DeliveryId { get; private set; }
    public int AgentBotId { get; private set; }
    public int TeamId { get; private set; }
    public int CannedResponseId { get; private set; }
    public int NoteId { get; private set; }
    /// <summary>An outgoing message of <see cref="ConversationId"/>, for the writes that change a message in place.</summary>
    public int MessageId { get; private set; }
    private int _unique;

    private ApiWorld(UniLinkServer server)
    {
        Server = server;
        Admin = server.AdminClient();
    }

    public static async Task<ApiWorld> CreateAsync()
    {
        // Thousands of calls a minute on one token: the API rate limit is the business of RateLimitTests.
        var world = new ApiWorld(new UniLinkServer(new Dictionary<string, string?>
        {
            ["UNILINK_API_RATE_LIMIT"] = "0", ["UNILINK_WIDGET_RATE_LIMIT"] = "0", ["UNILINK_WIDGET_VISITOR_WRITES"] = "0",
            ["UNILINK_PLATFORM_APPS"] = $"provisioning={PlatformToken};other={OtherPlatformToken}",
        }));
        await world.ArrangeAsync();
        return world;
    }

    private async Task ArrangeAsync()
    {
        AccountA = Server.AccountId;
        var agent = await Server.CreateUserAsync(AccountA, Roles.Agent);
        (AgentToken, AgentId) = (agent.Token, agent.Id);
        BotToken = await Server.CreateBotAsync(AccountA);
        AccountB = await Server.CreateAccountAsync("Other account");
        OtherAdminToken = (await Server.CreateUserAsync(AccountB, Roles.Administrator)).Token;
        (AgentHereAdministratorElsewhereToken, AgentHereAdministratorElsewhereId) = await UserOfBothAsync(Roles.Agent, Roles.Administrator);
        (AdministratorHereAgentElsewhereToken, _) = await UserOfBothAsync(Roles.Administrator, Roles.Agent);
        BotOfAnotherAccountToken = await Server.CreateBotAsync(AccountB);
        BotWithoutAccountToken = await Server.CreateBotAsync(null);
        SignInUser = await Server.CreateUserAsync(AccountA, Roles.Agent);
        TargetAgentId = (await Server.CreateUserAsync(AccountA, Roles.Agent)).Id;

        var inbox = await (await Admin.PostAsync(A("inboxes"), Json(new { name = "API", channel = new { type = "api" } }))).ExpectAsync(HttpStatusCode.OK);
        (InboxId, InboxIdentifier) = (inbox!["id"]!.GetValue<int>(), inbox["inbox_identifier"]!.GetValue<string>());
        // The agents work the inbox: an agent sees only the conversations of their inboxes (InboxVisibilityTests).
        await (await Admin.PostAsync(A("inbox_members"), Json(new { inbox_id = InboxId, user_ids = new[] { AgentId, AgentHereAdministratorElsewhereId } })))
            .ExpectAsync(HttpStatusCode.OK);
        var contact = await (await Admin.PostAsync(A("contacts"), Json(new { name = "Maria", email = "maria@example.com", inbox_id = InboxId })))
            .ExpectAsync(HttpStatusCode.OK);
        ContactId = contact!["payload"]!["contact"]!["id"]!.GetValue<int>();
        SourceId = contact["payload"]!["contact_inbox"]!["source_id"]!.GetValue<string>();
        ConversationId = (await (await Admin.PostAsync(A("conversations"), Json(new { inbox_id = InboxId, contact_id = ContactId })))
            .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        MessageId = await IdOf(Admin.PostAsync(A($"conversations/{ConversationId}/messages"), Json(new { content = "Hello" })));
        LabelId = await NewLabelAsync();
        AttributeId = await NewAttributeAsync();
        AppId = await NewAppAsync();
        await InstalledAppAsync();
        WebhookId = await NewWebhookAsync();
        AgentBotId = await NewAgentBotAsync();
        DeliveryId = (await (await Admin.PostAsync(A($"webhooks/{WebhookId}/test"), null)).ExpectAsync(HttpStatusCode.OK))!["payload"]!["id"]!.GetValue<long>();
        TeamId = await NewTeamAsync();
        CannedResponseId = await NewCannedResponseAsync();
        NoteId = await NewNoteAsync();
        CustomFilterId = await NewCustomFilterAsync();
        Platform = Server.Client(PlatformToken);
        PlatformAccountId = await NewPlatformAccountAsync();
        PlatformUserId = await NewPlatformUserAsync();
        PlatformBotId = await NewPlatformBotAsync();
        await ArrangeVisitorAsync();
    }

    /// <summary>A website inbox of account A, with a visitor who has written (so their conversation exists) and a label to set.</summary>
    public string WebsiteToken { get; private set; } = "";
    public string VisitorToken { get; private set; } = "";
    public string VisitorLabel { get; private set; } = "";
    public string W(string rest) => $"/api/v1/widget/{rest}{(rest.Contains('?') ? '&' : '?')}website_token={WebsiteToken}";

    private async Task ArrangeVisitorAsync()
    {
        WebsiteToken = (await (await Admin.PostAsync(A("inboxes"), Json(new { name = "Website", channel = new { type = "web_widget", website_url = "https://shop.example.com" } })))
            .ExpectAsync(HttpStatusCode.OK))!["website_token"]!.GetValue<string>();
        using var anonymous = Server.Client();
        VisitorToken = (await (await anonymous.PostAsync(W("config"), null)).ExpectAsync(HttpStatusCode.OK))!["website_channel_config"]!["auth_token"]!.GetValue<string>();
        using var first = new HttpRequestMessage(HttpMethod.Post, W("messages")) { Content = Json(new { message = new { content = "Hello from the site" } }) };
        first.Headers.Add("X-Auth-Token", VisitorToken);
        await (await anonymous.SendAsync(first)).ExpectAsync(HttpStatusCode.OK);
        VisitorLabel = Unique("vip");
        await (await Admin.PostAsync(A("labels"), Json(new { title = VisitorLabel }))).ExpectAsync(HttpStatusCode.OK);
    }

    /// <summary>The two platform apps the operator declared; the world's platform records are the first one's.</summary>
    public const string PlatformToken = "platform-app-token-0123456789";
    public const string OtherPlatformToken = "other-platform-app-token-0123456789";
    public HttpClient Platform { get; private set; } = null!;
    public int PlatformAccountId { get; private set; }
    public int PlatformUserId { get; private set; }
    public int PlatformBotId { get; private set; }
    public Task<int> NewPlatformAccountAsync() => IdOf(Platform.PostAsync("/platform/api/v1/accounts", Json(new { name = Unique("tenant") })));
    public Task<int> NewPlatformUserAsync() => IdOf(Platform.PostAsync("/platform/api/v1/users", Json(new { name = "Provisioned", email = Unique("provisioned") + "@example.com" })));
    public Task<int> NewPlatformBotAsync() => IdOf(Platform.PostAsync("/platform/api/v1/agent_bots", Json(new { name = Unique("platform-bot") })));

    private async Task<(string Token, int Id)> UserOfBothAsync(string roleInA, string roleInB)
    {
        var user = await Server.CreateUserAsync(AccountA, roleInA);
        await Server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = AccountB, UserId = user.Id, Role = roleInB, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        return (user.Token, user.Id);
    }

    public string A(string rest) => $"/api/v1/accounts/{AccountA}/{rest}";
    public string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref _unique)}";

    private async Task<int> IdOf(Task<HttpResponseMessage> call, Func<JsonNode, JsonNode?>? pick = null)
    {
        var body = await (await call).ExpectAsync(HttpStatusCode.OK);
        return (pick is null ? body!["id"] : pick(body!))!.GetValue<int>();
    }

    public Task<int> NewLabelAsync() => IdOf(Admin.PostAsync(A("labels"), Json(new { title = Unique("label") })));
    public Task<int> NewAttributeAsync() => IdOf(Admin.PostAsync(A("custom_attribute_definitions"), Json(NewAttributeBody())));
    public Task<int> NewAppAsync() => IdOf(Admin.PostAsync(A("dashboard_apps"), Json(NewAppBody())));
    public static JsonObject NewManifest(string name = "CRM", string scope = "contact_identity") => O(("manifest_version", 1), ("name", name),
        ("frames", new JsonArray(O(("url", "https://crm.example.com/")))), ("context_scopes", new JsonArray(scope)),
        ("settings", new JsonArray(O(("name", "api_key"), ("label", "API key"), ("secret", true)))), ("request_domains", new JsonArray("api.crm.example.com")));
    public Task<int> NewInstalledAppAsync() => IdOf(Admin.PostAsync(A("dashboard_apps/install"), Json(O(("manifest", NewManifest()), ("consent", true)))));
    private int? _installedAppId;
    public async Task<int> InstalledAppAsync() => _installedAppId ??= await NewInstalledAppAsync();
    /// <summary>A fresh app from a manifest with an update that asks for more, waiting for consent.</summary>
    public async Task<int> PendingAppAsync()
    {
        var id = await NewInstalledAppAsync();
        await (await Admin.PostAsync(A($"dashboard_apps/{id}/manifest"), Json(O(("manifest", NewManifest(scope: "agent_email")))))).ExpectAsync(HttpStatusCode.OK);
        return id;
    }
    // Loopback only: nothing listens on port 9, so what the worker sends is refused at once.
    public JsonObject NewWebhookBody() => O(("url", $"http://127.0.0.1:9/{Unique("hook")}"), ("subscriptions", new JsonArray("message_created")));
    public Task<int> NewWebhookAsync() => IdOf(Admin.PostAsync(A("webhooks"), Json(NewWebhookBody())), b => b["payload"]!["webhook"]!["id"]);
    public Task<int> NewAgentBotAsync() => IdOf(Admin.PostAsync(A("agent_bots"), Json(new { name = Unique("bot") })));
    public Task<int> NewContactAsync() => IdOf(Admin.PostAsync(A("contacts"), Json(new { name = Unique("contact") })), b => b["payload"]!["contact"]!["id"]);
    /// <summary>The contact the merge row merges into <see cref="ContactId"/>: a fresh one, made by the row's path (bodies must not write).</summary>
    public int MergeeId { get; private set; }
    public async Task<int> NewMergeeAsync() => MergeeId = await NewContactAsync();
    public Task<int> NewMessageAsync() => IdOf(Admin.PostAsync(A($"conversations/{ConversationId}/messages"), Json(new { content = Unique("message ") })));
    private string? _attachmentPath;

    /// <summary>A file of a message in account A, by its path (without a signature: members only).</summary>
    public async Task<string> AttachmentPathAsync()
    {
        if (_attachmentPath is not null) return _attachmentPath;
        var form = new MultipartFormDataContent { { new StringContent("with a file"), "content" } };
        form.Add(new ByteArrayContent("a file"u8.ToArray()), "attachments[]", "notes.txt");
        var body = await (await Admin.PostAsync(A($"conversations/{ConversationId}/messages"), form)).ExpectAsync(HttpStatusCode.OK);
        return _attachmentPath = new Uri(body!["attachments"]![0]!["data_url"]!.GetValue<string>()).AbsolutePath;
    }

    public int CustomFilterId { get; private set; }
    public Task<int> NewCustomFilterAsync() => IdOf(Admin.PostAsync(A("custom_filters"), Json(new { custom_filter = new { name = Unique("view"), query = new { payload = Array.Empty<object>() } } })));
    public Task<int> NewTeamAsync() => IdOf(Admin.PostAsync(A("teams"), Json(new { name = Unique("team") })));
    public Task<int> NewCannedResponseAsync() => IdOf(Admin.PostAsync(A("canned_responses"), Json(new { short_code = Unique("code"), content = "Thanks!" })));
    public Task<int> NewNoteAsync() => NewNoteAsync(ContactId);
    public Task<int> NewNoteAsync(int contactId) => IdOf(Admin.PostAsync(A($"contacts/{contactId}/notes"), Json(new { content = "Called back" })));
    public Task<int> NewConversationAsync() => IdOf(Admin.PostAsync(A("conversations"), Json(new { inbox_id = InboxId, contact_id = ContactId })));
    public async Task<int> NewAgentAsync() => (await Server.CreateUserAsync(AccountA, Roles.Agent)).Id;

    public JsonObject NewAttributeBody() => new()
    {
        ["attribute_display_name"] = "Order", ["attribute_key"] = Unique("order_"),
        ["attribute_display_type"] = "text", ["attribute_model"] = "conversation_attribute",
    };

    public static JsonObject NewAppBody() => new()
    {
        ["title"] = "CRM", ["content"] = new JsonArray(new JsonObject { ["type"] = "frame", ["url"] = "https://crm.example.com/" }),
    };

    private static JsonObject O(params (string Key, JsonNode? Value)[] fields)
    {
        var o = new JsonObject();
        foreach (var (k, v) in fields) o[k] = v;
        return o;
    }

    /// <summary>Every API endpoint. The profile's token reset comes last: it changes the callers' tokens.</summary>
    public static IReadOnlyList<ApiRow> Rows { get; } = BuildRows();

    private static List<ApiRow> BuildRows()
    {
        const string acct = "/api/v1/accounts/{account_id}";
        const string pub = "/public/api/v1/inboxes/{inbox_identifier}/contacts";
        var ok = HttpStatusCode.OK;
        static Func<ApiWorld, Task<string>> P(Func<ApiWorld, string> f) => w => Task.FromResult(f(w));
        return
        [
            new("GET", "/api/v1/profile", Access.User, ok, P(_ => "/api/v1/profile")),
            new("PUT", "/api/v1/profile", Access.User, ok, P(_ => "/api/v1/profile"), _ => O(("name", "Renamed"))),
            new("PATCH", "/api/v1/profile", Access.User, ok, P(_ => "/api/v1/profile"), _ => O(("display_name", "Ren"))),

            new("GET", acct, Access.Member, ok, P(w => $"/api/v1/accounts/{w.AccountA}")),
            new("PATCH", acct, Access.Administrator, ok, P(w => $"/api/v1/accounts/{w.AccountA}"), _ => O(("name", "Acme"))),
            new("PUT", acct, Access.Administrator, ok, P(w => $"/api/v1/accounts/{w.AccountA}"), _ => O(("name", "Acme"))),

            new("GET", acct + "/agents", Access.Member, ok, P(w => w.A("agents"))),
            new("POST", acct + "/agents", Access.Administrator, ok, P(w => w.A("agents")),
                w => O(("name", "New agent"), ("email", w.Unique("agent") + "@example.com"), ("role", "agent"))),
            new("PATCH", acct + "/agents/{agent_id:int}", Access.Administrator, ok, P(w => w.A($"agents/{w.TargetAgentId}")), _ => O(("name", "Agent Smith"))),
            new("PUT", acct + "/agents/{agent_id:int}", Access.Administrator, ok, P(w => w.A($"agents/{w.TargetAgentId}")), _ => O(("name", "Agent Smith"))),
            new("DELETE", acct + "/agents/{agent_id:int}", Access.Administrator, ok, async w => w.A($"agents/{await w.NewAgentAsync()}")),
            new("POST", acct + "/agents/{agent_id:int}/reset_password", Access.Administrator, ok, P(w => w.A($"agents/{w.TargetAgentId}/reset_password"))),
            new("DELETE", acct + "/agents/{agent_id:int}/sessions", Access.Administrator, ok, P(w => w.A($"agents/{w.TargetAgentId}/sessions"))),

            new("GET", acct + "/inboxes", Access.Member, ok, P(w => w.A("inboxes"))),
            new("GET", acct + "/inboxes/{inbox_id:int}", Access.Member, ok, P(w => w.A($"inboxes/{w.InboxId}"))),
            new("POST", acct + "/inboxes", Access.Administrator, ok, P(w => w.A("inboxes")),
                _ => O(("name", "Widget"), ("channel", O(("type", "web_widget"), ("website_url", "https://shop.example.com"))))),
            new("PATCH", acct + "/inboxes/{inbox_id:int}", Access.Administrator, ok, P(w => w.A($"inboxes/{w.InboxId}")), _ => O(("greeting_message", "Hi"))),
            new("PUT", acct + "/inboxes/{inbox_id:int}", Access.Administrator, ok, P(w => w.A($"inboxes/{w.InboxId}")), _ => O(("greeting_message", "Hi"))),

            new("GET", acct + "/inbox_members/{inbox_id:int}", Access.Member, ok, P(w => w.A($"inbox_members/{w.InboxId}"))),
            new("POST", acct + "/inbox_members", Access.Administrator, ok, P(w => w.A("inbox_members")),
                w => O(("inbox_id", w.InboxId), ("user_ids", new JsonArray(w.AgentId)))),
            new("PATCH", acct + "/inbox_members", Access.Administrator, ok, P(w => w.A("inbox_members")),
                w => O(("inbox_id", w.InboxId), ("user_ids", new JsonArray(w.AgentId, w.AgentHereAdministratorElsewhereId, w.TargetAgentId)))),
            new("DELETE", acct + "/inbox_members", Access.Administrator, ok, P(w => w.A("inbox_members")),
                w => O(("inbox_id", w.InboxId), ("user_ids", new JsonArray(w.TargetAgentId)))),
            new("PATCH", acct + "/inbox_members/{inbox_id:int}", Access.Administrator, ok, P(w => w.A($"inbox_members/{w.InboxId}")),
                w => O(("user_ids", new JsonArray(w.AgentId, w.AgentHereAdministratorElsewhereId)))),
            new("DELETE", acct + "/inbox_members/{inbox_id:int}", Access.Administrator, ok, P(w => w.A($"inbox_members/{w.InboxId}")),
                w => O(("user_ids", new JsonArray(w.TargetAgentId)))),

            new("GET", acct + "/contacts", Access.Member, ok, P(w => w.A("contacts"))),
            new("GET", acct + "/contacts/search", Access.Member, ok, P(w => w.A("contacts/search?q=maria"))),
            new("GET", acct + "/contacts/{contact_id:int}", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}"))),
            new("GET", acct + "/contacts/{contact_id:int}/conversations", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}/conversations"))),
            new("POST", acct + "/contacts", Access.Member, ok, P(w => w.A("contacts")),
                w => O(("name", "Kim"), ("email", w.Unique("kim") + "@example.com"), ("custom_attributes", O(("tier", "gold"))))),
            new("PUT", acct + "/contacts/{contact_id:int}", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}")), _ => O(("name", "Maria L"))),
            new("PATCH", acct + "/contacts/{contact_id:int}", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}")), _ => O(("phone_number", "+15551234567"))),
            new("POST", acct + "/contacts/filter", Access.Member, ok, P(w => w.A("contacts/filter")), _ => O(("payload", new JsonArray(
                O(("attribute_key", "name"), ("filter_operator", "contains"), ("values", new JsonArray("mar")), ("query_operator", "or")),
                O(("attribute_key", "labels"), ("filter_operator", "is_not_present"), ("values", new JsonArray())))))),
            new("GET", acct + "/contacts/{contact_id:int}/labels", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}/labels"))),
            new("POST", acct + "/contacts/{contact_id:int}/labels", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}/labels")), _ => O(("labels", new JsonArray("vip")))),
            new("GET", acct + "/contacts/{contact_id:int}/contactable_inboxes", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}/contactable_inboxes"))),
            new("POST", acct + "/contacts/{contact_id:int}/contact_inboxes", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}/contact_inboxes")),
                w => O(("inbox_id", w.InboxId))),
            new("POST", acct + "/actions/contact_merge", Access.Member, ok, async w => { await w.NewMergeeAsync(); return w.A("actions/contact_merge"); },
                w => O(("base_contact_id", w.ContactId), ("mergee_contact_id", w.MergeeId)), FreshTarget: true),
            new("GET", acct + "/contacts/{contact_id:int}/notes", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}/notes"))),
            new("GET", acct + "/contacts/{contact_id:int}/notes/{note_id:int}", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}/notes/{w.NoteId}"))),
            new("POST", acct + "/contacts/{contact_id:int}/notes", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}/notes")), _ => O(("content", "Prefers email"))),
            new("PATCH", acct + "/contacts/{contact_id:int}/notes/{note_id:int}", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}/notes/{w.NoteId}")), _ => O(("content", "Prefers phone"))),
            new("PUT", acct + "/contacts/{contact_id:int}/notes/{note_id:int}", Access.Member, ok, P(w => w.A($"contacts/{w.ContactId}/notes/{w.NoteId}")), _ => O(("content", "Prefers phone"))),
            // On a contact of its own: the fuzz's "%2e%2e" note id makes the address the contact's, and deletes it.
            new("DELETE", acct + "/contacts/{contact_id:int}/notes/{note_id:int}", Access.Member, ok, async w =>
            {
                var contact = await w.NewContactAsync();
                return w.A($"contacts/{contact}/notes/{await w.NewNoteAsync(contact)}");
            }),
            new("DELETE", acct + "/contacts/{contact_id:int}", Access.Administrator, ok, async w => w.A($"contacts/{await w.NewContactAsync()}")),

            new("GET", acct + "/conversations", Access.Member, ok, P(w => w.A("conversations"))),
            new("GET", acct + "/attachments/{attachment_id:int}/{variant}/{file_name}", Access.MemberOrBot, ok, w => w.AttachmentPathAsync()),
            new("GET", acct + "/conversations/meta", Access.Member, ok, P(w => w.A("conversations/meta"))),
            new("GET", acct + "/conversations/{display_id:int}", Access.Member, ok, P(w => w.A($"conversations/{w.ConversationId}"))),
            new("DELETE", acct + "/conversations/{display_id:int}", Access.Administrator, ok, async w => w.A($"conversations/{await w.NewConversationAsync()}")),
            new("POST", acct + "/conversations", Access.MemberOrBot, ok, P(w => w.A("conversations")),
                w => O(("inbox_id", w.InboxId), ("contact_id", w.ContactId), ("message", O(("content", "Opening"))))),
            new("POST", acct + "/conversations/{display_id:int}/toggle_status", Access.MemberOrBot, ok,
                P(w => w.A($"conversations/{w.ConversationId}/toggle_status")), _ => O(("status", "open"))),
            new("POST", acct + "/conversations/{display_id:int}/toggle_priority", Access.MemberOrBot, ok,
                P(w => w.A($"conversations/{w.ConversationId}/toggle_priority")), _ => O(("priority", "high"))),
            new("POST", acct + "/conversations/{display_id:int}/assignments", Access.MemberOrBot, ok,
                P(w => w.A($"conversations/{w.ConversationId}/assignments")), w => O(("assignee_id", w.AgentId))),
            new("POST", acct + "/conversations/filter", Access.Member, ok, P(w => w.A("conversations/filter")), _ => O(("payload", new JsonArray(
                O(("attribute_key", "status"), ("filter_operator", "equal_to"), ("values", new JsonArray("open", "pending")), ("query_operator", "and")),
                O(("attribute_key", "priority"), ("filter_operator", "not_equal_to"), ("values", new JsonArray("urgent"))))))),
            new("PATCH", acct + "/conversations/{display_id:int}", Access.MemberOrBot, ok,
                P(w => w.A($"conversations/{w.ConversationId}")), _ => O(("priority", "low"))),
            new("POST", acct + "/conversations/{display_id:int}/mute", Access.Member, ok, P(w => w.A($"conversations/{w.ConversationId}/mute"))),
            new("POST", acct + "/conversations/{display_id:int}/unmute", Access.Member, ok, P(w => w.A($"conversations/{w.ConversationId}/unmute"))),
            new("POST", acct + "/conversations/{display_id:int}/toggle_typing_status", Access.MemberOrBot, ok,
                P(w => w.A($"conversations/{w.ConversationId}/toggle_typing_status")), _ => O(("typing_status", "on"))),
            new("GET", acct + "/conversations/{display_id:int}/labels", Access.Member, ok, P(w => w.A($"conversations/{w.ConversationId}/labels"))),
            new("POST", acct + "/conversations/{display_id:int}/labels", Access.Member, ok,
                P(w => w.A($"conversations/{w.ConversationId}/labels")), _ => O(("labels", new JsonArray("billing", "vip")))),
            new("POST", acct + "/conversations/{display_id:int}/custom_attributes", Access.MemberOrBot, ok,
                P(w => w.A($"conversations/{w.ConversationId}/custom_attributes")), _ => O(("custom_attributes", O(("order", "1042"))))),
            new("POST", acct + "/conversations/{display_id:int}/update_last_seen", Access.Member, ok,
                P(w => w.A($"conversations/{w.ConversationId}/update_last_seen"))),

            new("GET", acct + "/conversations/{display_id:int}/messages", Access.Member, ok, P(w => w.A($"conversations/{w.ConversationId}/messages"))),
            new("POST", acct + "/conversations/{display_id:int}/messages", Access.MemberOrBot, ok,
                P(w => w.A($"conversations/{w.ConversationId}/messages")), _ => O(("content", "Your order ships today"), ("private", false))),
            new("PATCH", acct + "/conversations/{display_id:int}/messages/{message_id:int}", Access.MemberOrBot, ok,
                P(w => w.A($"conversations/{w.ConversationId}/messages/{w.MessageId}")), _ => O(("status", "delivered"))),
            new("DELETE", acct + "/conversations/{display_id:int}/messages/{message_id:int}", Access.Member, ok,
                async w => w.A($"conversations/{w.ConversationId}/messages/{await w.NewMessageAsync()}")),

            new("GET", acct + "/labels", Access.Member, ok, P(w => w.A("labels"))),
            new("GET", acct + "/labels/{label_id:int}", Access.Member, ok, P(w => w.A($"labels/{w.LabelId}"))),
            new("POST", acct + "/labels", Access.Administrator, ok, P(w => w.A("labels")), w => O(("title", w.Unique("tier")), ("color", "#1f93ff"))),
            new("PATCH", acct + "/labels/{label_id:int}", Access.Administrator, ok, P(w => w.A($"labels/{w.LabelId}")), _ => O(("description", "Paying"))),
            new("PUT", acct + "/labels/{label_id:int}", Access.Administrator, ok, P(w => w.A($"labels/{w.LabelId}")), _ => O(("description", "Paying"))),
            new("DELETE", acct + "/labels/{label_id:int}", Access.Administrator, ok, async w => w.A($"labels/{await w.NewLabelAsync()}")),

            new("GET", acct + "/custom_attribute_definitions", Access.Member, ok, P(w => w.A("custom_attribute_definitions"))),
            new("GET", acct + "/custom_attribute_definitions/{id:int}", Access.Member, ok, P(w => w.A($"custom_attribute_definitions/{w.AttributeId}"))),
            new("POST", acct + "/custom_attribute_definitions", Access.Administrator, ok, P(w => w.A("custom_attribute_definitions")), w => w.NewAttributeBody()),
            new("PATCH", acct + "/custom_attribute_definitions/{id:int}", Access.Administrator, ok,
                P(w => w.A($"custom_attribute_definitions/{w.AttributeId}")), _ => O(("attribute_display_name", "Order number"))),
            new("PUT", acct + "/custom_attribute_definitions/{id:int}", Access.Administrator, ok,
                P(w => w.A($"custom_attribute_definitions/{w.AttributeId}")), _ => O(("attribute_display_name", "Order number"))),
            new("DELETE", acct + "/custom_attribute_definitions/{id:int}", Access.Administrator, HttpStatusCode.NoContent,
                async w => w.A($"custom_attribute_definitions/{await w.NewAttributeAsync()}")),

            new("GET", acct + "/dashboard_apps", Access.Member, ok, P(w => w.A("dashboard_apps"))),
            new("GET", acct + "/dashboard_apps/{id:int}", Access.Member, ok, P(w => w.A($"dashboard_apps/{w.AppId}"))),
            new("POST", acct + "/dashboard_apps", Access.Administrator, ok, P(w => w.A("dashboard_apps")), _ => NewAppBody()),
            new("PATCH", acct + "/dashboard_apps/{id:int}", Access.Administrator, ok, P(w => w.A($"dashboard_apps/{w.AppId}")), _ => O(("title", "CRM 2"))),
            new("PUT", acct + "/dashboard_apps/{id:int}", Access.Administrator, ok, P(w => w.A($"dashboard_apps/{w.AppId}")), _ => O(("title", "CRM 2"))),
            new("DELETE", acct + "/dashboard_apps/{id:int}", Access.Administrator, HttpStatusCode.NoContent, async w => w.A($"dashboard_apps/{await w.NewAppAsync()}")),
            new("POST", acct + "/dashboard_apps/{id:int}/secret", Access.Administrator, ok, P(w => w.A($"dashboard_apps/{w.AppId}/secret"))),
            new("GET", acct + "/dashboard_apps/{id:int}/permissions", Access.Member, ok, P(w => w.A($"dashboard_apps/{w.AppId}/permissions"))),
            new("PUT", acct + "/dashboard_apps/{id:int}/permissions", Access.Administrator, ok,
                P(w => w.A($"dashboard_apps/{w.AppId}/permissions")), _ => O(("permissions", new JsonArray()))),
            new("GET", acct + "/dashboard_apps/{id:int}/settings", Access.Member, ok, P(w => w.A($"dashboard_apps/{w.AppId}/settings"))),
            new("GET", acct + "/dashboard_apps/{id:int}/event_deliveries", Access.Administrator, ok, P(w => w.A($"dashboard_apps/{w.AppId}/event_deliveries"))),
            new("POST", acct + "/dashboard_apps/manifest_preview", Access.Administrator, ok, P(w => w.A("dashboard_apps/manifest_preview")), _ => O(("manifest", NewManifest()))),
            new("POST", acct + "/dashboard_apps/install", Access.Administrator, ok, P(w => w.A("dashboard_apps/install")), _ => O(("manifest", NewManifest()), ("consent", true))),
            new("GET", acct + "/dashboard_apps/{id:int}/manifest", Access.Administrator, ok, async w => w.A($"dashboard_apps/{await w.InstalledAppAsync()}/manifest")),
            new("POST", acct + "/dashboard_apps/{id:int}/manifest", Access.Administrator, ok, async w => w.A($"dashboard_apps/{await w.InstalledAppAsync()}/manifest"),
                _ => O(("manifest", NewManifest("CRM 2")))),
            new("POST", acct + "/dashboard_apps/{id:int}/manifest/consent", Access.Administrator, ok, async w => w.A($"dashboard_apps/{await w.PendingAppAsync()}/manifest/consent"),
                FreshTarget: true),
            new("PUT", acct + "/dashboard_apps/{id:int}/setting_values", Access.Administrator, ok, async w => w.A($"dashboard_apps/{await w.InstalledAppAsync()}/setting_values"),
                _ => O(("settings", O(("api_key", "sk_test"))))),
            new("PUT", acct + "/dashboard_apps/{id:int}/settings", Access.Administrator, ok,
                P(w => w.A($"dashboard_apps/{w.AppId}/settings")), _ => O(("placement", "conversation_sidebar"))),
            new("PATCH", acct + "/dashboard_apps/{id:int}/settings", Access.Administrator, ok,
                P(w => w.A($"dashboard_apps/{w.AppId}/settings")), _ => O(("keep_alive", true))),
            new("GET", acct + "/audit_logs", Access.Administrator, ok, P(w => w.A($"audit_logs?app_id={w.AppId}"))),

            new("GET", acct + "/webhooks", Access.Administrator, ok, P(w => w.A("webhooks"))),
            new("POST", acct + "/webhooks", Access.Administrator, ok, P(w => w.A("webhooks")), w => w.NewWebhookBody()),
            new("PATCH", acct + "/webhooks/{webhook_id:int}", Access.Administrator, ok, P(w => w.A($"webhooks/{w.WebhookId}")), _ => O(("name", "n8n"))),
            new("PUT", acct + "/webhooks/{webhook_id:int}", Access.Administrator, ok, P(w => w.A($"webhooks/{w.WebhookId}")),
                _ => O(("webhook", O(("subscriptions", new JsonArray("message_created", "contact_created")))))),
            new("DELETE", acct + "/webhooks/{webhook_id:int}", Access.Administrator, ok, async w => w.A($"webhooks/{await w.NewWebhookAsync()}")),
            new("GET", acct + "/webhooks/{webhook_id:int}/secret", Access.Administrator, ok, P(w => w.A($"webhooks/{w.WebhookId}/secret"))),
            new("POST", acct + "/webhooks/{webhook_id:int}/secret", Access.Administrator, ok, P(w => w.A($"webhooks/{w.WebhookId}/secret"))),
            new("GET", acct + "/webhooks/{webhook_id:int}/deliveries", Access.Administrator, ok, P(w => w.A($"webhooks/{w.WebhookId}/deliveries"))),
            new("POST", acct + "/webhooks/{webhook_id:int}/deliveries/{delivery_id:long}/retry", Access.Administrator, ok,
                P(w => w.A($"webhooks/{w.WebhookId}/deliveries/{w.DeliveryId}/retry"))),
            new("POST", acct + "/webhooks/{webhook_id:int}/test", Access.Administrator, ok, P(w => w.A($"webhooks/{w.WebhookId}/test"))),

            new("GET", acct + "/agent_bots", Access.Member, ok, P(w => w.A("agent_bots"))),
            new("GET", acct + "/agent_bots/{bot_id:int}", Access.Member, ok, P(w => w.A($"agent_bots/{w.AgentBotId}"))),
            new("POST", acct + "/agent_bots", Access.Administrator, ok, P(w => w.A("agent_bots")), _ => O(("name", "Helper"), ("outgoing_url", "http://127.0.0.1:9/bot"))),
            new("PATCH", acct + "/agent_bots/{bot_id:int}", Access.Administrator, ok, P(w => w.A($"agent_bots/{w.AgentBotId}")), _ => O(("description", "Answers"))),
            new("PUT", acct + "/agent_bots/{bot_id:int}", Access.Administrator, ok, P(w => w.A($"agent_bots/{w.AgentBotId}")), _ => O(("agent_bot", O(("name", "Helper 2"))))),
            new("DELETE", acct + "/agent_bots/{bot_id:int}", Access.Administrator, ok, async w => w.A($"agent_bots/{await w.NewAgentBotAsync()}")),
            new("POST", acct + "/agent_bots/{bot_id:int}/reset_access_token", Access.Administrator, ok, P(w => w.A($"agent_bots/{w.AgentBotId}/reset_access_token"))),
            new("POST", acct + "/agent_bots/{bot_id:int}/reset_secret", Access.Administrator, ok, P(w => w.A($"agent_bots/{w.AgentBotId}/reset_secret"))),
            new("POST", acct + "/inboxes/{inbox_id:int}/set_agent_bot", Access.Administrator, ok, P(w => w.A($"inboxes/{w.InboxId}/set_agent_bot")),
                _ => O(("agent_bot", null))),
            new("GET", acct + "/inboxes/{inbox_id:int}/agent_bot", Access.Member, ok, P(w => w.A($"inboxes/{w.InboxId}/agent_bot"))),
            new("POST", acct + "/inboxes/{inbox_id:int}/reset_secret", Access.Administrator, ok, P(w => w.A($"inboxes/{w.InboxId}/reset_secret"))),

            new("GET", acct + "/teams", Access.Member, ok, P(w => w.A("teams"))),
            new("GET", acct + "/teams/{team_id:int}", Access.Member, ok, P(w => w.A($"teams/{w.TeamId}"))),
            new("POST", acct + "/teams", Access.Administrator, ok, P(w => w.A("teams")), w => O(("name", w.Unique("sales")), ("allow_auto_assign", false))),
            new("PATCH", acct + "/teams/{team_id:int}", Access.Administrator, ok, P(w => w.A($"teams/{w.TeamId}")), _ => O(("description", "Sales"))),
            new("PUT", acct + "/teams/{team_id:int}", Access.Administrator, ok, P(w => w.A($"teams/{w.TeamId}")), _ => O(("description", "Sales"))),
            new("DELETE", acct + "/teams/{team_id:int}", Access.Administrator, ok, async w => w.A($"teams/{await w.NewTeamAsync()}")),
            new("GET", acct + "/teams/{team_id:int}/team_members", Access.Member, ok, P(w => w.A($"teams/{w.TeamId}/team_members"))),
            new("POST", acct + "/teams/{team_id:int}/team_members", Access.Administrator, ok,
                P(w => w.A($"teams/{w.TeamId}/team_members")), w => O(("user_ids", new JsonArray(w.AgentId)))),
            new("PATCH", acct + "/teams/{team_id:int}/team_members", Access.Administrator, ok,
                P(w => w.A($"teams/{w.TeamId}/team_members")), w => O(("user_ids", new JsonArray(w.AgentId, w.TargetAgentId)))),
            new("DELETE", acct + "/teams/{team_id:int}/team_members", Access.Administrator, ok,
                P(w => w.A($"teams/{w.TeamId}/team_members")), w => O(("user_ids", new JsonArray(w.TargetAgentId)))),

            new("GET", acct + "/custom_filters", Access.Member, ok, P(w => w.A("custom_filters?filter_type=conversation"))),
            new("POST", acct + "/custom_filters", Access.Member, ok, P(w => w.A("custom_filters")), w => (JsonObject)JsonNode.Parse($$"""
                {"custom_filter": {"name": "{{w.Unique("view")}}", "filter_type": "contact",
                  "query": {"payload": [{"attribute_key": "name", "filter_operator": "contains", "values": ["a"]} ] } } }
                """)!),
            new("GET", acct + "/custom_filters/{custom_filter_id:int}", Access.OwnRecord, ok, P(w => w.A($"custom_filters/{w.CustomFilterId}"))),
            new("PATCH", acct + "/custom_filters/{custom_filter_id:int}", Access.OwnRecord, ok, P(w => w.A($"custom_filters/{w.CustomFilterId}")), _ => O(("custom_filter", O(("name", "Renamed"))))),
            new("PUT", acct + "/custom_filters/{custom_filter_id:int}", Access.OwnRecord, ok, P(w => w.A($"custom_filters/{w.CustomFilterId}")), _ => O(("custom_filter", O(("name", "Renamed"))))),
            new("DELETE", acct + "/custom_filters/{custom_filter_id:int}", Access.OwnRecord, HttpStatusCode.NoContent, async w => w.A($"custom_filters/{await w.NewCustomFilterAsync()}")),

            new("GET", acct + "/search", Access.Member, ok, P(w => w.A("search?q=maria"))),
            new("GET", acct + "/search/conversations", Access.Member, ok, P(w => w.A("search/conversations?q=maria"))),
            new("GET", acct + "/search/contacts", Access.Member, ok, P(w => w.A("search/contacts?q=maria"))),
            new("GET", acct + "/search/messages", Access.Member, ok, P(w => w.A("search/messages?q=hello&page=1"))),

            new("GET", acct + "/canned_responses", Access.Member, ok, P(w => w.A("canned_responses?search=th"))),
            new("POST", acct + "/canned_responses", Access.Member, ok, P(w => w.A("canned_responses")),
                w => O(("short_code", w.Unique("hello")), ("content", "Hello there"))),
            new("PATCH", acct + "/canned_responses/{id:int}", Access.Member, ok, P(w => w.A($"canned_responses/{w.CannedResponseId}")), _ => O(("content", "Hi"))),
            new("PUT", acct + "/canned_responses/{id:int}", Access.Member, ok, P(w => w.A($"canned_responses/{w.CannedResponseId}")), _ => O(("content", "Hi"))),
            new("DELETE", acct + "/canned_responses/{id:int}", Access.Member, ok, async w => w.A($"canned_responses/{await w.NewCannedResponseAsync()}")),

            new("GET", "/public/api/v1/inboxes/{inbox_identifier}", Access.Anyone, ok, P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}")),
            new("GET", pub + "/{contact_identifier}/conversations/{conversation_id}", Access.Anyone, ok,
                P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts/{w.SourceId}/conversations/{w.ConversationId}")),
            new("POST", pub + "/{contact_identifier}/conversations/{conversation_id}/toggle_status", Access.Anyone, ok,
                P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts/{w.SourceId}/conversations/{w.ConversationId}/toggle_status")),
            new("POST", pub + "/{contact_identifier}/conversations/{conversation_id}/toggle_typing", Access.Anyone, ok,
                P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts/{w.SourceId}/conversations/{w.ConversationId}/toggle_typing"),
                _ => O(("typing_status", "off"))),
            new("POST", pub + "/{contact_identifier}/conversations/{conversation_id}/update_last_seen", Access.Anyone, ok,
                P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts/{w.SourceId}/conversations/{w.ConversationId}/update_last_seen")),
            new("PATCH", pub + "/{contact_identifier}/conversations/{conversation_id}/messages/{message_id:int}", Access.Anyone, ok,
                P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts/{w.SourceId}/conversations/{w.ConversationId}/messages/{w.MessageId}"),
                _ => O(("submitted_values", new JsonArray(O(("name", "size"), ("value", "M")))))),
            new("POST", pub, Access.Anyone, ok, P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts"), _ => O(("name", "Visitor"))),
            new("GET", pub + "/{contact_identifier}", Access.Anyone, ok, P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts/{w.SourceId}")),
            new("PATCH", pub + "/{contact_identifier}", Access.Anyone, ok,
                P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts/{w.SourceId}"), _ => O(("name", "Visitor 2"))),
            new("PUT", pub + "/{contact_identifier}", Access.Anyone, ok,
                P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts/{w.SourceId}"), _ => O(("phone_number", "+15550001111"))),
            new("POST", pub + "/{contact_identifier}/conversations", Access.Anyone, ok,
                P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts/{w.SourceId}/conversations"), _ => O()),
            new("GET", pub + "/{contact_identifier}/conversations", Access.Anyone, ok,
                P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts/{w.SourceId}/conversations")),
            new("GET", pub + "/{contact_identifier}/conversations/{conversation_id}/messages", Access.Anyone, ok,
                P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts/{w.SourceId}/conversations/{w.ConversationId}/messages")),
            new("POST", pub + "/{contact_identifier}/conversations/{conversation_id}/messages", Access.Anyone, ok,
                P(w => $"/public/api/v1/inboxes/{w.InboxIdentifier}/contacts/{w.SourceId}/conversations/{w.ConversationId}/messages"),
                _ => O(("content", "Any news?"))),

            // The website widget's API: anonymous, keyed by the snippet's website_token and the visitor's X-Auth-Token.
            new("POST", "/api/v1/widget/config", Access.Anyone, ok, P(w => w.W("config"))),
            new("GET", "/api/v1/widget/contact", Access.Anyone, ok, P(w => w.W("contact"))) { AsVisitor = true },
            new("PATCH", "/api/v1/widget/contact", Access.Anyone, ok, P(w => w.W("contact")),
                _ => O(("name", "Site visitor"), ("custom_attributes", O(("plan", "pro"))))) { AsVisitor = true },
            new("PATCH", "/api/v1/widget/contact/set_user", Access.Anyone, ok, P(w => w.W("contact/set_user")),
                _ => O(("identifier", "visitor-1"), ("name", "Vera Visitor"))) { AsVisitor = true },
            new("POST", "/api/v1/widget/contact/destroy_custom_attributes", Access.Anyone, ok, P(w => w.W("contact/destroy_custom_attributes")),
                _ => O(("custom_attributes", new JsonArray("plan")))) { AsVisitor = true },
            new("GET", "/api/v1/widget/conversations", Access.Anyone, ok, P(w => w.W("conversations"))) { AsVisitor = true },
            new("POST", "/api/v1/widget/conversations", Access.Anyone, ok, P(w => w.W("conversations")),
                _ => O(("contact", O(("name", "Vera"))), ("message", O(("content", "A new question"), ("referer_url", "https://shop.example.com/a"))))) { AsVisitor = true },
            new("POST", "/api/v1/widget/conversations/toggle_typing", Access.Anyone, ok, P(w => w.W("conversations/toggle_typing")),
                _ => O(("typing_status", "off"))) { AsVisitor = true },
            new("POST", "/api/v1/widget/conversations/toggle_status", Access.Anyone, ok, P(w => w.W("conversations/toggle_status"))) { AsVisitor = true },
            new("GET", "/api/v1/widget/inbox_members", Access.Anyone, ok, P(w => w.W("inbox_members"))),
            new("POST", "/api/v1/widget/conversations/update_last_seen", Access.Anyone, ok, P(w => w.W("conversations/update_last_seen"))) { AsVisitor = true },
            new("POST", "/api/v1/widget/conversations/set_custom_attributes", Access.Anyone, ok, P(w => w.W("conversations/set_custom_attributes")),
                _ => O(("custom_attributes", O(("order_id", "A-1"))))) { AsVisitor = true },
            new("POST", "/api/v1/widget/conversations/destroy_custom_attributes", Access.Anyone, ok, P(w => w.W("conversations/destroy_custom_attributes")),
                _ => O(("custom_attribute", new JsonArray("order_id")))) { AsVisitor = true },
            new("GET", "/api/v1/widget/messages", Access.Anyone, ok, P(w => w.W("messages"))) { AsVisitor = true },
            new("POST", "/api/v1/widget/messages", Access.Anyone, ok, P(w => w.W("messages")),
                _ => O(("message", O(("content", "Anyone there?"))))) { AsVisitor = true },
            new("POST", "/api/v1/widget/labels", Access.Anyone, ok, P(w => w.W("labels")), w => O(("label", w.VisitorLabel))) { AsVisitor = true },
            new("DELETE", "/api/v1/widget/labels/{label}", Access.Anyone, ok, P(w => w.W($"labels/{w.VisitorLabel}"))) { AsVisitor = true },
            new("POST", "/api/v1/widget/events", Access.Anyone, HttpStatusCode.NoContent, P(w => w.W("events")),
                _ => O(("name", "webwidget.triggered"), ("event_info", O(("referer", "https://shop.example.com/a"))))) { AsVisitor = true },

            new("POST", "/auth/sign_in", Access.Anyone, ok, P(_ => "/auth/sign_in"),
                w => O(("email", w.SignInUser.Email), ("password", w.SignInUser.Password))),
            // Ends the sign-in token sent; with none (an API token is not one), devise_token_auth's 404.
            new("DELETE", "/auth/sign_out", Access.Anyone, HttpStatusCode.NotFound, P(_ => "/auth/sign_out")),

            new("POST", "/platform/api/v1/accounts", Access.PlatformApp, ok, P(_ => "/platform/api/v1/accounts"), w => O(("name", w.Unique("tenant")))),
            new("GET", "/platform/api/v1/accounts/{account_id:int}", Access.PlatformApp, ok, P(w => $"/platform/api/v1/accounts/{w.PlatformAccountId}")),
            new("PATCH", "/platform/api/v1/accounts/{account_id:int}", Access.PlatformApp, ok, P(w => $"/platform/api/v1/accounts/{w.PlatformAccountId}"), _ => O(("name", "Tenant"))),
            new("PUT", "/platform/api/v1/accounts/{account_id:int}", Access.PlatformApp, ok, P(w => $"/platform/api/v1/accounts/{w.PlatformAccountId}"), _ => O(("name", "Tenant"))),
            new("DELETE", "/platform/api/v1/accounts/{account_id:int}", Access.PlatformApp, ok, async w => $"/platform/api/v1/accounts/{await w.NewPlatformAccountAsync()}"),
            new("GET", "/platform/api/v1/accounts/{account_id:int}/account_users", Access.PlatformApp, ok, P(w => $"/platform/api/v1/accounts/{w.PlatformAccountId}/account_users")),
            new("POST", "/platform/api/v1/accounts/{account_id:int}/account_users", Access.PlatformApp, ok, P(w => $"/platform/api/v1/accounts/{w.PlatformAccountId}/account_users"),
                w => O(("user_id", w.PlatformUserId), ("role", "agent"))),
            new("DELETE", "/platform/api/v1/accounts/{account_id:int}/account_users", Access.PlatformApp, ok, P(w => $"/platform/api/v1/accounts/{w.PlatformAccountId}/account_users"),
                w => O(("user_id", w.PlatformUserId))),
            new("POST", "/platform/api/v1/users", Access.PlatformApp, ok, P(_ => "/platform/api/v1/users"), w => O(("name", "Provisioned"), ("email", w.Unique("provisioned") + "@example.com"))),
            new("GET", "/platform/api/v1/users/{user_id:int}", Access.PlatformApp, ok, P(w => $"/platform/api/v1/users/{w.PlatformUserId}")),
            new("PATCH", "/platform/api/v1/users/{user_id:int}", Access.PlatformApp, ok, P(w => $"/platform/api/v1/users/{w.PlatformUserId}"), _ => O(("display_name", "Prov"))),
            new("PUT", "/platform/api/v1/users/{user_id:int}", Access.PlatformApp, ok, P(w => $"/platform/api/v1/users/{w.PlatformUserId}"), _ => O(("display_name", "Prov"))),
            new("DELETE", "/platform/api/v1/users/{user_id:int}", Access.PlatformApp, ok, async w => $"/platform/api/v1/users/{await w.NewPlatformUserAsync()}"),
            new("GET", "/platform/api/v1/users/{user_id:int}/login", Access.PlatformApp, ok, P(w => $"/platform/api/v1/users/{w.PlatformUserId}/login")),
            new("GET", "/platform/api/v1/agent_bots", Access.PlatformApp, ok, P(_ => "/platform/api/v1/agent_bots")),
            new("POST", "/platform/api/v1/agent_bots", Access.PlatformApp, ok, P(_ => "/platform/api/v1/agent_bots"), w => O(("name", w.Unique("platform-bot")))),
            new("GET", "/platform/api/v1/agent_bots/{bot_id:int}", Access.PlatformApp, ok, P(w => $"/platform/api/v1/agent_bots/{w.PlatformBotId}")),
            new("PATCH", "/platform/api/v1/agent_bots/{bot_id:int}", Access.PlatformApp, ok, P(w => $"/platform/api/v1/agent_bots/{w.PlatformBotId}"), _ => O(("description", "Helps"))),
            new("PUT", "/platform/api/v1/agent_bots/{bot_id:int}", Access.PlatformApp, ok, P(w => $"/platform/api/v1/agent_bots/{w.PlatformBotId}"), _ => O(("description", "Helps"))),
            new("DELETE", "/platform/api/v1/agent_bots/{bot_id:int}", Access.PlatformApp, ok, async w => $"/platform/api/v1/agent_bots/{await w.NewPlatformBotAsync()}"),

            new("POST", "/api/v1/profile/reset_access_token", Access.User, ok, P(_ => "/api/v1/profile/reset_access_token")),
        ];
    }

    /// <summary>The (method, route pattern) of every endpoint of the HTTP API the app maps.</summary>
    public IReadOnlyList<string> MappedApiEndpoints()
    {
        var endpoints = Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return endpoints
            .Select(e => (Pattern: "/" + (e.RoutePattern.RawText ?? "").Trim('/'), Methods: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["*"]))
            .Where(e => e.Pattern.StartsWith("/api/") || e.Pattern.StartsWith("/public/api/") || e.Pattern.StartsWith("/platform/api/") || e.Pattern.StartsWith("/auth/"))
            .Where(e => !e.Pattern.Contains("{**")) // the JSON 404 for unknown paths
            .SelectMany(e => e.Methods.Select(m => $"{m} {e.Pattern}"))
            .Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public void AssertEveryEndpointHasARow()
    {
        var mapped = MappedApiEndpoints();
        var rows = Rows.Select(r => r.ToString()).ToList();
        var missing = mapped.Except(rows).ToList();
        var stale = rows.Except(mapped).ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"endpoints without a row in ApiWorld.Rows: [{string.Join(", ", missing)}]; rows without an endpoint: [{string.Join(", ", stale)}]");
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Platform?.Dispose();
        await Server.DisposeAsync();
    }
}
