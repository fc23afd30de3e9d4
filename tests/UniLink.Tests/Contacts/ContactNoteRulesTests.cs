using UniLink.Features.Contacts;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Contacts;

public sealed class ContactNoteRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    [Fact]
    public async Task A_note_has_content_and_lives_with_its_contact_in_its_account()
    {
        var other = await OtherAccountAsync();
        var contact = Assert.IsType<WriteResult<Contact>.Done>(await WithAsync<ContactService, WriteResult<Contact>>(s =>
            s.CreateAsync(_account, new ContactInput(new HashSet<string> { "name" }, "Noted")))).Value;
        Task<WriteResult<ContactNote>> CreateAsync(int account, int contactId, string? content) =>
            WithAsync<ContactNoteService, WriteResult<ContactNote>>(s => s.CreateAsync(account, contactId, _server.AdminUserId, new ContactNoteInput(content)));

        AssertRefused(await CreateAsync(_account, contact.Id, null), "content");
        AssertRefused(await CreateAsync(_account, contact.Id, " \n "), "content");
        Assert.IsType<WriteResult<ContactNote>.Missing>(await CreateAsync(other, contact.Id, "in the wrong account"));
        var note = Assert.IsType<WriteResult<ContactNote>.Done>(await CreateAsync(_account, contact.Id, "Prefers e-mail")).Value;
        Assert.Equal(_server.AdminUserId, note.User!.Id);

        AssertRefused(await WithAsync<ContactNoteService, WriteResult<ContactNote>>(s => s.UpdateAsync(_account, contact.Id, note.Id, new ContactNoteInput(""))), "content");
        Assert.IsType<WriteResult<ContactNote>.Missing>(await WithAsync<ContactNoteService, WriteResult<ContactNote>>(s => s.UpdateAsync(other, contact.Id, note.Id, new ContactNoteInput("taken"))));
        Assert.IsType<WriteResult<ContactNote>.Missing>(await WithAsync<ContactNoteService, WriteResult<ContactNote>>(s => s.DeleteAsync(other, contact.Id, note.Id)));
        Assert.Equal("Prefers e-mail", _server.Db(db => db.ContactNotes.Single(n => n.Id == note.Id).Content));
        Assert.IsType<WriteResult<ContactNote>.Done>(await WithAsync<ContactNoteService, WriteResult<ContactNote>>(s => s.DeleteAsync(_account, contact.Id, note.Id)));
        Assert.Null(await WithAsync<ContactNoteService, ContactNote?>(s => s.FindAsync(_account, contact.Id, note.Id)));
    }
}
