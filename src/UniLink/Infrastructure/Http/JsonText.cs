using System.Text.Json;
using System.Text.Json.Nodes;

namespace UniLink.Infrastructure.Http;

/// <summary>JSON kept as text in the database (attribute bags, app content), read back as nodes for the wire.</summary>
public static class JsonText
{
    public static JsonObject Object(string? text)
    {
        // Most bags are empty: no parser for those (the app context maps thousands of messages at a time).
        if (string.IsNullOrEmpty(text) || text == "{}") return [];
        try { return JsonNode.Parse(text) as JsonObject ?? []; }
        catch (JsonException) { return []; }
    }

    public static JsonArray Array(string? text)
    {
        if (string.IsNullOrEmpty(text) || text == "[]") return [];
        try { return JsonNode.Parse(text) as JsonArray ?? []; }
        catch (JsonException) { return []; }
    }

    public static string Serialize(JsonNode node) => node.ToJsonString(WireJson.Options);
}
