using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using UniLink.Features.Contacts;
using UniLink.Features.Conversations;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Conversations;

/// <summary>
/// A later page of the conversation and contact lists (read as its ids first, then those rows) is the same slice of
/// the whole list in its order — newest activity first, then newest id, so rows with the same time page by id — and
/// each conversation on it is the same JSON as its show.
/// </summary>
public sealed class LaterPageTests(SharedServer server) : AdminApiTests(server)
{
    [Fact]
    public async Task A_later_conversations_page_is_the_same_slice_of_the_whole_ordered_list_ties_by_id_included()
    {
        // An account of its own: 130 conversations besides the first, in groups of seven with the same last activity,
        // open and resolved, some assigned, some labelled, some with messages.
        var account = await _server.CreateAccountAsync("Later pages " + Guid.NewGuid().ToString("N")[..6], _server.AdminUserId);
        var adminId = _server.AdminUserId;
        var first = (await _admin.CreateConversationAsync(account, "Paging Customer"))["id"]!.GetValue<int>();
        await _server.DbAsync(async db =>
        {
            var template = await db.Conversations.AsNoTracking().SingleAsync(c => c.AccountId == account && c.DisplayId == first);
            var added = Enumerable.Range(1, 130).Select(i => new Conversation
            {
                AccountId = account, DisplayId = first + i, InboxId = template.InboxId, ContactId = template.ContactId,
                Status = i % 3 == 0 ? ConversationStatus.Resolved : ConversationStatus.Open, AssigneeId = i % 4 == 0 ? adminId : null,
                // Ties: the newest ids do not come first by time within a group.
                LastActivityAt = template.LastActivityAt.AddMinutes(-(i / 7) * 10), CreatedAt = template.CreatedAt, UpdatedAt = template.UpdatedAt,
            }).ToList();
            db.Conversations.AddRange(added);
            await db.SaveChangesAsync();
            foreach (var c in added.Where(c => c.DisplayId % 5 == 0)) db.ConversationLabels.Add(new ConversationLabel { ConversationId = c.Id, Title = "later" });
            foreach (var c in added.Where(c => c.DisplayId % 2 == 0))
                db.Messages.Add(new Features.Messages.Message
                {
                    AccountId = account, InboxId = template.InboxId, ConversationId = c.Id, MessageType = Features.Messages.MessageType.Incoming,
                    Content = $"Message of {c.DisplayId}", CreatedAt = template.CreatedAt, UpdatedAt = template.UpdatedAt,
                });
            return await db.SaveChangesAsync();
        });
        var rows = await _server.DbAsync(db => db.Conversations.AsNoTracking().Where(c => c.AccountId == account)
            .Select(c => new { c.Id, c.DisplayId, c.Status, c.AssigneeId, c.LastActivityAt, Labelled = c.Labels.Any(l => l.Title == "later") }).ToListAsync());
        var ordered = rows.OrderByDescending(r => r.LastActivityAt).ThenByDescending(r => r.Id).ToList();
        Assert.Contains(ordered.Zip(ordered.Skip(1)), p => p.First.LastActivityAt == p.Second.LastActivityAt && p.First.DisplayId > p.Second.DisplayId);

        var lists = new (string Query, Func<int, bool> Has)[]
        {
            ("status=all", _ => true),
            ("status=open", i => rows.Single(r => r.DisplayId == i).Status == ConversationStatus.Open),
            ("status=all&assignee_type=unassigned", i => rows.Single(r => r.DisplayId == i).AssigneeId is null),
            ("status=all&assignee_type=me", i => rows.Single(r => r.DisplayId == i).AssigneeId == adminId),
            ("status=all&labels=later", i => rows.Single(r => r.DisplayId == i).Labelled),
        };
        var a = $"/api/v1/accounts/{account}";
        foreach (var (query, has) in lists)
        {
            var expected = ordered.Select(r => r.DisplayId).Where(has).ToList();
            var listed = new List<int>();
            for (var page = 1; ; page++)
            {
                var payload = await PayloadAsync($"{a}/conversations?{query}&page={page}");
                if (payload.Count == 0) break;
                listed.AddRange(payload.Select(c => c!["id"]!.GetValue<int>()));
                Assert.True(page < 10, query);
            }
            Assert.True(expected.SequenceEqual(listed), $"{query}: expected {string.Join(",", expected)}, listed {string.Join(",", listed)}");
        }

        // A deep page on its own: the same slice, each conversation as its show answers it, byte for byte.
        var third = await PayloadAsync($"{a}/conversations?status=all&page=3");
        Assert.Equal(ordered.Skip(50).Take(25).Select(r => r.DisplayId), third.Select(c => c!["id"]!.GetValue<int>()));
        Assert.Contains(third, c => c!["labels"]!.AsArray().Count > 0);
        Assert.Contains(third, c => c!["meta"]!["assignee"] is JsonObject);
        Assert.Contains(third, c => c!["unread_count"]!.GetValue<int>() > 0);
        foreach (var c in third)
        {
            var shown = await (await _admin.GetAsync($"{a}/conversations/{c!["id"]}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(shown!.ToJsonString(), c.ToJsonString());
        }
        Assert.Empty(await PayloadAsync($"{a}/conversations?status=all&page=7"));

        // The filter endpoint pages the same way.
        var filter = await (await _admin.PostAsync($"{a}/conversations/filter?page=4", Json(new
        {
            payload = new[] { new { attribute_key = "status", filter_operator = "equal_to", values = new[] { "all" }, query_operator = (string?)null } },
        }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(ordered.Skip(75).Take(25).Select(r => r.DisplayId), filter!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_later_contacts_page_is_the_same_slice_of_the_whole_ordered_list_ties_by_id_included()
    {
        var account = await _server.CreateAccountAsync("Later contacts " + Guid.NewGuid().ToString("N")[..6], _server.AdminUserId);
        var at = DateTime.UtcNow.AddDays(-1);
        await _server.DbAsync(async db =>
        {
            // In groups of four with the same activity (never active: their creation time orders them).
            db.Contacts.AddRange(Enumerable.Range(0, 70).Select(i => new Contact
            {
                AccountId = account, Name = $"Paged {i}", CreatedAt = at.AddMinutes(-(i / 4)), UpdatedAt = at,
                LastActivityAt = i % 3 == 0 ? null : at.AddMinutes(-(i / 4)),
            }));
            return await db.SaveChangesAsync();
        });
        var ordered = await _server.DbAsync(db => db.Contacts.AsNoTracking().Where(c => c.AccountId == account)
            .Select(c => new { c.Id, At = c.LastActivityAt ?? c.CreatedAt }).ToListAsync());
        var expected = ordered.OrderByDescending(c => c.At).ThenByDescending(c => c.Id).Select(c => c.Id).ToList();
        var a = $"/api/v1/accounts/{account}";
        var listed = new List<int>();
        for (var page = 1; page <= 6; page++)
        {
            var body = await (await _admin.GetAsync($"{a}/contacts?page={page}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(70, body!["meta"]!["count"]!.GetValue<int>());
            listed.AddRange(body["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()));
        }
        Assert.True(expected.SequenceEqual(listed), $"expected {string.Join(",", expected)}, listed {string.Join(",", listed)}");
        // Pages 2 and 3 are read from the newest end, 4 and 5 (past the middle) from the oldest; 5 is the last, short.
        foreach (var page in new[] { 2, 4, 5 })
        {
            var alone = await (await _admin.GetAsync($"{a}/contacts?page={page}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(expected.Skip((page - 1) * ContactReader.PageSize).Take(ContactReader.PageSize), alone!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()));
        }
    }

    private async Task<JsonArray> PayloadAsync(string url) =>
        (await (await _admin.GetAsync(url)).ExpectAsync(HttpStatusCode.OK))!["data"]!["payload"]!.AsArray();
}
