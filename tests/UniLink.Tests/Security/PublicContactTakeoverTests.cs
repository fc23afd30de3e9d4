using System.Net;
using System.Security.Cryptography;
using System.Text;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Security;

/// <summary>The anonymous client API reaches an existing contact only with the reference's identity proof (issue 13, item 5).</summary>
public class PublicContactTakeoverTests
{
    private static string Hash(string key, string identifier) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(identifier)));

    [Fact]
    public async Task Without_an_identifier_hash_a_caller_gets_a_new_contact_and_sees_only_what_it_sent()
    {
        using var server = new UniLinkServer();
        var admin = server.AdminClient();
        var a = $"/api/v1/accounts/{server.AccountId}";
        var inbox = await (await admin.PostAsync($"{a}/inboxes", Json(new { name = "API", channel = new { type = "api" } }))).ExpectAsync(HttpStatusCode.OK);
        var inboxId = inbox!["id"]!.GetValue<int>();
        var identifierOfInbox = inbox["inbox_identifier"]!.GetValue<string>();
        var maria = await admin.CreateContactAsync(server.AccountId, "Maria Real", "maria@example.com", inboxId);
        var mariaId = maria["id"]!.GetValue<int>();
        await (await admin.PutAsync($"{a}/contacts/{mariaId}", Json(new { phone_number = "+15551234567", identifier = "crm-42" }))).ExpectAsync(HttpStatusCode.OK);
        var contacts = $"/public/api/v1/inboxes/{identifierOfInbox}/contacts";
        var anonymous = server.Client();

        var byEmail = await (await anonymous.PostAsync(contacts, Json(new { name = "Attacker", email = "maria@example.com" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(mariaId, byEmail!["id"]!.GetValue<int>());
        Assert.Equal("Attacker", byEmail["name"]!.GetValue<string>());
        Assert.Equal("maria@example.com", byEmail["email"]!.GetValue<string>());
        Assert.Null(byEmail["phone_number"]?.GetValue<string>());
        var own = $"{contacts}/{byEmail["source_id"]!.GetValue<string>()}";
        var shown = await (await anonymous.GetAsync(own)).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(shown!["phone_number"]?.GetValue<string>());
        Assert.Equal("Attacker", shown["name"]!.GetValue<string>());
        var patched = await (await anonymous.PatchAsync(own, Json(new { name = "Overwritten" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(mariaId, patched!["id"]!.GetValue<int>());

        var byIdentifier = await (await anonymous.PostAsync(contacts, Json(new { identifier = "crm-42", identifier_hash = new string('0', 64) }))).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(mariaId, byIdentifier!["id"]!.GetValue<int>());

        // Maria's record is untouched, and agents can still save it with her e-mail.
        var agentView = (await (await admin.GetAsync($"{a}/contacts/{mariaId}")).ExpectAsync(HttpStatusCode.OK))!["payload"]!;
        Assert.Equal(("Maria Real", "+15551234567", "maria@example.com"),
            (agentView["name"]!.GetValue<string>(), agentView["phone_number"]!.GetValue<string>(), agentView["email"]!.GetValue<string>()));
        await (await admin.PutAsync($"{a}/contacts/{mariaId}", Json(new { email = "maria@example.com", identifier = "crm-42" }))).ExpectAsync(HttpStatusCode.OK);

        // The customer's own server, which holds the inbox's hmac_token, proves the identifier and reaches the contact.
        var key = inbox["hmac_token"]!.GetValue<string>();
        var proven = await (await anonymous.PostAsync(contacts, Json(new { identifier = "crm-42", identifier_hash = Hash(key, "crm-42") }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(mariaId, proven!["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task Only_administrators_see_an_inboxs_hmac_token()
    {
        using var server = new UniLinkServer();
        var inboxId = await server.AdminClient().CreateInboxAsync(server.AccountId);
        var agent = await server.CreateUserAsync(server.AccountId);
        await server.AdminClient().AddInboxMemberAsync(server.AccountId, inboxId, agent.Id);
        var path = $"/api/v1/accounts/{server.AccountId}/inboxes/{inboxId}";
        var asAdmin = await (await server.AdminClient().GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(64, asAdmin!["hmac_token"]!.GetValue<string>().Length);
        var asAgent = await (await server.Client(agent.Token).GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(asAgent!["hmac_token"]?.GetValue<string>());
    }
}
