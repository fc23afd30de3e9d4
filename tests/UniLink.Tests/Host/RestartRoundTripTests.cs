using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Host;

public class RestartRoundTripTests
{
    /// <summary>
    /// Writes through every kind of endpoint (profile, account, agents, inboxes, contacts, conversations and each of their
    /// actions, messages, labels, attribute definitions, dashboard apps, the public API), then restarts on the same data:
    /// every GET answers the very same bytes, deletions stay deleted, and the next write carries on where the last left off.
    /// </summary>
    [Fact]
    public async Task Every_acknowledged_write_reads_back_byte_for_byte_after_a_restart()
    {
        var server = new UniLinkServer();
        try
        {
            var account = server.AccountId;
            var a = $"/api/v1/accounts/{account}";
            List<string> paths;
            List<string> gone;
            int lastConversation;
            string pub;
            using (var admin = server.AdminClient())
            using (var anonymous = server.Client())
            {
                async Task<JsonNode> Send(HttpMethod method, string path, object? body = null, HttpStatusCode status = HttpStatusCode.OK)
                {
                    using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
                    var client = path.StartsWith("/public/") ? anonymous : admin;
                    return (await (await client.SendAsync(request)).ExpectAsync(status)) ?? JsonValue.Create("");
                }

                await Send(HttpMethod.Put, "/api/v1/profile", new { name = "Ada Admin", display_name = "Ada", availability = "busy" });
                await Send(HttpMethod.Patch, a, new { name = "Restart Traders" });
                var agent = await Send(HttpMethod.Post, $"{a}/agents", new { name = "Rita Restart", email = "rita@example.com", role = "agent", password = "rita-password-1" });
                var agentId = agent["id"]!.GetValue<int>();
                await Send(HttpMethod.Patch, $"{a}/agents/{agentId}", new { availability = "busy" });

                var api = await Send(HttpMethod.Post, $"{a}/inboxes", new { name = "Restart API", channel = new { type = "api", webhook_url = "https://hooks.example/r" } });
                var widget = await Send(HttpMethod.Post, $"{a}/inboxes", new { name = "Restart Web", channel = new { type = "web_widget", website_url = "https://r.example" } });
                var mail = await Send(HttpMethod.Post, $"{a}/inboxes", new { name = "Restart Mail", channel = new { type = "email", email = "r@example.com" } });
                await Send(HttpMethod.Patch, $"{a}/inboxes/{widget["id"]}", new { greeting_enabled = true, greeting_message = "Welcome back" });
                var apiId = api["id"]!.GetValue<int>();

                var contact = (await Send(HttpMethod.Post, $"{a}/contacts", new
                {
                    name = "Olu Restart", email = "olu@example.com", phone_number = "+2348012345678", identifier = "olu-1", inbox_id = apiId,
                    additional_attributes = new { company_name = "Olu Ltd", city = "Lagos" }, custom_attributes = new { tier = "gold" },
                }))["payload"]!["contact"]!;
                var contactId = contact["id"]!.GetValue<int>();
                await Send(HttpMethod.Patch, $"{a}/contacts/{contactId}", new { custom_attributes = new { since = 2019 }, blocked = false });
                var doomedContact = (await admin.CreateContactAsync(account, "Gone Soon"))["id"]!.GetValue<int>();
                await Send(HttpMethod.Delete, $"{a}/contacts/{doomedContact}");

                await Send(HttpMethod.Post, $"{a}/labels", new { title = "restart", color = "#123456", description = "kept" });
                var doomedLabel = await Send(HttpMethod.Post, $"{a}/labels", new { title = "doomed" });
                await Send(HttpMethod.Patch, $"{a}/labels/{doomedLabel["id"]}", new { description = "about to go" });
                await Send(HttpMethod.Delete, $"{a}/labels/{doomedLabel["id"]}");
                var definition = await Send(HttpMethod.Post, $"{a}/custom_attribute_definitions", new
                {
                    attribute_display_name = "Order", attribute_display_type = "number", attribute_key = "order", attribute_model = "conversation_attribute",
                });
                await Send(HttpMethod.Patch, $"{a}/custom_attribute_definitions/{definition["id"]}", new { attribute_description = "Order number" });
                var doomedDefinition = await Send(HttpMethod.Post, $"{a}/custom_attribute_definitions", new
                {
                    attribute_display_name = "Tmp", attribute_display_type = "text", attribute_key = "tmp", attribute_model = "contact_attribute",
                });
                await Send(HttpMethod.Delete, $"{a}/custom_attribute_definitions/{doomedDefinition["id"]}", status: HttpStatusCode.NoContent);
                var app = await Send(HttpMethod.Post, $"{a}/dashboard_apps", new { title = "CRM", content = new[] { new { type = "frame", url = "https://crm.example/app" } } });

                var c1 = (await Send(HttpMethod.Post, $"{a}/conversations", new
                {
                    inbox_id = apiId, contact_id = contactId, additional_attributes = new { browser = "Safari" }, message = new { content = "Opening line" },
                }))["id"]!.GetValue<int>();
                var c = $"{a}/conversations/{c1}";
                await Send(HttpMethod.Post, $"{c}/messages", new { content = "Where is my parcel?", message_type = "incoming" });
                await Send(HttpMethod.Post, $"{c}/messages", new { content = "Checking with the courier", @private = true });
                await Send(HttpMethod.Post, $"{c}/messages", new { content = "Rate us", message_type = "template", content_type = "input_select", content_attributes = new { items = new[] { "1", "2" } } });
                var wrong = await Send(HttpMethod.Post, $"{c}/messages", new { content = "Oops, wrong thread" });
                await Send(HttpMethod.Delete, $"{c}/messages/{wrong["id"]}");
                await Send(HttpMethod.Post, $"{c}/assignments", new { assignee_id = agentId });
                await Send(HttpMethod.Post, $"{c}/labels", new { labels = new[] { "restart", "vip" } });
                await Send(HttpMethod.Post, $"{c}/toggle_priority", new { priority = "high" });
                await Send(HttpMethod.Post, $"{c}/custom_attributes", new { custom_attributes = new { order = 1042 } });
                await Send(HttpMethod.Post, $"{c}/update_last_seen");
                await Send(HttpMethod.Post, $"{c}/toggle_status", new { status = "snoozed", snoozed_until = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero).ToUnixTimeSeconds() });

                var identifier = api["inbox_identifier"]!.GetValue<string>();
                pub = $"/public/api/v1/inboxes/{identifier}";
                var customer = await Send(HttpMethod.Post, $"{pub}/contacts", new { name = "Web Customer", email = "web@example.com" });
                var source = customer["source_id"]!.GetValue<string>();
                await Send(HttpMethod.Patch, $"{pub}/contacts/{source}", new { name = "Web Customer Renamed", custom_attributes = new { cart = 2 } });
                var pc = (await Send(HttpMethod.Post, $"{pub}/contacts/{source}/conversations", new { custom_attributes = new { channel = "shop" } }))["id"]!.GetValue<int>();
                await Send(HttpMethod.Post, $"{pub}/contacts/{source}/conversations/{pc}/messages", new { content = "Hi from the shop" });
                await Send(HttpMethod.Post, $"{a}/conversations/{pc}/messages", new { content = "Hello, how can we help?" });
                await Send(HttpMethod.Post, $"{a}/conversations/{pc}/toggle_status", new { status = "resolved" });
                lastConversation = pc;

                paths =
                [
                    "/api/v1/profile", a, $"{a}/agents", $"{a}/inboxes", $"{a}/inboxes/{apiId}", $"{a}/inboxes/{widget["id"]}", $"{a}/inboxes/{mail["id"]}",
                    $"{a}/contacts", $"{a}/contacts/{contactId}", $"{a}/contacts/{contactId}/conversations", $"{a}/contacts/search?q=olu",
                    $"{a}/conversations?status=all", $"{a}/conversations?status=snoozed&assignee_type=assigned", $"{a}/conversations/meta?status=all",
                    c, $"{c}/messages", $"{c}/labels", $"{a}/conversations/{pc}", $"{a}/conversations/{pc}/messages",
                    $"{a}/labels", $"{a}/custom_attribute_definitions", $"{a}/custom_attribute_definitions/{definition["id"]}",
                    $"{a}/dashboard_apps", $"{a}/dashboard_apps/{app["id"]}",
                    $"{pub}/contacts/{source}", $"{pub}/contacts/{source}/conversations", $"{pub}/contacts/{source}/conversations/{pc}/messages",
                ];
                gone = [$"{a}/contacts/{doomedContact}", $"{a}/labels/{doomedLabel["id"]}", $"{a}/custom_attribute_definitions/{doomedDefinition["id"]}"];
            }

            List<(string Path, string Body)> before;
            using (var admin = server.AdminClient()) before = await ApiSnapshot.TakeAsync(admin, paths);

            // On the same address: a website inbox's snippet names the server it was read from.
            server = server.Restart(samePort: true);
            using (var admin = server.AdminClient())
            {
                ApiSnapshot.AssertSame(before, await ApiSnapshot.TakeAsync(admin, paths));
                foreach (var path in gone) await (await admin.GetAsync(path)).ExpectAsync(HttpStatusCode.NotFound);
                var next = (await admin.CreateConversationAsync(account))["id"]!.GetValue<int>();
                Assert.Equal(lastConversation + 1, next);
            }
        }
        finally
        {
            server.Dispose();
        }
    }
}
