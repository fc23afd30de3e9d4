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
}
