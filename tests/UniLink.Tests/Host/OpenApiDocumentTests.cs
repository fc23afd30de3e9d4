using System.Net;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Host;

public class OpenApiDocumentTests
{
    [Fact]
    public async Task Every_operation_has_a_readable_unique_name_and_summary()
    {
        using var server = new UniLinkServer();
        var doc = await (await server.Client().GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var operations = doc!["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!))).ToList();
        Assert.True(operations.Count > 60, $"only {operations.Count} operations");
        Assert.All(operations, o =>
        {
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", o.Operation["operationId"]?.GetValue<string>() ?? "");
            Assert.False(string.IsNullOrWhiteSpace(o.Operation["summary"]?.GetValue<string>()), $"{o.Method} {o.Path} has no summary");
        });
        var ids = operations.Select(o => o.Operation["operationId"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());

        string Name(string method, string path) =>
            operations.Single(o => o.Method == method && o.Path == path).Operation["operationId"]!.GetValue<string>();
        Assert.Equal("toggle-priority-of-a-conversation", Name("post", "/api/v1/accounts/{account_id}/conversations/{display_id}/toggle_priority"));
        Assert.Equal("list-conversations", Name("get", "/api/v1/accounts/{account_id}/conversations"));
        Assert.Equal("delete-a-message-of-a-conversation", Name("delete", "/api/v1/accounts/{account_id}/conversations/{display_id}/messages/{message_id}"));
        Assert.Equal("public-api-update-a-contact", Name("patch", "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}"));
        Assert.Equal("Show a conversation",
            operations.Single(o => o.Method == "get" && o.Path == "/api/v1/accounts/{account_id}/conversations/{display_id}").Operation["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_api_operation_describes_its_success_body()
    {
        using var server = new UniLinkServer();
        var doc = await (await server.Client().GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        string[] prefixes = ["/api/v1/", "/public/api/v1/", "/platform/api/v1/", "/auth/"];
        var undescribed = new List<string>();
        var checkedOperations = 0;
        foreach (var (path, item) in doc!["paths"]!.AsObject())
        {
            if (!prefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal))) continue;
            foreach (var (method, operation) in item!.AsObject())
            {
                checkedOperations++;
                var success = operation!["responses"]?.AsObject().Where(r => r.Key.StartsWith('2')).ToList() ?? [];
                // An answer with a body names its schema; one without says so (204, or 200 with an empty body as the reference's head :ok).
                var described = success.Count > 0 && success.All(r =>
                    r.Value!["content"] is System.Text.Json.Nodes.JsonObject content
                        ? content.Count > 0 && content.All(c => c.Value?["schema"] is not null)
                        : r.Key == "204" || r.Value!["description"]?.GetValue<string>() == UniLink.Infrastructure.Http.ApiAnswers.EmptyBody);
                if (!described) undescribed.Add($"{method.ToUpperInvariant()} {path} ({operation["operationId"]}): {operation["responses"]?.ToJsonString()}");
            }
        }
        Assert.True(checkedOperations > 100, $"only {checkedOperations} operations");
        Assert.True(undescribed.Count == 0, $"{undescribed.Count} operations do not describe their success body:\n" + string.Join("\n", undescribed));
    }

    [Fact]
    public async Task An_assignment_is_described_as_answering_an_agent_a_team_or_null()
    {
        using var server = new UniLinkServer();
        var doc = await (await server.Client().GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var answer = doc!["paths"]!["/api/v1/accounts/{account_id}/conversations/{display_id}/assignments"]!["post"]!["responses"]!["200"]!;
        var oneOf = answer["content"]!["application/json"]!["schema"]!["oneOf"]!.AsArray();
        Assert.Equal(["#/components/schemas/AgentJson", "#/components/schemas/TeamJson", null], oneOf.Select(s => s!["$ref"]?.GetValue<string>()));
        Assert.Equal("null", oneOf[2]!["type"]!.GetValue<string>());
        Assert.NotNull(doc["components"]!["schemas"]!["TeamJson"]!["properties"]!["name"]);
    }
}
