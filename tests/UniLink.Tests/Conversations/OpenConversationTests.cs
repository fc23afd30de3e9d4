using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UniLink.AppSdk;
using UniLink.Features.Accounts;
using UniLink.Features.Conversations;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Conversations;

/// <summary>
/// The rules of an open conversation (<see cref="OpenConversation"/>, the conversation page's and the sandbox's) and of
/// its apps (<see cref="ConversationApps"/>), against the real server's database and services.
/// </summary>
public sealed class OpenConversationTests : IDisposable
{
    private readonly UniLinkServer _server = new();
    private readonly HttpClient _admin;
    private readonly int _account;

    public OpenConversationTests()
    {
        _admin = _server.AdminClient();
        _account = _server.AccountId;
    }

    public void Dispose()
    {
        _admin.Dispose();
        _server.Dispose();
    }

    private string P(string rest) => $"/api/v1/accounts/{_account}/{rest}";

    private OpenConversation NewOpen() => _server.Services.GetRequiredService<OpenConversation>();

    [Fact]
    public async Task Opens_only_for_a_member_who_works_the_conversations_inbox_and_checks_again_at_each_load()
    {
        var conversation = await _admin.CreateConversationAsync(_account);
        var (displayId, inboxId) = (conversation["id"]!.GetValue<int>(), conversation["inbox_id"]!.GetValue<int>());
        var agent = await _server.CreateUserAsync(_account, Roles.Agent);
        var otherAccount = await _server.CreateAccountAsync("Elsewhere");
        var stranger = await _server.CreateUserAsync(otherAccount, Roles.Administrator);

        Assert.NotNull(await NewOpen().OpenAsync(_account, displayId, _server.AdminUserId));
        Assert.Null(await NewOpen().OpenAsync(_account, displayId, stranger.Id));
        var agents = NewOpen();
        Assert.Null(await agents.OpenAsync(_account, displayId, agent.Id));

        await (await _admin.PostAsync(P("inbox_members"), Json(new { inbox_id = inboxId, user_ids = new[] { agent.Id } }))).ExpectAsync(HttpStatusCode.OK);
        var view = await agents.OpenAsync(_account, displayId, agent.Id);
        Assert.NotNull(view);
        Assert.Null(await agents.ProblemAsync());

        // Taken off the inbox: the open page's next load shows nothing, and it may not act.
        await (await _admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, P("inbox_members"))
        {
            Content = Json(new { inbox_id = inboxId, user_ids = new[] { agent.Id } }),
        })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("You no longer work this conversation's inbox.", await agents.ProblemAsync());
        Assert.Null(await agents.LoadAsync(OpenConversation.Reload.Shown));
    }

    [Fact]
    public async Task Messages_come_a_page_at_a_time_newer_ones_appended_and_an_older_page_loaded_once_however_often_asked()
    {
        var conversation = await _admin.CreateConversationAsync(_account, firstMessage: "message 0");
        var displayId = conversation["id"]!.GetValue<int>();
        for (var i = 1; i <= OpenConversation.PageSize + 9; i++)
            await (await _admin.PostAsync(P($"conversations/{displayId}/messages"), Json(new { content = $"message {i}" }))).ExpectAsync(HttpStatusCode.OK);

        var open = NewOpen();
        var view = (await open.OpenAsync(_account, displayId, _server.AdminUserId))!;
        Assert.Equal(OpenConversation.PageSize, view.Messages.Count);
        Assert.False(view.AllLoaded);
        Assert.Equal($"message {OpenConversation.PageSize + 9}", view.Messages[^1].Content);
        Assert.Equal(view.Messages.OrderBy(m => m.Id).Select(m => m.Id), view.Messages.Select(m => m.Id));
        var admin = _server.Db(db => db.Users.Single(u => u.Id == _server.AdminUserId));
        Assert.Equal(admin.Name, view.SenderNames[$"User:{admin.Id}"]);

        // The scroll-to-top loader and the button ask at once: one page comes in, once.
        var before = view.Messages[0].Id;
        var asks = await Task.WhenAll(open.LoadOlderAsync(before), open.LoadOlderAsync(before));
        Assert.Equal(1, asks.Count(added => added));
        Assert.False(await open.LoadOlderAsync(before));
        var all = open.View!;
        Assert.True(all.AllLoaded);
        Assert.Equal(all.Messages.Select(m => m.Id).Distinct().Count(), all.Messages.Count);
        Assert.Equal("message 0", all.Messages.First(m => m.MessageType != MessageType.Activity).Content);

        await (await _admin.PostAsync(P($"conversations/{displayId}/messages"), Json(new { content = "newest" }))).ExpectAsync(HttpStatusCode.OK);
        var newer = (await open.LoadAsync(OpenConversation.Reload.Newer))!;
        Assert.Equal(all.Messages.Count + 1, newer.Messages.Count);
        Assert.Equal("newest", newer.Messages[^1].Content);
    }

    [Fact]
    public async Task The_apps_context_shows_the_newest_message_that_is_not_an_activity_as_the_API_does_whether_or_not_the_view_has_loaded_it()
    {
        var conversation = await _admin.CreateConversationAsync(_account, firstMessage: "first");
        var displayId = conversation["id"]!.GetValue<int>();
        await (await _admin.PostAsync(P($"conversations/{displayId}/messages"), Json(new { content = "newest reply" }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.PostAsync(P($"conversations/{displayId}/toggle_status"), Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
        var expected = (await (await _admin.GetAsync(P($"conversations/{displayId}"))).ExpectAsync(HttpStatusCode.OK))!["last_non_activity_message"]!;
        Assert.Equal("newest reply", expected["content"]!.GetValue<string>());

        var view = (await NewOpen().OpenAsync(_account, displayId, _server.AdminUserId))!;
        Assert.Equal(MessageType.Activity, view.Messages[^1].MessageType);
        var builder = _server.Services.GetRequiredService<AppContextBuilder>();
        async Task<JsonNode?> ShownAsync(ConversationView seen) => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(
            (await builder.BuildAsync(seen, _server.AdminUserId, "light")).Conversation, WireJson.Options))!["last_non_activity_message"];
        Assert.True(JsonNode.DeepEquals(expected, await ShownAsync(view)), (await ShownAsync(view))?.ToJsonString());
        var firstOnly = view with { Messages = view.Messages.Take(1).ToList(), AllLoaded = false };
        Assert.True(JsonNode.DeepEquals(expected, await ShownAsync(firstOnly)), (await ShownAsync(firstOnly))?.ToJsonString());
    }

    [Fact]
    public async Task Apps_with_the_same_scopes_share_one_serialisation_of_the_context_each_with_its_own_token()
    {
        var conversation = await _admin.CreateConversationAsync(_account);
        var displayId = conversation["id"]!.GetValue<int>();
        async Task<(int Id, string Secret)> SidebarAppAsync(string title)
        {
            var id = (await (await _admin.PostAsync(P("dashboard_apps"), Json(new { title, content = new[] { new { type = "frame", url = "https://orders.example.com/" } } })))
                .ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
            await (await _admin.PatchAsync(P($"dashboard_apps/{id}/settings"), Json(new { placement = "conversation_sidebar" }))).ExpectAsync(HttpStatusCode.OK);
            var secret = (await (await _admin.PostAsync(P($"dashboard_apps/{id}/secret"), null)).ExpectAsync(HttpStatusCode.OK))!["secret"]!.GetValue<string>();
            return (id, secret);
        }
        var first = await SidebarAppAsync("Orders");
        var second = await SidebarAppAsync("Payments");

        var open = NewOpen();
        var view = (await open.OpenAsync(_account, displayId, _server.AdminUserId))!;
        var apps = _server.Services.GetRequiredService<ConversationApps>();
        try
        {
            await apps.LoadAsync(open, _server.BaseAddress.GetLeftPart(UriPartial.Authority), deferFrames: false);
            await apps.BuildContextsAsync(view);
            var contexts = apps.Contexts!;
            var parsed = new[] { first, second }.Select(app => (app, context: DashboardAppContext.Parse(System.Text.Encoding.UTF8.GetString(contexts[app.Id])))).ToList();
            foreach (var (app, context) in parsed)
            {
                Assert.True(context.VerifyContextToken(app.Secret, app.Id, out var error) is not null, error);
                Assert.Equal(displayId, context.Conversation.Id);
            }
            JsonNode WithoutToken(byte[] message)
            {
                var node = JsonNode.Parse(message)!;
                node.AsObject().Remove("context_token");
                node["data"]!.AsObject().Remove("token");
                return node;
            }
            Assert.Equal(WithoutToken(contexts[first.Id]).ToJsonString(), WithoutToken(contexts[second.Id]).ToJsonString());
            Assert.NotEqual(System.Text.Encoding.UTF8.GetString(contexts[first.Id]), System.Text.Encoding.UTF8.GetString(contexts[second.Id]));
            Assert.Equal(1, apps.SerialisationsLastBuilt);

            // A third app holding fewer scopes gets a context of its own: two serialisations for three apps.
            var third = await SidebarAppAsync("Loyalty");
            await (await _admin.PatchAsync(P($"dashboard_apps/{third.Id}/settings"), Json(new { context_scopes = new[] { "contact_identity" } }))).ExpectAsync(HttpStatusCode.OK);
            apps.Close();
            await apps.LoadAsync(open, _server.BaseAddress.GetLeftPart(UriPartial.Authority), deferFrames: false);
            await apps.BuildContextsAsync(view);
            Assert.Equal(3, apps.Contexts!.Count);
            Assert.Equal(2, apps.SerialisationsLastBuilt);
        }
        finally
        {
            apps.Close();
        }
    }
}
