using UniLink.Features.DashboardApps;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.DashboardApps;

public sealed class DashboardAppRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private const string Dashboard = "http://127.0.0.1:3000";

    private static DashboardAppInput Given(string? title, params string[] urls) =>
        new(title, urls.Length == 0 ? null : urls.Select(u => new DashboardAppFrame("frame", u)).ToList());

    private Task<WriteResult<DashboardApp>> CreateAsync(int account, DashboardAppInput input) =>
        WithAsync<DashboardAppService, WriteResult<DashboardApp>>(s => s.CreateAsync(account, null, input, Dashboard));

    [Fact]
    public async Task An_app_has_a_title_and_frames_off_the_dashboards_origin_and_its_settings_name_only_the_accounts_own()
    {
        var other = await OtherAccountAsync();
        int Count() => _server.Db(db => db.DashboardApps.Count(a => a.AccountId == _account));
        var before = Count();
        AssertRefused(await CreateAsync(_account, Given(" ", "https://crm.example.com")), "title");
        AssertRefused(await CreateAsync(_account, Given("No frames")), "content");
        AssertRefused(await CreateAsync(_account, Given("Ftp", "ftp://crm.example.com")), "content");
        AssertRefused(await CreateAsync(_account, Given("Own origin", Dashboard + "/evil")), "content");
        AssertRefused(await CreateAsync(_account, Given("Unknown variable", "https://crm.example.com/?id={{contact.nonsense}}")), "content");
        AssertRefused(await CreateAsync(_account, Given("Too many frames", Enumerable.Repeat("https://crm.example.com", DashboardAppContent.MaxFrames + 1).ToArray())), "content");
        Assert.Equal(before, Count());

        var app = Assert.IsType<WriteResult<DashboardApp>.Done>(await CreateAsync(_account, Given("CRM", "https://crm.example.com/{{conversation.id}}"))).Value;
        Assert.IsType<WriteResult<DashboardApp>.Missing>(await WithAsync<DashboardAppService, WriteResult<DashboardApp>>(s =>
            s.UpdateAsync(other, app.Id, null, Given("Taken over"), Dashboard)));
        AssertRefused(await WithAsync<DashboardAppService, WriteResult<DashboardApp>>(s => s.UpdateAsync(_account, app.Id, null, Given(""), Dashboard)), "title");
        var renamed = Assert.IsType<WriteResult<DashboardApp>.Done>(await WithAsync<DashboardAppService, WriteResult<DashboardApp>>(s =>
            s.UpdateAsync(_account, app.Id, null, Given("CRM 2"), Dashboard))).Value;
        Assert.Equal(app.Content, renamed.Content);

        // Settings: an inbox of another account, or a selected audience naming nobody, is refused and nothing is saved.
        var theirInbox = await _server.DbAsync(async db =>
        {
            var inbox = new UniLink.Features.Inboxes.Inbox { AccountId = other, Name = "Theirs", ChannelType = UniLink.Features.Inboxes.ChannelTypes.Api, InboxIdentifier = Guid.NewGuid().ToString("N"), CreatedAt = UnixTime.Now(), UpdatedAt = UnixTime.Now() };
            db.Inboxes.Add(inbox);
            await db.SaveChangesAsync();
            return inbox.Id;
        });
        Task<WriteResult<AppSettings>> SettingsAsync(int account, AppSettingsChange change) =>
            WithAsync<DashboardAppService, WriteResult<AppSettings>>(s => s.UpdateSettingsAsync(account, app.Id, null, change));
        AssertRefused(await SettingsAsync(_account, new AppSettingsChange(InboxIds: [theirInbox])), "inbox_ids");
        AssertRefused(await SettingsAsync(_account, new AppSettingsChange(VisibleTo: AppSettings.VisibleToSelected)), "visible_to");
        Assert.IsType<WriteResult<AppSettings>.Missing>(await SettingsAsync(other, new AppSettingsChange(Placement: "page")));
        // Every problem at once, each naming its field (the API's one 422, the page's one message).
        var both = Assert.IsType<WriteResult<AppSettings>.Rejected>(await SettingsAsync(_account, new AppSettingsChange(Placement: "left", InboxIds: [theirInbox])));
        Assert.Equal(["placement", "inbox_ids"], both.Fields);
        Assert.Equal($"Placement must be one of {string.Join(", ", AppSettings.Placements)}, Inbox ids {theirInbox} is not an inbox of this account", both.Message);
        // An app saved with its settings (the settings page's one call) is refused whole when either is wrong: nothing is written.
        AssertRefused(await CreateAsync(_account, Given("With settings", "https://crm.example.com") with { Settings = new AppSettingsChange(InboxIds: [theirInbox]) }),
            "inbox_ids");
        var titleAndSettings = Assert.IsType<WriteResult<DashboardApp>.Rejected>(await WithAsync<DashboardAppService, WriteResult<DashboardApp>>(s =>
            s.UpdateAsync(_account, app.Id, null, Given("") with { Settings = new AppSettingsChange(VisibleTo: AppSettings.VisibleToSelected) }, Dashboard)));
        Assert.Equal(["title", "visible_to"], titleAndSettings.Fields);
        Assert.Equal(before + 1, Count());
        Assert.Equal("CRM 2", _server.Db(db => db.DashboardApps.Single(a => a.Id == app.Id).Title));
        Assert.Equal(AppSettings.VisibleToAll, _server.Db(db => db.DashboardApps.Single(a => a.Id == app.Id).VisibleTo));
        var placed = Assert.IsType<WriteResult<AppSettings>.Done>(await SettingsAsync(_account, new AppSettingsChange(Placement: "page"))).Value;
        Assert.Equal("page", placed.Placement);
    }

    [Fact]
    public void Settings_id_lists_take_positive_whole_numbers_or_digit_strings_and_name_the_list_in_the_problem()
    {
        static (AppSettingsChange Change, string? Problem) Read(string json)
        {
            var body = RequestBody.FromObject(System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject());
            var change = AppSettingsChange.From(body, creating: false);
            return (change, body.Error is null ? null : System.Text.Json.JsonSerializer.Serialize(((Microsoft.AspNetCore.Http.IValueHttpResult)body.Error).Value, WireJson.Options));
        }

        var read = Read("""{"inbox_ids": [3, "4"], "visible_to_team_ids": [], "visible_to_agent_ids": ["7"]}""");
        Assert.Null(read.Problem);
        Assert.Equal([3, 4], read.Change.InboxIds!);
        Assert.Empty(read.Change.VisibleToTeamIds!);
        Assert.Equal([7], read.Change.VisibleToAgentIds!);
        Assert.Equal(1001, Read($$"""{"inbox_ids": [{{string.Join(",", Enumerable.Range(1, 1001))}}]}""").Change.InboxIds!.Count);
        Assert.Equal("""{"message":"Inbox ids must be a list of inbox ids (positive whole numbers)","attributes":["inbox_ids"]}""", Read("""{"inbox_ids": [0]}""").Problem);
        Assert.Equal("""{"message":"Visible to team ids must be a list of team ids (positive whole numbers)","attributes":["visible_to_team_ids"]}""", Read("""{"visible_to_team_ids": ["x"]}""").Problem);
        Assert.Equal("""{"message":"Visible to agent ids must be a list of agent ids","attributes":["visible_to_agent_ids"]}""", Read("""{"visible_to_agent_ids": 7}""").Problem);
    }

    [Fact]
    public void A_plain_id_list_names_its_limit_in_the_problem()
    {
        static string? Problem(string json)
        {
            var body = RequestBody.FromObject(System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject());
            Assert.Null(body.Ints("user_ids", maxItems: 2));
            return System.Text.Json.JsonSerializer.Serialize(((Microsoft.AspNetCore.Http.IValueHttpResult)body.Error!).Value, WireJson.Options);
        }

        var ok = RequestBody.FromObject(System.Text.Json.Nodes.JsonNode.Parse("""{"user_ids": [0, "-3"]}""")!.AsObject());
        Assert.Equal([0, -3], ok.Ints("user_ids"));
        const string AtMostTwo = """{"message":"User ids must be a list of at most 2 ids","attributes":["user_ids"]}""";
        Assert.Equal(AtMostTwo, Problem("""{"user_ids": [1, 2, 3]}"""));
        Assert.Equal(AtMostTwo, Problem("""{"user_ids": ["x"]}"""));
        Assert.Equal(AtMostTwo, Problem("""{"user_ids": "1"}"""));
    }
}
