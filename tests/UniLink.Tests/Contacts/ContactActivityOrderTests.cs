using System.Net;
using Microsoft.EntityFrameworkCore;
using UniLink.Features.Contacts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Contacts;

/// <summary>
/// The contacts list's order (last active, or created when never active; then newest id) comes from the stored column
/// <see cref="Contact.ActivityAt"/>. Whatever writes a contact's activity or creation time — the API, a merge, EF, a bulk
/// update, plain SQL — the column and every page of the list follow.
/// </summary>
public sealed class ContactActivityOrderTests(SharedServer server) : AdminApiTests(server)
{
    [Fact]
    public async Task Every_write_of_a_contacts_activity_or_creation_time_reorders_every_page_of_the_list()
    {
        // An account of its own: the other tests' contacts do not move this list.
        var account = await _server.CreateAccountAsync("Activity order " + Guid.NewGuid().ToString("N")[..6], _server.AdminUserId);
        string A(string rest) => $"/api/v1/accounts/{account}/{rest}";
        var ids = new List<int>();
        for (var i = 0; i < 34; i++)
            ids.Add((await (await _admin.PostAsync(A("contacts"), Json(new { name = $"Order {i}", email = $"order{i}.{account}@example.com" })))
                .ExpectAsync(HttpStatusCode.OK))!["payload"]!["contact"]!["id"]!.GetValue<int>());
        await ExpectOrderAsync(account, A, "after the contacts were created");

        var at = DateTime.UtcNow;
        // EF on a tracked contact (as the merge and the seeding write it).
        await _server.DbAsync(async db =>
        {
            var c = await db.Contacts.FirstAsync(x => x.Id == ids[0]);
            c.LastActivityAt = at.AddDays(-400);
            return await db.SaveChangesAsync();
        });
        await ExpectOrderAsync(account, A, "after an EF update");
        // A bulk update.
        await _server.DbAsync(db => db.Contacts.Where(c => c.Id == ids[1] || c.Id == ids[2]).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastActivityAt, at.AddHours(2))));
        await ExpectOrderAsync(account, A, "after a bulk update");
        // Plain SQL, as a migration or an operator would write it; also the creation time.
        await _server.DbAsync(db => db.Database.ExecuteSqlAsync($"""UPDATE "Contacts" SET "CreatedAt" = {at.AddDays(-30)} WHERE "Id" = {ids[33]}"""));
        await _server.DbAsync(db => db.Database.ExecuteSqlAsync($"""UPDATE "Contacts" SET "LastActivityAt" = {at.AddHours(1)} WHERE "Id" = {ids[20]}"""));
        await ExpectOrderAsync(account, A, "after plain SQL");
        // Back to never active: the creation time orders it again.
        await _server.DbAsync(db => db.Contacts.Where(c => c.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastActivityAt, (DateTime?)null)));
        await ExpectOrderAsync(account, A, "after the activity was cleared");
        // The API's update (no time changes) and a merge (the base takes the mergee's newer activity).
        await (await _admin.PatchAsync(A($"contacts/{ids[5]}"), Json(new { name = "Renamed" }))).ExpectAsync(HttpStatusCode.OK);
        await _server.DbAsync(db => db.Contacts.Where(c => c.Id == ids[7]).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastActivityAt, at.AddHours(3))));
        await (await _admin.PostAsync(A("actions/contact_merge"), Json(new { base_contact_id = ids[6], mergee_contact_id = ids[7] }))).ExpectAsync(HttpStatusCode.OK);
        await ExpectOrderAsync(account, A, "after a merge");
        Assert.Equal(ids[6], await FirstIdAsync(A));
    }

    private async Task<int> FirstIdAsync(Func<string, string> a) =>
        (await (await _admin.GetAsync(a("contacts?page=1"))).ExpectAsync(HttpStatusCode.OK))!["payload"]![0]!["id"]!.GetValue<int>();

    /// <summary>The column equals its sources for every contact, and pages 1-3 (the later ones read ids first) list them in their order.</summary>
    private async Task ExpectOrderAsync(int account, Func<string, string> a, string after)
    {
        var rows = await _server.DbAsync(db => db.Contacts.AsNoTracking().Where(c => c.AccountId == account)
            .Select(c => new { c.Id, c.LastActivityAt, c.CreatedAt, Stored = EF.Property<DateTime>(c, Contact.ActivityAt) }).ToListAsync());
        foreach (var r in rows) Assert.True(r.Stored == (r.LastActivityAt ?? r.CreatedAt), $"contact {r.Id}'s stored activity {after}");
        var expected = rows.OrderByDescending(r => r.LastActivityAt ?? r.CreatedAt).ThenByDescending(r => r.Id).Select(r => r.Id).ToList();
        var listed = new List<int>();
        for (var page = 1; page <= 3; page++)
        {
            var body = (await (await _admin.GetAsync(a($"contacts?page={page}"))).ExpectAsync(HttpStatusCode.OK))!;
            Assert.Equal(rows.Count, body["meta"]!["count"]!.GetValue<int>());
            listed.AddRange(body["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()));
        }
        Assert.True(expected.SequenceEqual(listed), $"the list's order {after}: expected {string.Join(",", expected)}, listed {string.Join(",", listed)}");
    }
}
