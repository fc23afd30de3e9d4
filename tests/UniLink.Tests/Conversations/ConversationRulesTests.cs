using Microsoft.EntityFrameworkCore;
using UniLink.Features.Conversations;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Conversations;

public sealed class ConversationRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private Actor Admin => Actor.Agent(_server.AdminUserId, "Admin");

    private Task<WriteResult<Conversation>> CreateAsync(int account, ConversationInput input) =>
        WithAsync<ConversationService, WriteResult<Conversation>>(s => s.CreateAsync(account, input, Admin));

    [Fact]
    public async Task A_conversation_needs_the_accounts_inbox_contact_and_assignee_a_known_status_and_a_message_with_content()
    {
        var other = await OtherAccountAsync();
        var inbox = await _admin.CreateInboxAsync(_account, "Rules");
        var contact = (await _admin.CreateContactAsync(_account, "Rules contact"))["id"]!.GetValue<int>();
        var otherInbox = await _admin.CreateInboxAsync(other, "Elsewhere");
        var otherContact = (await _admin.CreateContactAsync(other, "Elsewhere contact"))["id"]!.GetValue<int>();
        var outsider = (await _server.CreateUserAsync(null)).Id;
        int Count() => _server.Db(db => db.Conversations.Count(c => c.AccountId == _account || c.AccountId == other));
        var before = Count();
        ConversationInput Input(int inboxId, int contactId) => new(inboxId, contactId, null, null, null, null, null, null);

        AssertRefused(await CreateAsync(_account, Input(inbox, contact) with { Status = "closed" }), "status");
        AssertRefused(await CreateAsync(_account, Input(otherInbox, contact)), "inbox_id");
        AssertRefused(await CreateAsync(_account, Input(inbox, otherContact)), "contact_id");
        AssertRefused(await CreateAsync(_account, Input(inbox, contact) with { AssigneeId = outsider }), "assignee_id");
        AssertRefused(await CreateAsync(_account, Input(inbox, contact) with { Message = new MessageInput(" ", "outgoing", false, "text", null, null, []) }), "content");
        Assert.Equal(before, Count());

        var created = Assert.IsType<WriteResult<Conversation>.Done>(await CreateAsync(other, Input(otherInbox, otherContact) with
        {
            Status = "pending", Message = new MessageInput("Hello", "outgoing", false, "text", null, null, []),
        })).Value;
        Assert.Equal((other, ConversationStatus.Pending), (created.AccountId, created.Status));
        Assert.Equal(["Hello"], _server.Db(db => db.Messages.Where(m => m.ConversationId == created.Id && m.MessageType == MessageType.Outgoing).Select(m => m.Content).ToList()));
    }

    [Fact]
    public async Task Priority_and_assignee_follow_the_rules_and_a_refusal_changes_nothing()
    {
        var other = await OtherAccountAsync();
        var display = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        Conversation Load() => _server.Db(db => db.Conversations.AsNoTracking().Include(c => c.Contact).Single(c => c.AccountId == _account && c.DisplayId == display));
        var outsider = (await _server.CreateUserAsync(null)).Id;
        var elsewhere = (await _server.CreateUserAsync(other)).Id;

        AssertRefused(await WithAsync<ConversationService, WriteResult<Conversation>>(s => s.SetPriorityAsync(Load(), "critical", Admin)), "priority");
        AssertRefused(await WithAsync<ConversationService, WriteResult<Conversation>>(s => s.AssignAsync(Load(), Assignment.Agent(outsider), Admin)), "assignee_id");
        AssertRefused(await WithAsync<ConversationService, WriteResult<Conversation>>(s => s.AssignAsync(Load(), Assignment.Agent(elsewhere), Admin)), "assignee_id");
        Assert.Equal((null, null), (Load().Priority, Load().AssigneeId));

        Assert.IsType<WriteResult<Conversation>.Done>(await WithAsync<ConversationService, WriteResult<Conversation>>(s => s.SetPriorityAsync(Load(), "urgent", Admin)));
        Assert.IsType<WriteResult<Conversation>.Done>(await WithAsync<ConversationService, WriteResult<Conversation>>(s => s.AssignAsync(Load(), Assignment.Agent(_server.AdminUserId), Admin)));
        Assert.Equal(("urgent", (int?)_server.AdminUserId), (Load().Priority, Load().AssigneeId));
    }

    [Fact]
    public async Task Toggle_status_takes_a_known_status_and_a_valid_snooze_time_and_without_a_status_resolves_or_reopens()
    {
        var display = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        Conversation Load() => _server.Db(db => db.Conversations.AsNoTracking().Single(c => c.AccountId == _account && c.DisplayId == display));
        Task<WriteResult<Conversation>> Toggle(string? status, long? until = null) =>
            WithAsync<ConversationService, WriteResult<Conversation>>(s => s.ToggleStatusAsync(Load(), new StatusChange(status, until), Admin));

        AssertRefused(await Toggle("archived"), "status");
        AssertRefused(await Toggle("snoozed", -5), "snoozed_until");
        AssertRefused(await Toggle("snoozed", 253402300800), "snoozed_until");
        Assert.Equal((ConversationStatus.Open, (DateTime?)null), (Load().Status, Load().SnoozedUntil));

        Assert.Equal(ConversationStatus.Resolved, Assert.IsType<WriteResult<Conversation>.Done>(await Toggle(null)).Value.Status);
        Assert.Equal(ConversationStatus.Open, Assert.IsType<WriteResult<Conversation>.Done>(await Toggle(null)).Value.Status);
        Assert.Equal(ConversationStatus.Pending, Assert.IsType<WriteResult<Conversation>.Done>(await Toggle("pending")).Value.Status);
        Assert.Equal(ConversationStatus.Open, Assert.IsType<WriteResult<Conversation>.Done>(await Toggle(null)).Value.Status);
        var until = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await Toggle("snoozed", until.ToUnixTimeSeconds());
        Assert.Equal((ConversationStatus.Snoozed, (DateTime?)until.UtcDateTime), (Load().Status, Load().SnoozedUntil));
    }

    [Fact]
    public async Task A_contact_resolves_their_conversation_and_never_reopens_it()
    {
        var display = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        Conversation Load() => _server.Db(db => db.Conversations.AsNoTracking().Include(c => c.Contact).Single(c => c.AccountId == _account && c.DisplayId == display));
        var id = Load().Id;
        int Activities() => _server.Db(db => db.Messages.Count(m => m.ConversationId == id && m.MessageType == MessageType.Activity));
        var contact = Actor.Contact(Load().Contact);

        Assert.Equal(ConversationStatus.Resolved, (await WithAsync<ConversationService, Conversation>(s => s.ResolveForContactAsync(Load(), contact))).Status);
        var activities = Activities();
        Assert.Equal(ConversationStatus.Resolved, (await WithAsync<ConversationService, Conversation>(s => s.ResolveForContactAsync(Load(), contact))).Status);
        Assert.Equal((ConversationStatus.Resolved, activities), (Load().Status, Activities()));
    }
}
