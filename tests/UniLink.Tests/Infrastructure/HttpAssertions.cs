using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UniLink.Tests.Infrastructure;

public static class HttpAssertions
{
    public static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static StringContent RawJson(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Asserts the status and returns the parsed body (null for an empty body).</summary>
    public static async Task<JsonNode?> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>Asserts status and that the body equals the given JSON exactly.</summary>
    public static async Task ExpectBodyAsync(this HttpResponseMessage response, HttpStatusCode status, string expectedJson)
    {
        var body = await response.ExpectAsync(status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), body), $"expected {expectedJson}, got {body?.ToJsonString()}");
    }
}
