using System.Net;
using System.Text.Json.Nodes;
using UniLink.Features.Accounts;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Contacts;

public sealed class ContactNotesAndLabelsTests(SharedServer server) : AdminApiTests(server)
{
    [Fact]
    public async Task Notes_are_written_listed_newest_first_changed_and_deleted_with_their_author()
    {
        var contact = (await _admin.CreateContactAsync(_account, "Noted Contact"))["id"]!.GetValue<int>();
        var agent = await _server.CreateUserAsync(_account, name: "Note Writer");
        var client = _server.Client(agent.Token);
        var first = await (await client.PostAsync(P($"contacts/{contact}/notes"), Json(new { note = new { content = "Prefers email" } }))).ExpectAsync(HttpStatusCode.OK);
        var second = await (await _admin.PostAsync(P($"contacts/{contact}/notes"), Json(new { content = "VIP since 2020" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Note Writer", first!["user"]!["name"]!.GetValue<string>());
        Assert.Equal(contact, first["contact_id"]!.GetValue<int>());
        Assert.Equal(_account, first["account_id"]!.GetValue<int>());

        var list = (await (await client.GetAsync(P($"contacts/{contact}/notes"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal([second!["id"]!.GetValue<int>(), first["id"]!.GetValue<int>()], list.Select(n => n!["id"]!.GetValue<int>()));

        var id = first["id"]!.GetValue<int>();
        var changed = await (await client.PatchAsync(P($"contacts/{contact}/notes/{id}"), Json(new { content = "Prefers phone" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Prefers phone", changed!["content"]!.GetValue<string>());
        Assert.Equal("Prefers phone", (await (await client.GetAsync(P($"contacts/{contact}/notes/{id}"))).ExpectAsync(HttpStatusCode.OK))!["content"]!.GetValue<string>());
        await (await client.PostAsync(P($"contacts/{contact}/notes"), Json(new { content = " " })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Content can't be blank","attributes":["content"]}""");
        await (await client.DeleteAsync(P($"contacts/{contact}/notes/{id}"))).ExpectAsync(HttpStatusCode.OK);
        await (await client.GetAsync(P($"contacts/{contact}/notes/{id}"))).ExpectAsync(HttpStatusCode.NotFound);

        // Another account's administrator, also a member here, reaches nothing through their own account.
        var other = await _server.CreateAccountAsync("Notes elsewhere");
        var both = await _server.CreateUserAsync(_account, Roles.Administrator);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = other, UserId = both.Id, Role = Roles.Administrator, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var outsider = _server.Client(both.Token);
        await (await outsider.GetAsync($"/api/v1/accounts/{other}/contacts/{contact}/notes")).ExpectAsync(HttpStatusCode.NotFound);
        await (await outsider.PostAsync($"/api/v1/accounts/{other}/contacts/{contact}/notes", Json(new { content = "x" }))).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Contact_labels_are_replaced_and_listed()
    {
        var contact = (await _admin.CreateContactAsync(_account, "Labelled Contact"))["id"]!.GetValue<int>();
        var set = await (await _admin.PostAsync(P($"contacts/{contact}/labels"), Json(new { labels = new[] { "VIP", "billing", "vip" } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""["billing","vip"]""", set!["payload"]!.ToJsonString());
        await (await _admin.PostAsync(P($"contacts/{contact}/labels"), Json(new { labels = new[] { "returns" } }))).ExpectAsync(HttpStatusCode.OK);
        var list = await (await _admin.GetAsync(P($"contacts/{contact}/labels"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""["returns"]""", list!["payload"]!.ToJsonString());
        await (await _admin.PostAsync(P($"contacts/{contact}/labels"), Json(new { labels = new[] { "no spaces" } })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Label 'no spaces' may only contain letters, digits, '-' and '_'","attributes":["labels"]}""");
        await (await _admin.GetAsync(P("contacts/999999/labels"))).ExpectAsync(HttpStatusCode.NotFound);
    }
}
