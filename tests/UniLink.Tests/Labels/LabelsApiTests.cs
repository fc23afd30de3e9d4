using System.Net;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Labels;

public sealed class LabelsApiTests(SharedServer server) : AdminApiTests(server)
{
    [Fact]
    public async Task Labels_are_created_listed_by_title_shown_updated_and_deleted()
    {
        var owner = await _server.CreateUserAsync(null);
        var account = await _server.CreateAccountAsync("Labels", owner.Id);
        using var client = _server.Client(owner.Token);
        var a = $"/api/v1/accounts/{account}/labels";
        var zulu = await (await client.PostAsync(a, Json(new { label = new { title = "Zulu", description = "Last", color = "#112233", show_on_sidebar = true } })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("zulu", zulu!["title"]!.GetValue<string>());
        Assert.Equal(["color", "description", "id", "show_on_sidebar", "title"], zulu.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        var alpha = await (await client.PostAsync(a, Json(new { title = "alpha" }))).ExpectAsync(HttpStatusCode.OK);

        var list = await (await client.GetAsync(a)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($"{{\"payload\":[{alpha!.ToJsonString()},{zulu.ToJsonString()}]}}", list!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(zulu, await (await client.GetAsync($"{a}/{zulu["id"]}")).ExpectAsync(HttpStatusCode.OK)));

        var patched = await (await client.PatchAsync($"{a}/{alpha["id"]}", Json(new { title = "Alpha-2", color = "#abcdef" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("alpha-2", patched!["title"]!.GetValue<string>());
        var put = await (await client.PutAsync($"{a}/{alpha["id"]}", Json(new { label = new { description = "First", show_on_sidebar = false } }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($$"""{"id":{{alpha["id"]}},"title":"alpha-2","description":"First","color":"#abcdef","show_on_sidebar":false}""", put!.ToJsonString());
        await (await client.PatchAsync($"{a}/{alpha["id"]}", Json(new { title = "zulu" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Title has already been taken","attributes":["title"]}""");
        await (await client.PatchAsync($"{a}/{alpha["id"]}", Json(new { color = "blue" })))
            .ExpectBodyAsync(HttpStatusCode.UnprocessableEntity, """{"message":"Color must look like #1f93ff","attributes":["color"]}""");
        Assert.True(JsonNode.DeepEquals(put, await (await client.GetAsync($"{a}/{alpha["id"]}")).ExpectAsync(HttpStatusCode.OK)));

        await (await client.DeleteAsync($"{a}/{zulu["id"]}")).ExpectAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"{a}/{zulu["id"]}")).ExpectBodyAsync(HttpStatusCode.NotFound, """{"error":"Resource could not be found"}""");
        await (await client.DeleteAsync($"{a}/{zulu["id"]}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Single((await (await client.GetAsync(a)).ExpectAsync(HttpStatusCode.OK))!["payload"]!.AsArray());
    }

    [Fact]
    public async Task Another_accounts_label_can_be_neither_read_nor_changed()
    {
        var label = await (await _admin.PostAsync(P("labels"), Json(new { title = "ours" }))).ExpectAsync(HttpStatusCode.OK);
        var outsider = await _server.CreateUserAsync(null);
        var other = await _server.CreateAccountAsync("Theirs", outsider.Id);
        using var client = _server.Client(outsider.Token);
        var path = $"/api/v1/accounts/{other}/labels/{label!["id"]}";
        await (await client.GetAsync(path)).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.PatchAsync(path, Json(new { title = "stolen" }))).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync(path)).ExpectAsync(HttpStatusCode.NotFound);
        Assert.True(JsonNode.DeepEquals(label, await (await _admin.GetAsync(P($"labels/{label["id"]}"))).ExpectAsync(HttpStatusCode.OK)));
    }
}
