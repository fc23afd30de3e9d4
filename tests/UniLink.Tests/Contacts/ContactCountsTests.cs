using System.Net;
using Microsoft.EntityFrameworkCore;
using UniLink.Features.Contacts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Contacts;

/// <summary>
/// The unfiltered contacts list's <c>meta.count</c> is the count the database keeps per account (<see cref="ContactCount"/>,
/// kept by triggers): after every way a contact is created, moved, merged or deleted — the API, the client API, EF, a bulk
/// insert, plain SQL, a bulk delete, an account's deletion — it equals a recount of the contacts, in every account, and pages 1
/// and 2 of the list answer it.
/// </summary>
public sealed class ContactCountsTests(SharedServer server) : AdminApiTests(server)
{
    [Fact]
    public async Task Kept_contact_counts_equal_a_recount_after_every_kind_of_write_in_two_accounts()
    {
        var account = await _server.CreateAccountAsync("Contact counts " + Guid.NewGuid().ToString("N")[..6], _server.AdminUserId);
        var second = await _server.CreateAccountAsync("Contact counts second " + Guid.NewGuid().ToString("N")[..6], _server.AdminUserId);
        string A(int acc, string rest) => $"/api/v1/accounts/{acc}/{rest}";
        await ExpectCountsAsync("no contacts yet", account, second);

        // The API, in both accounts.
        var ids = new List<int>();
        for (var i = 0; i < 5; i++) ids.Add((await _admin.CreateContactAsync(account, $"Counted {i}", $"counted{i}.{account}@example.com"))["id"]!.GetValue<int>());
        var inSecond = (await _admin.CreateContactAsync(second, "Second's one"))["id"]!.GetValue<int>();
        await ExpectCountsAsync("creating through the API", account, second);

        // The client API: a visitor of an API inbox becomes a contact.
        var apiInbox = await (await _admin.PostAsync(A(account, "inboxes"), Json(new { name = "Counted API", channel = new { type = "api" } }))).ExpectAsync(HttpStatusCode.OK);
        using var anonymous = _server.Client();
        await (await anonymous.PostAsync($"/public/api/v1/inboxes/{apiInbox!["inbox_identifier"]!.GetValue<string>()}/contacts", Json(new { name = "Visitor" })))
            .ExpectAsync(HttpStatusCode.OK);
        await ExpectCountsAsync("the client API's new contact", account, second);

        // EF, several rows in one SaveChanges (one statement on PostgreSQL), in both accounts at once.
        var now = DateTime.UtcNow;
        await _server.DbAsync(db =>
        {
            db.Contacts.AddRange(Enumerable.Range(0, 4).Select(i => new Contact { AccountId = i % 2 == 0 ? account : second, Name = $"EF {i}", CreatedAt = now, UpdatedAt = now }));
            return db.SaveChangesAsync();
        });
        await ExpectCountsAsync("an EF insert of several contacts", account, second);

        const string empty = "{}";
        // Plain SQL: one statement inserting two rows, and a contact moved to the other account.
        await _server.DbAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Contacts" ("AccountId", "Name", "Thumbnail", "Blocked", "AdditionalAttributes", "CustomAttributes", "CreatedAt", "UpdatedAt")
            VALUES ({account}, 'SQL one', '', {false}, {empty}, {empty}, {now}, {now}), ({second}, 'SQL two', '', {false}, {empty}, {empty}, {now}, {now})
            """));
        await ExpectCountsAsync("a plain SQL insert", account, second);
        await _server.DbAsync(db => db.Database.ExecuteSqlAsync($"""UPDATE "Contacts" SET "AccountId" = {second} WHERE "Id" = {ids[4]}"""));
        await _server.DbAsync(db => db.Contacts.Where(c => c.Id == ids[3]).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "Renamed in bulk")));
        await (await _admin.PatchAsync(A(account, $"contacts/{ids[2]}"), Json(new { name = "Renamed" }))).ExpectAsync(HttpStatusCode.OK);
        await ExpectCountsAsync("moving a contact to another account and updates that move none", account, second);

        // A merge (the mergee goes), the API's delete (with its conversation), a bulk delete.
        await (await _admin.PostAsync(A(account, "actions/contact_merge"), Json(new { base_contact_id = ids[0], mergee_contact_id = ids[1] }))).ExpectAsync(HttpStatusCode.OK);
        await ExpectCountsAsync("a merge", account, second);
        var inbox = await _admin.CreateInboxAsync(account, "Counted inbox");
        await (await _admin.PostAsync(A(account, "conversations"), Json(new { inbox_id = inbox, contact_id = ids[2] }))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.DeleteAsync(A(account, $"contacts/{ids[2]}"))).ExpectAsync(HttpStatusCode.OK);
        await (await _admin.DeleteAsync(A(second, $"contacts/{inSecond}"))).ExpectAsync(HttpStatusCode.OK);
        await ExpectCountsAsync("deleting contacts through the API", account, second);
        await _server.DbAsync(db => db.Contacts.Where(c => c.AccountId == account && c.Name!.StartsWith("EF ")).ExecuteDeleteAsync());
        await ExpectCountsAsync("a bulk delete", account, second);

        // The second account deleted with its contacts: its count goes with it, the first one's stays.
        await _server.DbAsync(db => Features.Platform.AccountDeletion.DeleteAsync(db, second));
        Assert.Empty(_server.Db(db => db.ContactCounts.Where(k => k.AccountId == second).ToList()));
        await ExpectCountsAsync("deleting the second account", account);
    }

    /// <summary>Every account's kept count equals a recount; the given accounts' lists answer it.</summary>
    private async Task ExpectCountsAsync(string after, params int[] accounts)
    {
        var (kept, recount) = await _server.DbAsync(async db => (
            await db.ContactCounts.Where(k => k.Count != 0).OrderBy(k => k.AccountId).Select(k => $"{k.AccountId}:{k.Count}").ToListAsync(),
            await db.Contacts.GroupBy(c => c.AccountId).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}").ToListAsync()));
        Assert.True(recount.SequenceEqual(kept), $"after {after}: kept {string.Join(" ", kept)}, the contacts hold {string.Join(" ", recount)}");
        foreach (var account in accounts)
        {
            var walked = _server.Db(db => db.Contacts.Count(c => c.AccountId == account));
            var list = (await (await _admin.GetAsync($"/api/v1/accounts/{account}/contacts?page=1")).ExpectAsync(HttpStatusCode.OK))!;
            Assert.True(walked == list["meta"]!["count"]!.GetValue<int>(), $"after {after}: the list of account {account} says {list["meta"]!["count"]}, the contacts hold {walked}");
            var page2 = (await (await _admin.GetAsync($"/api/v1/accounts/{account}/contacts?page=2")).ExpectAsync(HttpStatusCode.OK))!;
            Assert.Equal(walked, page2["meta"]!["count"]!.GetValue<int>());
        }
    }
}
