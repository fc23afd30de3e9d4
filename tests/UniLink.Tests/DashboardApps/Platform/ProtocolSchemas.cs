extern alias JsonSchemaNet;
using System.Text.Json;
using System.Text.Json.Nodes;
using JsonSchemaNet::Json.Schema;

namespace UniLink.Tests.DashboardApps.Platform;

/// <summary>
/// The published protocol (<c>/sdk/schema/v1/…</c>) as a validator sees it: every schema built from the repository's
/// files into one registry, so the relative <c>$ref</c>s between them resolve as they do for an app author.
/// </summary>
public sealed class ProtocolSchemas
{
    public static readonly string[] Names = ["context", "events", "actions", "results", "hooks", "manifest"];
    private static readonly Uri Base = new("https://unilink.test/sdk/schema/v1/");
    private readonly Dictionary<string, JsonSchema> _schemas = [];
    private readonly SchemaRegistry _registry = new();

    public static string Folder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "UniLink.slnx"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("UniLink.slnx not found above the test folder"),
                "src", "UniLink", "wwwroot", "sdk", "schema", "v1");
        }
    }

    public static JsonObject Document(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json")))!.AsObject();

    public ProtocolSchemas()
    {
        var options = new BuildOptions { SchemaRegistry = _registry };
        foreach (var name in Names)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json")));
            _schemas[name] = JsonSchema.Build(doc.RootElement.Clone(), options, new Uri(Base, name + ".json"));
        }
    }

    /// <summary>The problems of <paramref name="json"/> against the schema <paramref name="name"/> (or one of its $defs: "hooks#answer"); empty when valid.</summary>
    public IReadOnlyList<string> Problems(string name, string json)
    {
        var (file, def) = name.Split('#') is [var f, var d] ? (f, d) : (name, null);
        JsonSchema? schema;
        lock (_schemas)
        {
            if (!_schemas.TryGetValue(name, out schema))
            {
                using var refDoc = JsonDocument.Parse($$"""{"$ref":"{{file}}.json#/$defs/{{def}}"}""");
                schema = _schemas[name] = JsonSchema.Build(refDoc.RootElement.Clone(), new BuildOptions { SchemaRegistry = _registry }, new Uri(Base, $"ref-{file}-{def}.json"));
            }
        }
        using var instance = JsonDocument.Parse(json);
        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        return (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key} {e.Value}")).DefaultIfEmpty("invalid").ToList();
    }

    /// <summary>Asserts <paramref name="json"/> is valid, naming every problem when it is not.</summary>
    public void AssertValid(string name, string json)
    {
        var problems = Problems(name, json);
        Assert.True(problems.Count == 0, $"{name}: {string.Join("; ", problems)}\n{(json.Length > 3000 ? json[..3000] + "…" : json)}");
    }
}
