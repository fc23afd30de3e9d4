using Microsoft.EntityFrameworkCore;
using UniLink.Features.Attachments;
using UniLink.Features.Conversations;
using UniLink.Features.Messages;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Messages;

public sealed class MessageRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private static MessageInput Input(string? content, string? type = null, string contentType = "text", IReadOnlyList<StagedFile>? files = null) =>
        new(content, type, false, contentType, null, null, files ?? []);

    [Fact]
    public void Content_may_be_blank_only_beside_files_and_type_and_content_type_are_the_references()
    {
        Assert.Equal("content", MessageService.Problem(Input("  "))!.Field);
        Assert.Null(MessageService.Problem(Input(null, files: [new StagedFile("x.txt", "txt", "text/plain", AttachmentFileType.File, 1, "/tmp/x")])));
        Assert.Equal("message_type", MessageService.Problem(Input("Hi", "broadcast"))!.Field);
        Assert.Equal("content_type", MessageService.Problem(Input("Hi", contentType: "html"))!.Field);
        foreach (var type in new[] { null, "outgoing", "1", "incoming", "0", "template", "3" }) Assert.Null(MessageService.Problem(Input("Hi", type)));
    }

    [Fact]
    public async Task A_refused_message_writes_nothing_and_an_incoming_one_is_the_contacts_whoever_posts_it()
    {
        var display = (await _admin.CreateConversationAsync(_account))["id"]!.GetValue<int>();
        var conversation = await _server.DbAsync(db => db.Conversations.AsNoTracking().Include(c => c.Contact)
            .SingleAsync(c => c.AccountId == _account && c.DisplayId == display));
        int Count() => _server.Db(db => db.Messages.Count(m => m.ConversationId == conversation.Id));
        var before = Count();
        var agent = Actor.Agent(_server.AdminUserId, "Admin");

        AssertRefused(await WithAsync<MessageService, WriteResult<Message>>(s => s.CreateAsync(conversation, Input(""), agent)), "content");
        AssertRefused(await WithAsync<MessageService, WriteResult<Message>>(s => s.CreateAsync(conversation, Input("Hi", "fax"), agent)), "message_type");
        Assert.Equal(before, Count());

        var incoming = Assert.IsType<WriteResult<Message>.Done>(
            await WithAsync<MessageService, WriteResult<Message>>(s => s.CreateAsync(conversation, Input("From the customer", "incoming"), agent))).Value;
        Assert.Equal((SenderTypes.Contact, conversation.ContactId), (incoming.SenderType, incoming.SenderId));
        var reply = Assert.IsType<WriteResult<Message>.Done>(
            await WithAsync<MessageService, WriteResult<Message>>(s => s.CreateAsync(conversation, Input("From the agent"), agent))).Value;
        Assert.Equal((SenderTypes.User, (int?)_server.AdminUserId, MessageType.Outgoing), (reply.SenderType, reply.SenderId, reply.MessageType));
        Assert.Equal(before + 2, Count());
    }
}
