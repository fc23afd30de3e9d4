using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Host;

/// <summary>
/// docs/chatwoot-api-coverage.md lists every operation of the reference's Application and Client API definitions: each
/// is served by an endpoint here, or left out with a reason written beside it.
/// </summary>
public sealed partial class ApiCoverageTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private sealed record Row(string Section, string Method, string Path, string Status, string Note);

    [GeneratedRegex(@"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| ([^|]*) \| ([^|]*) \| ([^|]*) \|$")]
    private static partial Regex RowPattern();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();

    private static List<Row> ReadTable()
    {
        var path = Path.Combine(CapturedProcess.RepositoryRoot().FullName, "docs", "chatwoot-api-coverage.md");
        var rows = new List<Row>();
        var section = "";
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.StartsWith("## ")) section = line[3..];
            if (RowPattern().Match(line) is { Success: true } m)
                rows.Add(new Row(section, m.Groups[1].Value, m.Groups[2].Value, m.Groups[4].Value.Trim(), m.Groups[5].Value.Trim()));
        }
        return rows;
    }

    /// <summary><c>/api/v1/accounts/{account_id}/inboxes/{id}/</c> and <c>…/inboxes/{inbox_id}</c> are the same route.</summary>
    private static string Normalise(string method, string path) =>
        $"{method} {Placeholder().Replace(path, "{}").TrimEnd('/')}";

    private HashSet<string> Served() =>
        shared.Instance.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !(e.RoutePattern.RawText ?? "").Contains("{**"))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => Normalise(m, "/" + (e.RoutePattern.RawText ?? "").Trim('/'))))
            .ToHashSet();

    [Fact]
    public void Every_reference_operation_is_served_or_left_out_with_a_reason()
    {
        var rows = ReadTable();
        var served = Served();
        var problems = new List<string>();
        foreach (var row in rows)
        {
            var what = $"{row.Method} {row.Path}";
            switch (row.Status)
            {
                case "served" when !served.Contains(Normalise(row.Method, row.Path)):
                    problems.Add($"{what} is marked served but no endpoint answers it");
                    break;
                case "served":
                    break;
                case "left out" or "in progress" when row.Note.Length < 10:
                    problems.Add($"{what} is {row.Status} without a reason");
                    break;
                case "left out" or "in progress":
                    break;
                default:
                    problems.Add($"{what} is neither served nor left out with a reason ('{row.Status}')");
                    break;
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_table_keeps_every_operation_of_both_definitions()
    {
        var rows = ReadTable();
        Assert.Equal(90, rows.Count(r => r.Section.StartsWith("Application API")));
        Assert.Equal(13, rows.Count(r => r.Section.StartsWith("Client API")));
        var duplicates = rows.GroupBy(r => Normalise(r.Method, r.Path)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        // The reference's two agent report paths differ only by a trailing slash (and a query parameter).
        Assert.Equal(["GET /api/v2/accounts/{}/reports/conversations"], duplicates);
    }
}
