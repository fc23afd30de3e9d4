using System.Net;

namespace UniLink.Tests.Host;

/// <summary>What a client reads back: the exact bytes of each GET, to compare before and after something.</summary>
public static class ApiSnapshot
{
    public static async Task<List<(string Path, string Body)>> TakeAsync(HttpClient client, IEnumerable<string> paths)
    {
        var result = new List<(string, string)>();
        foreach (var path in paths)
        {
            var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
            result.Add((path, body));
        }
        return result;
    }

    public static void AssertSame(List<(string Path, string Body)> before, List<(string Path, string Body)> after)
    {
        Assert.Equal(before.Count, after.Count);
        foreach (var (b, a) in before.Zip(after))
            Assert.True(b.Body == a.Body, $"GET {b.Path} changed:\nbefore {b.Body}\nafter  {a.Body}");
    }
}
