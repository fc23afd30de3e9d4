using System.Net;
using UniLink.Infrastructure.Seeding;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Host;

public class DemoAndRestartTests
{
    [Fact]
    public async Task Demo_data_has_conversations_in_every_status_contacts_and_a_second_agent()
    {
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_DEMO"] = "1" });
        using var admin = server.AdminClient();
        var account = server.AccountId;
        var all = await (await admin.GetAsync($"/api/v1/accounts/{account}/conversations?status=all")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(12, all!["data"]!["meta"]!["all_count"]!.GetValue<int>());
        foreach (var status in new[] { "open", "pending", "snoozed", "resolved" })
        {
            var list = await (await admin.GetAsync($"/api/v1/accounts/{account}/conversations?status={status}")).ExpectAsync(HttpStatusCode.OK);
            Assert.NotEmpty(list!["data"]!["payload"]!.AsArray());
        }
        var contacts = await (await admin.GetAsync($"/api/v1/accounts/{account}/contacts")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(12, contacts!["meta"]!["count"]!.GetValue<int>());
        Assert.NotEmpty(contacts["payload"]![0]!["additional_attributes"]!["company_name"]!.GetValue<string>());
        var agents = (await (await admin.GetAsync($"/api/v1/accounts/{account}/agents")).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Contains(agents, a => a!["email"]!.GetValue<string>() == DemoData.AgentEmail && a["role"]!.GetValue<string>() == "agent");
        await (await server.Client().PostAsync("/auth/sign_in", Json(new { email = DemoData.AgentEmail, password = DemoData.AgentPassword }))).ExpectAsync(HttpStatusCode.OK);
        var notes = server.Db(db => db.Messages.Count(m => m.Private));
        Assert.True(notes > 0);
    }

    [Fact]
    public async Task Every_acknowledged_write_is_there_after_a_restart()
    {
        var server = new UniLinkServer();
        var account = server.AccountId;
        var acknowledged = new List<int>();
        int conversation;
        using (var admin = server.AdminClient())
        {
            conversation = (await admin.CreateConversationAsync(account))["id"]!.GetValue<int>();
            for (var i = 0; i < 20; i++)
            {
                var m = await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages", Json(new { content = $"note {i}" })))
                    .ExpectAsync(HttpStatusCode.OK);
                acknowledged.Add(m!["id"]!.GetValue<int>());
            }
            await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/toggle_status", Json(new { status = "resolved" }))).ExpectAsync(HttpStatusCode.OK);
        }
        server = server.Restart();
        try
        {
            using var admin = server.AdminClient();
            var c = await (await admin.GetAsync($"/api/v1/accounts/{account}/conversations/{conversation}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("resolved", c!["status"]!.GetValue<string>());
            var stored = server.Db(db => db.Messages.Select(m => m.Id).ToHashSet());
            Assert.All(acknowledged, id => Assert.Contains(id, stored));
            var next = (await admin.CreateConversationAsync(account))["id"]!.GetValue<int>();
            Assert.Equal(conversation + 1, next);
        }
        finally
        {
            server.Dispose();
        }
    }
}
