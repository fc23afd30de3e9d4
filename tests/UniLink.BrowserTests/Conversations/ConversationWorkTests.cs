using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.Accounts;
using UniLink.Features.Conversations;
using UniLink.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace UniLink.BrowserTests.Conversations;

/// <summary>An agent's day: assigning, labelling, status, priority, the contact panel, live changes and the draft.</summary>
public sealed class ConversationWorkTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly UniLinkServer _server = new();
    public void Dispose() => _server.Dispose();

    private async Task<(IPage Page, int Conversation, List<string> Errors)> OpenConversationAsync(string contact = "Maria Lopez", string message = "Where is order #1042?")
    {
        using var admin = _server.AdminClient();
        var conversation = (await admin.CreateConversationAsync(_server.AccountId, contact, message))["id"]!.GetValue<int>();
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{_server.AccountId}/conversations/{conversation}");
        await page.WaitForInteractiveAsync();
        return (page, conversation, errors);
    }

    /// <summary>Makes the agent a member of the conversations' inboxes: an agent sees only the conversations of inboxes they work.</summary>
    private async Task WorkInboxesOfAsync(int userId, params int[] displayIds)
    {
        using var admin = _server.AdminClient();
        foreach (var id in displayIds)
            await admin.AddInboxMemberAsync(_server.AccountId, Stored(id).InboxId, userId);
    }

    private Conversation Stored(int displayId) =>
        _server.Db(db => db.Conversations.AsNoTracking().Include(c => c.Labels).Include(c => c.Contact).Single(c => c.DisplayId == displayId));

    [Fact]
    public async Task An_agent_assigns_the_conversation_to_a_colleague()
    {
        var colleague = await _server.CreateUserAsync(_server.AccountId, name: "Sam Agent");
        var (page, conversation, errors) = await OpenConversationAsync();
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Assignee", Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Sam Agent" });
        await Expect(page.Locator(".message.activity").Last).ToHaveTextAsync("Assigned to Sam Agent by Administrator");
        Assert.Equal(colleague.Id, Stored(conversation).AssigneeId);
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Assignee", Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Unassigned" });
        await Expect(page.Locator(".message.activity").Last).ToHaveTextAsync("Conversation unassigned by Administrator");
        Assert.Null(Stored(conversation).AssigneeId);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_agent_adds_and_removes_labels()
    {
        using var admin = _server.AdminClient();
        foreach (var title in new[] { "billing", "vip" })
            await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/labels", HttpAssertions.Json(new { title }))).ExpectAsync(HttpStatusCode.OK);
        var (page, conversation, errors) = await OpenConversationAsync();
        await page.GetByLabel("Add label").SelectOptionAsync("billing");
        await Expect(page.Locator(".conversation-labels .label-chip")).ToHaveAttributeAsync("data-label", "billing");
        await page.GetByLabel("Add label").SelectOptionAsync("vip");
        await Expect(page.Locator(".conversation-labels .label-chip")).ToHaveCountAsync(2);
        Assert.Equal(["billing", "vip"], Stored(conversation).Labels.Select(l => l.Title).Order());
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove label billing" }).ClickAsync();
        await Expect(page.Locator(".conversation-labels .label-chip")).ToHaveCountAsync(1);
        await Expect(page.Locator(".message.activity").Last).ToHaveTextAsync("Administrator removed billing");
        Assert.Equal(["vip"], Stored(conversation).Labels.Select(l => l.Title));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_agent_sets_pending_snoozes_reopens_and_sets_the_priority()
    {
        var (page, conversation, errors) = await OpenConversationAsync();
        var badge = page.Locator(".conversation-header .status-badge");
        await page.Locator("summary[aria-label=\"More status actions\"]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark as pending" }).ClickAsync();
        await Expect(badge).ToHaveTextAsync("pending");
        Assert.Equal(ConversationStatus.Pending, Stored(conversation).Status);

        await page.Locator("summary[aria-label=\"More status actions\"]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "In one hour" }).ClickAsync();
        await Expect(badge).ToHaveTextAsync("snoozed");
        var snoozed = Stored(conversation);
        Assert.Equal(ConversationStatus.Snoozed, snoozed.Status);
        Assert.InRange(snoozed.SnoozedUntil!.Value, DateTime.UtcNow.AddMinutes(50), DateTime.UtcNow.AddMinutes(70));

        await page.GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();
        await Expect(badge).ToHaveTextAsync("open");
        await Expect(page.Locator(".message.activity").Last).ToHaveTextAsync("Conversation was reopened by Administrator");

        await page.GetByLabel("Priority").SelectOptionAsync("urgent");
        await Expect(page.Locator(".message.activity").Last).ToHaveTextAsync("Administrator set the priority to urgent");
        Assert.Equal("urgent", Stored(conversation).Priority);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_contact_panel_edits_the_contact_and_rejects_a_bad_email()
    {
        var (page, conversation, errors) = await OpenConversationAsync();
        var panel = page.GetByRole(AriaRole.Complementary, new() { Name = "Contact" });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await panel.GetByLabel("Email").FillAsync("not-an-email");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Save contact" }).ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Email is invalid");

        await panel.GetByLabel("Name").FillAsync("Maria López García");
        await panel.GetByLabel("Email").FillAsync("maria@lopez.example");
        await panel.GetByLabel("Phone").FillAsync("+34911234567");
        await panel.GetByLabel("Company").FillAsync("Lopez Outdoor S.L.");
        await panel.GetByLabel("GitHub").FillAsync("marialopez");
        await panel.GetByLabel("New attribute key").FillAsync("plan");
        await panel.GetByLabel("New attribute value").FillAsync("business");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Save contact" }).ClickAsync();

        await Expect(panel.Locator("[data-field=email]")).ToHaveTextAsync("maria@lopez.example");
        await Expect(panel.Locator("[data-field=company]")).ToHaveTextAsync("Lopez Outdoor S.L.");
        await Expect(panel.Locator("[data-attribute=plan]")).ToHaveTextAsync("business");
        await Expect(panel.GetByRole(AriaRole.Link, new() { Name = "GitHub: marialopez" })).ToHaveAttributeAsync("href", "https://github.com/marialopez");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Maria López García");
        var contact = Stored(conversation).Contact;
        Assert.Equal(("Maria López García", "maria@lopez.example", "+34911234567"), (contact.Name, contact.Email, contact.PhoneNumber));
        Assert.Contains("\"plan\":\"business\"", contact.CustomAttributes);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_contact_panel_lists_the_contacts_previous_conversations()
    {
        var (page, conversation, _) = await OpenConversationAsync();
        var contactId = Stored(conversation).ContactId;
        var inboxId = Stored(conversation).InboxId;
        using var admin = _server.AdminClient();
        var earlier = await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/conversations",
            HttpAssertions.Json(new { inbox_id = inboxId, contact_id = contactId }))).ExpectAsync(HttpStatusCode.OK);
        var earlierId = earlier!["id"]!.GetValue<int>();
        var panel = page.GetByRole(AriaRole.Complementary, new() { Name = "Contact" });
        await page.ReloadAsync();
        await Expect(panel.Locator(".previous-conversations a")).ToHaveAttributeAsync("href", $"/app/accounts/{_server.AccountId}/conversations/{earlierId}");
    }

    [Fact]
    public async Task Changes_made_through_the_api_appear_live_on_the_open_conversation()
    {
        var colleague = await _server.CreateUserAsync(_server.AccountId, name: "Sam Agent");
        var (page, conversation, _) = await OpenConversationAsync();
        await WorkInboxesOfAsync(colleague.Id, conversation);
        using var admin = _server.Client(colleague.Token);
        var url = $"/api/v1/accounts/{_server.AccountId}/conversations/{conversation}";
        await (await admin.PostAsync($"{url}/assignments", HttpAssertions.Json(new { assignee_id = colleague.Id }))).ExpectAsync(HttpStatusCode.OK);
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Assignee", Exact = true })).ToHaveValueAsync(colleague.Id.ToString());
        await (await admin.PostAsync($"{url}/labels", HttpAssertions.Json(new { labels = new[] { "urgent-refund" } }))).ExpectAsync(HttpStatusCode.OK);
        await Expect(page.Locator(".conversation-labels .label-chip")).ToContainTextAsync("urgent-refund");
        await (await admin.PostAsync($"{url}/toggle_status", HttpAssertions.Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
        await Expect(page.Locator(".conversation-header .status-badge")).ToHaveTextAsync("resolved");
        await Expect(page.Locator(".message.activity").Last).ToHaveTextAsync("Conversation was marked resolved by Sam Agent");
    }

    [Fact]
    public async Task The_list_reorders_and_counts_unread_messages_live()
    {
        using var admin = _server.AdminClient();
        var older = (await admin.CreateConversationAsync(_server.AccountId, "Older Customer", "first"))["id"]!.GetValue<int>();
        await admin.CreateConversationAsync(_server.AccountId, "Newer Customer", "second");
        var page = await browser.NewPageAsync(_server.BaseAddress, []);
        await page.SignInAsAdminAsync();
        await page.WaitForInteractiveAsync();
        var rows = page.GetByRole(AriaRole.List, new() { Name = "Conversations" }).GetByRole(AriaRole.Listitem);
        await Expect(rows.First).ToContainTextAsync("Newer Customer");

        await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/conversations/{older}/messages",
            HttpAssertions.Json(new { content = "Hello again?", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await Expect(rows.First).ToContainTextAsync("Older Customer");
        await Expect(rows.First).ToContainTextAsync("Hello again?");
        await Expect(rows.First.Locator(".unread")).ToHaveTextAsync("2");
        await Expect(rows.Nth(1).Locator(".unread")).ToHaveTextAsync("1");

        // Opening it marks it read: the list beside it drops the count.
        await rows.First.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Older Customer");
        var selected = page.Locator($".conversation-list li[data-display-id=\"{older}\"]");
        await Expect(selected.Locator(".unread")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Every_open_dashboard_follows_a_message_and_each_agent_counts_their_own_conversations()
    {
        var colleague = await _server.CreateUserAsync(_server.AccountId, name: "Sam Agent");
        using var admin = _server.AdminClient();
        var waiting = (await admin.CreateConversationAsync(_server.AccountId, "Older Customer", "first"))["id"]!.GetValue<int>();
        var (open, conversation, _) = await OpenConversationAsync("Newer Customer", "second");
        await WorkInboxesOfAsync(colleague.Id, waiting, conversation);
        // Two of the administrator's dashboards show the same list; the colleague shows theirs.
        var sameList = await browser.NewPageAsync(_server.BaseAddress, []);
        await sameList.SignInAsAdminAsync();
        await sameList.WaitForInteractiveAsync();
        var theirs = await browser.NewPageAsync(_server.BaseAddress, []);
        await theirs.SignInAsync(colleague.Email, colleague.Password);
        await theirs.WaitForInteractiveAsync();
        ILocator Rows(IPage page) => page.GetByRole(AriaRole.List, new() { Name = "Conversations", Exact = true }).GetByRole(AriaRole.Listitem);
        ILocator Mine(IPage page) => page.Locator(".assignee-tabs [data-count=me]");

        await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/conversations/{waiting}/messages",
            HttpAssertions.Json(new { content = "Still waiting", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        foreach (var page in new[] { open, sameList, theirs })
        {
            await Expect(Rows(page).First).ToContainTextAsync("Older Customer");
            await Expect(Rows(page).First).ToContainTextAsync("Still waiting");
        }

        await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/conversations/{waiting}/assignments",
            HttpAssertions.Json(new { assignee_id = colleague.Id }))).ExpectAsync(HttpStatusCode.OK);
        await Expect(Mine(theirs)).ToHaveTextAsync("1");
        await Expect(Mine(sameList)).ToHaveTextAsync("0");
        await Expect(Rows(sameList).First.Locator(".assignee")).ToHaveTextAsync("Sam Agent");

        // The open conversation itself shows its own new message.
        await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/conversations/{conversation}/messages",
            HttpAssertions.Json(new { content = "Any news?", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await Expect(open.Locator(".message.incoming").Last).ToContainTextAsync("Any news?");
        await Expect(Rows(sameList).First).ToContainTextAsync("Any news?");
    }

    [Fact]
    public async Task The_list_filters_by_status_assignee_label_and_search()
    {
        using var admin = _server.AdminClient();
        var maria = (await admin.CreateConversationAsync(_server.AccountId, "Maria Lopez", "refund please"))["id"]!.GetValue<int>();
        await admin.CreateConversationAsync(_server.AccountId, "Tom Becker", "where is my parcel");
        var url = $"/api/v1/accounts/{_server.AccountId}/conversations/{maria}";
        await (await admin.PostAsync($"{url}/labels", HttpAssertions.Json(new { labels = new[] { "billing" } }))).ExpectAsync(HttpStatusCode.OK);
        var page = await browser.NewPageAsync(_server.BaseAddress, []);
        await page.SignInAsAdminAsync();
        await page.WaitForInteractiveAsync();
        var rows = page.GetByRole(AriaRole.List, new() { Name = "Conversations" }).GetByRole(AriaRole.Listitem);
        await Expect(rows).ToHaveCountAsync(2);

        await page.GetByLabel("Search conversations").FillAsync("parcel");
        await page.GetByLabel("Search conversations").PressAsync("Enter");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Tom Becker");

        await page.GotoAsync($"/app/accounts/{_server.AccountId}/conversations?labels=billing");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Maria Lopez");

        await page.GetByRole(AriaRole.Link, new() { Name = "Mine" }).ClickAsync();
        await Expect(page.GetByText("No conversations here.")).ToBeVisibleAsync();

        await (await admin.PostAsync($"{url}/toggle_status", HttpAssertions.Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
        await page.GotoAsync($"/app/accounts/{_server.AccountId}/conversations?status=resolved");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Maria Lopez");
    }

    [Fact]
    public async Task The_reply_draft_survives_a_reload()
    {
        var (page, conversation, _) = await OpenConversationAsync();
        var reply = page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        await reply.PressSequentiallyAsync("Half-written answer");
        await page.ReloadAsync();
        await page.Locator("textarea[data-draft-ready]").WaitForAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" })).ToHaveValueAsync("Half-written answer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator(".message.outgoing")).ToContainTextAsync("Half-written answer");
        await page.ReloadAsync();
        await page.Locator("textarea[data-draft-ready]").WaitForAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" })).ToHaveValueAsync("");
    }

    [Fact]
    public async Task Older_messages_load_when_scrolling_to_the_top()
    {
        using var admin = _server.AdminClient();
        var conversation = (await admin.CreateConversationAsync(_server.AccountId, "Chatty Customer", "message 0"))["id"]!.GetValue<int>();
        for (var i = 1; i <= 60; i++)
            await (await admin.PostAsync($"/api/v1/accounts/{_server.AccountId}/conversations/{conversation}/messages",
                HttpAssertions.Json(new { content = $"message {i}", message_type = i % 2 == 0 ? "incoming" : "outgoing" }))).ExpectAsync(HttpStatusCode.OK);
        var page = await browser.NewPageAsync(_server.BaseAddress, []);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{_server.AccountId}/conversations/{conversation}");
        await page.WaitForInteractiveAsync();
        var messages = page.Locator(".messages .message");
        await Expect(messages).ToHaveCountAsync(50);
        await Expect(messages.Last).ToContainTextAsync("message 60");
        await page.Locator(".messages").EvaluateAsync("pane => pane.scrollTop = 0");
        await Expect(messages).ToHaveCountAsync(61);
        await Expect(messages.First).ToContainTextAsync("message 0");
        await Expect(page.GetByText("Start of the conversation")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Scrolling_to_the_top_and_clicking_load_older_at_once_loads_each_page_once()
    {
        const int seeded = 2_100;
        using var admin = _server.AdminClient();
        var display = (await admin.CreateConversationAsync(_server.AccountId, "Long Thread", "message 0"))["id"]!.GetValue<int>();
        await _server.DbAsync(async db =>
        {
            var conversation = await db.Conversations.SingleAsync(c => c.DisplayId == display && c.AccountId == _server.AccountId);
            var start = DateTime.UtcNow.AddDays(-2);
            db.Messages.AddRange(Enumerable.Range(1, seeded).Select(i => new UniLink.Features.Messages.Message
            {
                AccountId = conversation.AccountId, InboxId = conversation.InboxId, ConversationId = conversation.Id,
                Content = $"message {i}", MessageType = UniLink.Features.Messages.MessageType.Incoming,
                SenderType = UniLink.Features.Messages.SenderTypes.Contact, SenderId = conversation.ContactId,
                CreatedAt = start.AddSeconds(i), UpdatedAt = start.AddSeconds(i),
            }));
            return await db.SaveChangesAsync();
        });
        var errors = new List<string>();
        var page = await browser.NewPageAsync(_server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/app/accounts/{_server.AccountId}/conversations/{display}");
        await page.WaitForInteractiveAsync();
        var messages = page.Locator(".messages .message");
        await Expect(messages).ToHaveCountAsync(50);
        var shown = 50;
        for (var round = 1; round <= 20; round++)
        {
            if (round % 2 == 0)
            {
                // The scroll-to-top loader has asked when the button is clicked: the click asks for the same page. The pane
                // is first scrolled away from the top (a page the button prepended leaves it at 0, and scrolling to where it
                // already is fires no scroll event); the wait for the event is bounded.
                await page.Locator(".messages").EvaluateAsync("pane => { pane.scrollTop = 200; }");
                await Expect(page.Locator(".messages")).ToHaveJSPropertyAsync("scrollTop", 200);
                await page.Locator(".messages").EvaluateAsync("""
                    pane => new Promise((done, fail) => {
                      const timer = setTimeout(() => fail(new Error('no scroll event')), 10000);
                      pane.addEventListener('scroll', () => setTimeout(() => { clearTimeout(timer); pane.querySelector('button.load-older').click(); done(); }), { once: true });
                      pane.scrollTop = 0;
                    })
                    """);
                await Expect(messages).ToHaveCountAsync(shown + 50);
            }
            else
            {
                // The click first, the scroll in the same moment (its event may come after the page arrived, and
                // then rightly asks for the next one).
                await page.Locator(".messages").EvaluateAsync("pane => { pane.scrollTop = 0; pane.querySelector('button.load-older').click(); }");
                await Expect(messages).Not.ToHaveCountAsync(shown);
            }
            int[] ids;
            var settled = DateTime.UtcNow.AddSeconds(30);
            do
            {
                ids = await messages.EvaluateAllAsync<int[]>("all => all.map(m => +m.dataset.messageId)");
                await Task.Delay(300);
            } while (await messages.CountAsync() != ids.Length && DateTime.UtcNow < settled);
            Assert.True(ids.Length is var n && n % 50 == 0 && n > shown, $"round {round}: {n} messages after {shown}");
            if (round % 2 == 0) Assert.Equal(shown + 50, ids.Length);
            shown = ids.Length;
            Assert.Equal(ids.Length, ids.Distinct().Count());
            Assert.Equal(ids.Order(), ids);
            // The newest messages, none left out.
            await Expect(messages.First.Locator(".content")).ToHaveTextAsync($"message {seeded + 1 - shown}");
            await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        }
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Settings_are_offered_to_administrators_only_and_the_account_name_is_shown()
    {
        var agent = await _server.CreateUserAsync(_server.AccountId, Roles.Agent);
        var adminPage = await browser.NewPageAsync(_server.BaseAddress, []);
        await adminPage.SignInAsAdminAsync();
        await adminPage.WaitForInteractiveAsync();
        var accountName = _server.Db(db => db.Accounts.Single(a => a.Id == _server.AccountId).Name);
        await Expect(adminPage.Locator(".topbar .account-name")).ToHaveTextAsync(accountName);
        await adminPage.Locator("nav.main-nav summary", new() { HasText = "Settings" }).ClickAsync();
        await Expect(adminPage.GetByRole(AriaRole.Link, new() { Name = "Agents" })).ToHaveAttributeAsync("href", $"/app/accounts/{_server.AccountId}/settings/agents");

        var agentPage = await browser.NewPageAsync(_server.BaseAddress, []);
        await agentPage.SignInAsync(agent.Email, agent.Password);
        await agentPage.WaitForInteractiveAsync();
        await Expect(agentPage.GetByRole(AriaRole.Heading, new() { Name = "Conversations", Level = 1 })).ToBeVisibleAsync();
        await Expect(agentPage.Locator("nav.main-nav summary", new() { HasText = "Settings" })).ToHaveCountAsync(0);
        await agentPage.Locator("summary[aria-label=\"User menu\"]").ClickAsync();
        await Expect(agentPage.GetByRole(AriaRole.Link, new() { Name = "Profile" })).ToHaveAttributeAsync("href", $"/app/accounts/{_server.AccountId}/profile");
    }

    [Fact]
    public async Task An_agent_with_two_accounts_switches_between_them()
    {
        var second = await _server.CreateAccountAsync("Second Shop", _server.Db(db => db.Users.Single(u => u.Email == UniLinkServer.AdminEmail).Id));
        var page = await browser.NewPageAsync(_server.BaseAddress, []);
        await page.SignInAsAdminAsync();
        await page.WaitForInteractiveAsync();
        await page.GetByLabel("Account", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Second Shop" });
        await page.WaitForAddressAsync(u => u.EndsWith($"/app/accounts/{second}/conversations"));
    }
}
