using System.Net;
using Microsoft.EntityFrameworkCore;
using UniLink.Features.Accounts;
using UniLink.Features.Contacts;
using UniLink.Features.Conversations;
using UniLink.Infrastructure.Db;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Conversations;

/// <summary>
/// A deep page of the conversation and contact lists seeks the week it starts in from the counts the database keeps per
/// week of last activity (<see cref="ConversationWeekCount"/>, <see cref="ContactWeekCount"/>, kept by triggers) and walks
/// only from there: here every later page does (<see cref="ActivityWeeks.SeekFrom"/> 0). Each page must be the slice the
/// offset gives of the whole ordered list — after writes that move conversations and contacts between weeks (a new
/// message, an update, a bulk update, a delete, a move to another account) — for an administrator and for an agent who
/// works one inbox, on every filter the week counts know, and a second account the same user works in never counts.
/// </summary>
public sealed class DeepPageTests(SharedServer server) : AdminApiTests(server)
{
    private sealed record Row(int Id, int DisplayId, int AccountId, int InboxId, ConversationStatus Status, int? AssigneeId, int? TeamId, DateTime LastActivityAt);

    [Fact]
    public async Task Deep_conversation_pages_equal_the_offset_slice_after_writes_that_move_conversations_between_weeks()
    {
        var owner = await _server.CreateUserAsync(null, name: "Deep Owner");
        var account = await _server.CreateAccountAsync("Deep pages " + Guid.NewGuid().ToString("N")[..6], owner.Id);
        var agent = await _server.CreateUserAsync(account, Roles.Agent, "Deep Agent");
        using var admin = _server.Client(owner.Token);
        using var agentClient = _server.Client(agent.Token);
        var a = $"/api/v1/accounts/{account}";
        var inbox1 = await admin.CreateInboxAsync(account, "Deep one");
        var inbox2 = await admin.CreateInboxAsync(account, "Deep two");
        await admin.AddInboxMemberAsync(account, inbox1, agent.Id);
        var team = (await (await admin.PostAsync($"{a}/teams", Json(new { name = "Deep team" }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var contact = (await admin.CreateContactAsync(account, "Deep Contact"))["id"]!.GetValue<int>();

        // The second account: the agent administers it, its conversations are assigned to the agent and interleave in time.
        var second = await _server.CreateAccountAsync("Deep second " + Guid.NewGuid().ToString("N")[..6], owner.Id);
        await _server.DbAsync(async db =>
        {
            db.AccountUsers.Add(new AccountUser { AccountId = second, UserId = agent.Id, Role = Roles.Administrator, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var secondInbox = await admin.CreateInboxAsync(second, "Deep second inbox");
        var secondContact = (await admin.CreateContactAsync(second, "Second Deep Contact"))["id"]!.GetValue<int>();

        // 160 conversations over 20 weeks, in groups of four with the same last activity (ties page by id), and 60 in the second account.
        var now = DateTime.UtcNow;
        await _server.DbAsync(async db =>
        {
            db.Conversations.AddRange(Enumerable.Range(0, 160).Select(i => new Conversation
            {
                AccountId = account, DisplayId = 1000 + i, InboxId = i % 3 == 0 ? inbox2 : inbox1, ContactId = contact,
                Status = (ConversationStatus)(i % 7 % 4), AssigneeId = (i % 5) switch { 0 => owner.Id, 1 or 2 => agent.Id, _ => null },
                TeamId = i % 4 == 0 ? team : null, LastActivityAt = now.AddHours(-(i / 4) * 21), CreatedAt = now, UpdatedAt = now,
            }));
            db.Conversations.AddRange(Enumerable.Range(0, 60).Select(i => new Conversation
            {
                AccountId = second, DisplayId = 1000 + i, InboxId = secondInbox, ContactId = secondContact, Status = (ConversationStatus)(i % 2),
                AssigneeId = agent.Id, LastActivityAt = now.AddHours(-i * 13), CreatedAt = now, UpdatedAt = now,
            }));
            return await db.SaveChangesAsync();
        });

        var filters = new (string Query, Func<Row, int, bool> Has)[]
        {
            ("status=all", (_, _) => true),
            ("status=open", (r, _) => r.Status == ConversationStatus.Open),
            ("status=resolved", (r, _) => r.Status == ConversationStatus.Resolved),
            ("status=all&assignee_type=me", (r, me) => r.AssigneeId == me),
            ("status=all&assignee_type=unassigned", (r, _) => r.AssigneeId is null),
            ("status=all&assignee_type=assigned", (r, _) => r.AssigneeId is not null),
            ("status=open&assignee_type=me", (r, me) => r.Status == ConversationStatus.Open && r.AssigneeId == me),
            ($"status=all&inbox_id={inbox2}", (r, _) => r.InboxId == inbox2),
            ($"status=all&team_id={team}", (r, _) => r.TeamId == team),
        };
        async Task Check(string after)
        {
            var rows = await _server.DbAsync(db => db.Conversations.AsNoTracking().Where(c => c.AccountId == account)
                .Select(c => new Row(c.Id, c.DisplayId, c.AccountId, c.InboxId, c.Status, c.AssigneeId, c.TeamId, c.LastActivityAt)).ToListAsync());
            var ordered = rows.OrderByDescending(r => r.LastActivityAt).ThenByDescending(r => r.Id).ToList();
            foreach (var (client, userId, limited) in new[] { (admin, owner.Id, false), (agentClient, agent.Id, true) })
                foreach (var (query, has) in filters)
                {
                    var expected = ordered.Where(r => (!limited || r.InboxId == inbox1) && has(r, userId)).Select(r => r.DisplayId).ToList();
                    for (var page = 2; page <= expected.Count / ConversationsEndpoints.PageSize + 2; page++)
                    {
                        var body = await (await client.GetAsync($"{a}/conversations?{query}&page={page}")).ExpectAsync(HttpStatusCode.OK);
                        var listed = body!["data"]!["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()).ToList();
                        var slice = expected.Skip((page - 1) * ConversationsEndpoints.PageSize).Take(ConversationsEndpoints.PageSize).ToList();
                        Assert.True(slice.SequenceEqual(listed),
                            $"after {after}, {query}&page={page} as user {userId}: expected {string.Join(",", slice)}, listed {string.Join(",", listed)}");
                    }
                }
        }

        using (DeepPages.EveryLaterPageSeeks())
        {
            await Check("creating");

            // A message moves an old conversation to this week (the API), in both accounts.
            var oldest = await _server.DbAsync(db => db.Conversations.Where(c => c.AccountId == account).OrderBy(c => c.LastActivityAt).ThenBy(c => c.Id)
                .Select(c => c.DisplayId).Take(3).ToListAsync());
            foreach (var id in oldest)
                await (await admin.PostAsync($"{a}/conversations/{id}/messages", Json(new { content = "Back again", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
            await (await admin.PostAsync($"/api/v1/accounts/{second}/conversations/1059/messages", Json(new { content = "Second's news" }))).ExpectAsync(HttpStatusCode.OK);
            await Check("new messages in old conversations");

            // EF moves some back in time and changes their status and assignee at once; a bulk update moves a week's worth.
            await _server.DbAsync(async db =>
            {
                var moved = await db.Conversations.Where(c => c.AccountId == account && c.DisplayId % 9 == 0).ToListAsync();
                foreach (var c in moved)
                {
                    c.LastActivityAt = c.LastActivityAt.AddDays(-17);
                    c.Status = c.Status == ConversationStatus.Open ? ConversationStatus.Resolved : ConversationStatus.Open;
                    c.AssigneeId = c.AssigneeId is null ? agent.Id : null;
                }
                return await db.SaveChangesAsync();
            });
            await _server.DbAsync(db => db.Conversations.Where(c => c.AccountId == account && c.DisplayId % 11 == 0)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastActivityAt, c => c.LastActivityAt.AddDays(25)).SetProperty(c => c.InboxId, inbox1)));
            await Check("updates that move conversations between weeks");

            // Deletes, and a conversation moved into the second account.
            await _server.DbAsync(db => db.Conversations.Where(c => c.AccountId == account && c.DisplayId % 13 == 0).ExecuteDeleteAsync());
            await _server.DbAsync(db => db.Conversations.Where(c => c.AccountId == account && c.DisplayId == 1001)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.AccountId, second).SetProperty(c => c.InboxId, secondInbox).SetProperty(c => c.DisplayId, 5000)));
            await Check("deletes and a move to the other account");
        }
        await AssertWeekCountsExactAsync();
    }

    [Fact]
    public async Task Deep_contact_pages_equal_the_offset_slice_after_writes_that_move_contacts_between_weeks()
    {
        var account = await _server.CreateAccountAsync("Deep contacts " + Guid.NewGuid().ToString("N")[..6], _server.AdminUserId);
        var second = await _server.CreateAccountAsync("Deep contacts second " + Guid.NewGuid().ToString("N")[..6], _server.AdminUserId);
        var now = DateTime.UtcNow;
        await _server.DbAsync(async db =>
        {
            // Over 20 weeks, in groups of three with the same activity; every fourth never active (its creation orders it).
            db.Contacts.AddRange(Enumerable.Range(0, 90).Select(i => new Contact
            {
                AccountId = account, Name = $"Deep {i}", CreatedAt = now.AddHours(-(i / 3) * 37), UpdatedAt = now,
                LastActivityAt = i % 4 == 0 ? null : now.AddHours(-(i / 3) * 37),
            }));
            db.Contacts.AddRange(Enumerable.Range(0, 40).Select(i => new Contact
            {
                AccountId = second, Name = $"Second deep {i}", CreatedAt = now.AddHours(-i * 29), UpdatedAt = now, LastActivityAt = now.AddHours(-i * 29),
            }));
            return await db.SaveChangesAsync();
        });
        var a = $"/api/v1/accounts/{account}";
        async Task Check(string after)
        {
            var rows = await _server.DbAsync(db => db.Contacts.AsNoTracking().Where(c => c.AccountId == account)
                .Select(c => new { c.Id, At = c.LastActivityAt ?? c.CreatedAt }).ToListAsync());
            var expected = rows.OrderByDescending(c => c.At).ThenByDescending(c => c.Id).Select(c => c.Id).ToList();
            for (var page = 1; page <= expected.Count / ContactReader.PageSize + 2; page++)
            {
                var body = await (await _admin.GetAsync($"{a}/contacts?page={page}")).ExpectAsync(HttpStatusCode.OK);
                Assert.Equal(expected.Count, body!["meta"]!["count"]!.GetValue<int>());
                var listed = body["payload"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()).ToList();
                var slice = expected.Skip((page - 1) * ContactReader.PageSize).Take(ContactReader.PageSize).ToList();
                Assert.True(slice.SequenceEqual(listed), $"after {after}, page {page}: expected {string.Join(",", slice)}, listed {string.Join(",", listed)}");
            }
        }

        using (DeepPages.EveryLaterPageSeeks())
        {
            await Check("creating");
            var ids = await _server.DbAsync(db => db.Contacts.Where(c => c.AccountId == account).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync());
            // Active now (the oldest ones), never active again (back to their creation), moved back in bulk.
            await _server.DbAsync(async db =>
            {
                foreach (var c in await db.Contacts.Where(c => ids.Skip(80).Contains(c.Id)).ToListAsync()) c.LastActivityAt = DateTime.UtcNow;
                foreach (var c in await db.Contacts.Where(c => ids.Take(10).Contains(c.Id) && c.LastActivityAt != null).ToListAsync()) c.LastActivityAt = null;
                return await db.SaveChangesAsync();
            });
            await _server.DbAsync(db => db.Contacts.Where(c => c.AccountId == account && c.Id % 7 == 0)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastActivityAt, c => c.CreatedAt.AddDays(-30))));
            await Check("updates that move contacts between weeks");
            await _server.DbAsync(db => db.Contacts.Where(c => c.AccountId == account && c.Id % 11 == 0).ExecuteDeleteAsync());
            await _server.DbAsync(db => db.Contacts.Where(c => c.Id == ids[40] || c.Id == ids[41]).ExecuteUpdateAsync(s => s.SetProperty(c => c.AccountId, second)));
            await _admin.CreateContactAsync(account, "Deep newcomer");
            await Check("deletes, moves to the other account and a new contact");
        }
        await AssertWeekCountsExactAsync();
    }

    /// <summary>The kept week counts, every account, equal a recount of the conversations and contacts.</summary>
    private async Task AssertWeekCountsExactAsync()
    {
        var (kept, recount, keptContacts, recountContacts) = await _server.DbAsync(async db =>
        {
            var kept = await db.ConversationWeekCounts.Where(k => k.Count != 0)
                .Select(k => $"{k.AccountId}/{k.Status}/{k.Week}/{k.InboxId}/{k.AssigneeId}/{k.TeamId}: {k.Count}").ToListAsync();
            var conversations = await db.Conversations.Select(c => new { c.AccountId, c.Status, c.LastActivityAt, c.InboxId, c.AssigneeId, c.TeamId }).ToListAsync();
            var recount = conversations.GroupBy(c => $"{c.AccountId}/{c.Status}/{Week(c.LastActivityAt)}/{c.InboxId}/{c.AssigneeId ?? 0}/{c.TeamId ?? 0}")
                .Select(g => $"{g.Key}: {g.Count()}").ToList();
            var keptContacts = await db.ContactWeekCounts.Where(k => k.Count != 0).Select(k => $"{k.AccountId}/{k.Week}: {k.Count}").ToListAsync();
            var contacts = await db.Contacts.Select(c => new { c.AccountId, At = c.LastActivityAt ?? c.CreatedAt }).ToListAsync();
            var recountContacts = contacts.GroupBy(c => $"{c.AccountId}/{Week(c.At)}").Select(g => $"{g.Key}: {g.Count()}").ToList();
            return (kept, recount, keptContacts, recountContacts);
        });
        Assert.Equal(recount.Order(StringComparer.Ordinal), kept.Order(StringComparer.Ordinal));
        Assert.Equal(recountContacts.Order(StringComparer.Ordinal), keptContacts.Order(StringComparer.Ordinal));

        static long Week(DateTime at) => (long)Math.Floor((at - DateTime.UnixEpoch).TotalSeconds / ActivityWeeks.Seconds);
    }
}

/// <summary>Every later page seeks its week while the returned value lives (the setting is the process's; the other tests'
/// pages are the same either way).</summary>
internal static class DeepPages
{
    public static IDisposable EveryLaterPageSeeks()
    {
        var before = ActivityWeeks.SeekFrom;
        ActivityWeeks.SeekFrom = 0;
        return new Restore(() => ActivityWeeks.SeekFrom = before);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
