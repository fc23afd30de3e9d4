using System.Text.Json.Nodes;

namespace UniLink.Infrastructure.Http;

/// <summary>
/// How deep a stored JSON object (custom, additional, content attributes) may nest. Answers wrap it in a few levels
/// more (conversation › meta › sender › custom_attributes), and System.Text.Json refuses to write past 64.
/// </summary>
public static class JsonLimits
{
    public const int MaxDepth = 8;

    /// <summary>Levels of objects and arrays: <c>{}</c> is 1, <c>{"a":{"b":[1]}}</c> is 3.</summary>
    public static int Depth(JsonNode? node)
    {
        var deepest = 0;
        var stack = new Stack<(JsonNode Node, int Level)>();
        if (node is JsonObject or JsonArray) stack.Push((node, 1));
        while (stack.Count > 0)
        {
            var (current, level) = stack.Pop();
            deepest = Math.Max(deepest, level);
            if (level > MaxDepth) return level; // deep enough to refuse; no need to walk further
            IEnumerable<JsonNode?> children = current is JsonObject o ? o.Select(p => p.Value) : ((JsonArray)current).AsEnumerable();
            foreach (var child in children)
                if (child is JsonObject or JsonArray) stack.Push((child, level + 1));
        }
        return deepest;
    }
}
