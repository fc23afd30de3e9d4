using System.Text.Json;
using System.Text.Json.Nodes;

namespace UniLink.Infrastructure.Http;

/// <summary>
/// Request parameters as the reference accepts them: JSON or form fields, either at the top level or wrapped
/// in the resource's name (<c>{"profile": {...}}</c>, <c>profile[name]=…</c>). Wrong types are a 400.
/// </summary>
public sealed class WireParams(JsonObject values)
{
    public static async Task<WireParams> ReadAsync(HttpRequest request, string wrapper)
    {
        JsonObject root = [];
        if (request.HasFormContentType)
        {
            IFormCollection form;
            // A malformed form (bad escapes, a cut-off multipart body) is the client's mistake, not a 500.
            try { form = await request.ReadFormAsync(request.HttpContext.RequestAborted); }
            catch (Exception e) when (e is InvalidDataException or IOException && !request.HttpContext.RequestAborted.IsCancellationRequested)
            {
                throw new BadHttpRequestException($"The form body cannot be read: {e.Message}");
            }
            foreach (var (key, value) in form) root[key] = value.ToString();
        }
        else if (request.ContentLength is not 0)
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            if (!string.IsNullOrWhiteSpace(text))
            {
                JsonNode? parsed;
                try { parsed = JsonNode.Parse(text); }
                catch (JsonException e) { throw new BadHttpRequestException($"Malformed JSON: {e.Message}"); }
                root = parsed as JsonObject ?? throw new BadHttpRequestException("The body must be a JSON object");
            }
        }
        var merged = new JsonObject();
        foreach (var (key, value) in root)
        {
            var bracket = $"{wrapper}[";
            if (key.StartsWith(bracket) && key.EndsWith(']')) merged[key[bracket.Length..^1]] = value?.DeepClone();
            else if (key != wrapper) merged[key] = value?.DeepClone();
        }
        if (root[wrapper] is JsonObject wrapped)
            foreach (var (key, value) in wrapped) merged[key] = value?.DeepClone();
        return new WireParams(merged);
    }

    public bool Has(string key) => values.ContainsKey(key);

    public string? String(string key) => values[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains('\0') =>
            throw new BadHttpRequestException($"{key} {RequestBody.NulProblem}"),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new BadHttpRequestException($"{key} must be a string"),
    };

    public bool? Bool(string key) => values[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var b) => b,
        _ => throw new BadHttpRequestException($"{key} must be true or false"),
    };

    public JsonNode? Node(string key) => values[key];
}
