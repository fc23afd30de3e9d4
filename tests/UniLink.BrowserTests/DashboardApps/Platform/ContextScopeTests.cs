using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.DashboardApps.Platform;

/// <summary>
/// Context scopes: one app per withheld scope on the same conversation, and for each, every value that scope covers
/// is looked for in everything the app received — its frame's address (URL variables), every message posted to it,
/// and the decoded claims of both tokens — while the values of the scopes it holds are there.
/// </summary>
public sealed partial class ContextScopeTests(EmbeddingFixture fx) : IClassFixture<EmbeddingFixture>
{
    /// <summary>The values each scope covers, as they would appear (plain, or percent-encoded in a URL).</summary>
    private static readonly Dictionary<string, string[]> Covered = new()
    {
        [ContextScopes.ContactIdentity] = ["Zelda Quintero", "ext-7781"],
        [ContextScopes.ContactEmailPhone] = ["zq7781@example.org", "zq7781%40example.org", "+15557781234", "%2B15557781234"],
        [ContextScopes.ContactAttributes] = ["platinum-7781"],
        [ContextScopes.MessagesPublic] = ["public-msg-7781"],
        [ContextScopes.MessagesAll] = ["private-note-7781"],
        [ContextScopes.ConversationAttributes] = ["SO-77810"],
        [ContextScopes.AgentEmail] = [UniLinkServer.AdminEmail, Uri.EscapeDataString(UniLinkServer.AdminEmail)],
    };

    [Fact]
    public async Task Each_withheld_scope_is_absent_from_the_context_the_url_variables_and_the_tokens()
    {
        var account = await fx.NewAccountAsync();
        using var admin = fx.Server.AdminClient();
        var url = fx.Apps.Url("/app?mode=early") + "&email={{contact.email}}&phone={{contact.phone_number}}&ident={{contact.identifier}}"
            + "&tier={{contact.custom_attributes.tier}}&ref={{conversation.custom_attributes.order_ref}}&agent={{agent.email}}";
        // Each case: the scopes withheld from one app (all messages imply the public ones, so withholding the public
        // ones means withholding both).
        string[][] cases =
        [
            [ContextScopes.ContactIdentity], [ContextScopes.ContactEmailPhone], [ContextScopes.ContactAttributes],
            [ContextScopes.MessagesAll], [ContextScopes.MessagesPublic, ContextScopes.MessagesAll],
            [ContextScopes.ConversationAttributes], [ContextScopes.AgentEmail], ContextScopes.All, [],
        ];
        var apps = new List<int>();
        foreach (var (withheld, i) in cases.Select((c, i) => (c, i)))
        {
            var id = (await (await admin.PostAsync($"/api/v1/accounts/{account}/dashboard_apps",
                HttpAssertions.Json(new { title = $"App {i}", content = new[] { new { type = "frame", url } } }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
            await (await admin.PatchAsync($"/api/v1/accounts/{account}/dashboard_apps/{id}/settings",
                HttpAssertions.Json(new { context_scopes = ContextScopes.All.Except(withheld).ToArray() }))).ExpectAsync(HttpStatusCode.OK);
            await (await admin.PostAsync($"/api/v1/accounts/{account}/dashboard_apps/{id}/secret", null)).ExpectAsync(HttpStatusCode.OK);
            apps.Add(id);
        }
        var inbox = await admin.CreateInboxAsync(account);
        var contact = (await (await admin.PostAsync($"/api/v1/accounts/{account}/contacts", HttpAssertions.Json(new
        {
            name = "Zelda Quintero", email = "zq7781@example.org", phone_number = "+15557781234", identifier = "ext-7781",
            custom_attributes = new { tier = "platinum-7781" }, inbox_id = inbox,
        }))).ExpectAsync(HttpStatusCode.OK))!["payload"]!["contact"]!["id"]!.GetValue<int>();
        var conversation = (await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations",
            HttpAssertions.Json(new { inbox_id = inbox, contact_id = contact }))).ExpectAsync(HttpStatusCode.OK))!["id"]!.GetValue<int>();
        var c = $"/api/v1/accounts/{account}/conversations/{conversation}";
        await (await admin.PostAsync($"{c}/messages", HttpAssertions.Json(new { content = "public-msg-7781", message_type = "incoming" }))).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostAsync($"{c}/messages", HttpAssertions.Json(new { content = "private-note-7781", @private = true }))).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostAsync($"{c}/custom_attributes", HttpAssertions.Json(new { custom_attributes = new { order_ref = "SO-77810" } }))).ExpectAsync(HttpStatusCode.OK);
        var adminId = fx.Server.AdminUserId;
        await (await admin.PostAsync($"{c}/assignments", HttpAssertions.Json(new { assignee_id = adminId }))).ExpectAsync(HttpStatusCode.OK);

        var page = await fx.SignedInPageAsync([]);
        await page.OpenConversationAsync(account, conversation);
        for (var i = 0; i < cases.Length; i++)
        {
            await page.GetByRole(AriaRole.Tab, new() { Name = $"App {i}", Exact = true }).ClickAsync();
            var frame = await page.AppFrameAsync($"dashboard-app--frame-{i}-0");
            var received = await frame.WaitForAsync(r => r.Contexts().Count() >= 2);
            // Everything the page got, with no JSON escaping in the way ("+" written as \u002B).
            var messages = received.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            var everything = new StringBuilder(await frame.EvaluateAsync<string>("() => location.href")).Append('\n').Append(messages);
            foreach (Match jwt in Jwt().Matches(messages))
                everything.Append('\n').Append(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(jwt.Groups[1].Value)));
            var text = everything.ToString();
            Assert.Contains("\"context_token\"", messages);
            foreach (var (scope, values) in Covered)
            {
                var withheld = cases[i].Contains(scope);
                foreach (var value in values.Where(v => !v.Contains('%') || text.Contains(v) || withheld))
                    Assert.True(text.Contains(value) != withheld,
                        $"app {i} (withheld: {string.Join(", ", cases[i])}): “{value}” of {scope} is {(withheld ? "there" : "missing")}:\n{text}");
            }
        }
    }

    /// <summary>The payload of every JWT in the text.</summary>
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]+\.(eyJ[A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+")]
    private static partial Regex Jwt();
}
