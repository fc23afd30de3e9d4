using System.Text.Json.Nodes;

namespace UniLink.Infrastructure.Http;

/// <summary>Rails-style form keys to JSON: <c>a[b]=1</c>, <c>a[c][][type]=frame&amp;a[c][][url]=x</c>.</summary>
public static class FormToJson
{
    /// <summary>URL-encoded pairs in the order they were sent (Rack fills array elements by that order).</summary>
    public static JsonObject Convert(string urlEncoded)
    {
        var root = new JsonObject();
        foreach (var pair in urlEncoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            var path = Parse(key);
            if (path.Count > JsonLimits.MaxDepth + 2) throw new BadHttpRequestException($"The form key {key[..Math.Min(key.Length, 40)]}… is nested too deeply");
            Assign(root, path, value);
        }
        return root;
    }

    /// <summary>Already decoded pairs (a multipart form's fields), in the order they were sent.</summary>
    public static JsonObject Convert(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var root = new JsonObject();
        foreach (var (key, value) in pairs) Assign(root, Parse(key), value);
        return root;
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    private static List<string> Parse(string key)
    {
        var parts = new List<string>();
        var first = key.IndexOf('[');
        if (first < 0) return [key];
        parts.Add(key[..first]);
        var rest = key[first..];
        while (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0) break;
            parts.Add(rest[1..close]);
            rest = rest[(close + 1)..];
        }
        return parts;
    }

    private static void Assign(JsonNode container, List<string> path, string value)
    {
        var node = container;
        for (var i = 0; i < path.Count; i++)
        {
            var part = path[i];
            var last = i == path.Count - 1;
            var nextIsArray = !last && path[i + 1] == "";
            if (part == "" && node is JsonArray array)
            {
                if (last) { array.Add(value); return; }
                // a[][x]=1&a[][y]=2 fills one element until a key repeats, as Rack does.
                var nextKey = path[i + 1];
                if (array.Count == 0 || array[^1] is not JsonObject lastObject || lastObject.ContainsKey(nextKey))
                    array.Add(new JsonObject());
                node = array[^1]!;
                continue;
            }
            if (node is not JsonObject obj) return;
            if (last) { obj[part] = value; return; }
            if (obj[part] is null) obj[part] = nextIsArray ? new JsonArray() : new JsonObject();
            node = obj[part]!;
        }
    }
}
