using System.Net;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Security;

/// <summary>An agent bot acts only in its own account (issue 13, item 13).</summary>
public class BotAccountTests
{
    private const string NotMember = """{"error":"You are not authorized to access this account"}""";

    [Fact]
    public async Task A_bot_without_an_account_works_in_no_account_and_a_bot_only_in_its_own()
    {
        using var server = new UniLinkServer();
        var admin = server.AdminClient();
        var inbox = await admin.CreateInboxAsync(server.AccountId);
        var contact = await admin.CreateContactAsync(server.AccountId, "Maria", inboxId: inbox);
        var body = Json(new { inbox_id = inbox, contact_id = contact["id"]!.GetValue<int>() });
        var conversations = $"/api/v1/accounts/{server.AccountId}/conversations";

        var orphan = await server.CreateBotAsync(null);
        await (await server.Client(orphan).PostAsync(conversations, body)).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotMember);

        var other = await server.CreateAccountAsync("Other");
        var otherBot = await server.CreateBotAsync(other);
        await (await server.Client(otherBot).PostAsync(conversations, body)).ExpectBodyAsync(HttpStatusCode.Unauthorized, NotMember);

        var ownBot = await server.CreateBotAsync(server.AccountId);
        await (await server.Client(ownBot).PostAsync(conversations, body)).ExpectAsync(HttpStatusCode.OK);
    }
}
