using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using UniLink.Tests.Infrastructure;
using Xunit.Abstractions;

namespace UniLink.Tests.Production;

/// <summary>
/// Every API endpoint × every kind of caller, each answer's status (and, for refusals, the reference's body).
/// Failures are collected so one run shows the whole matrix's differences.
/// </summary>
public class AuthorizationMatrixTests(ITestOutputHelper output)
{
    private const string SignInRequired = """{"errors":["You need to sign in or sign up before continuing."]}""";
    private const string InvalidToken = """{"error":"Invalid Access Token"}""";
    private const string NoBots = """{"error":"Access to this endpoint is not authorized for bots"}""";
    private const string NotMember = """{"error":"You are not authorized to access this account"}""";
    private const string NotAllowed = """{"error":"You are not authorized to do this action"}""";
    private const string NotFound = """{"error":"Resource could not be found"}""";
    private const string InvalidPlatformToken = """{"error":"Invalid access_token"}""";
    private const string NonPermissible = """{"error":"Non permissible resource"}""";

    private enum Caller
    {
        Anonymous, BadToken, Bot, Agent, Administrator, AdministratorOfAnotherAccount,
        // Users of several accounts act in A with their role in A, whatever they are elsewhere.
        AgentHereAdministratorElsewhere, AdministratorHereAgentElsewhere,
        BotOfAnotherAccount, BotWithoutAccount,
        // The Platform API's apps: the one that created the world's platform records, and another.
        PlatformApp, OtherPlatformApp,
    }

    [Fact]
    public async Task Every_endpoint_has_a_row_in_the_matrix()
    {
        await using var world = await ApiWorld.CreateAsync();
        world.AssertEveryEndpointHasARow();
    }

    [Fact]
    public async Task Every_endpoint_answers_every_kind_of_caller_as_the_reference_does()
    {
        await using var world = await ApiWorld.CreateAsync();
        var failures = new List<string>();
        var checkedCalls = 0;
        foreach (var row in ApiWorld.Rows)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var (status, body) = Expected(row, caller);
                await CheckAsync(world, row, await row.Path(world), TokenOf(world, caller), caller.ToString(), status, body, failures);
                checkedCalls++;
            }
            if (row.Access is Access.Member or Access.MemberOrBot or Access.Administrator or Access.OwnRecord)
            {
                // An administrator of account B naming A's records under B's id: as if they did not exist.
                var path = await row.Path(world);
                if (row.Pattern.Count(c => c == '{') > 1)
                {
                    await CheckAsync(world, row, path.Replace($"/accounts/{world.AccountA}", $"/accounts/{world.AccountB}"),
                        world.OtherAdminToken, "administrator of another account, own account, A's ids", HttpStatusCode.NotFound, NotFound, failures);
                    checkedCalls++;
                }
                await CheckAsync(world, row, path.Replace($"/accounts/{world.AccountA}", "/accounts/987654"),
                    UniLinkServer.AdminToken, "administrator, unknown account", HttpStatusCode.NotFound, NotFound, failures);
                checkedCalls++;
            }
        }
        output.WriteLine($"{checkedCalls} calls over {ApiWorld.Rows.Count} endpoints");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCalls} calls differ:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_not_accepted_anywhere()
    {
        // Addresses end up in logs, history and Referer headers: tokens travel in headers only (issue 13, item 12).
        using var server = new UniLinkServer();
        using var client = server.Client();
        var response = await client.GetAsync($"/api/v1/profile?api_access_token={UniLinkServer.AdminToken}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(SameJson(SignInRequired, await response.Content.ReadAsStringAsync()));
        await (await client.GetAsync($"/api/v1/accounts/{server.AccountId}/labels?api_access_token={UniLinkServer.AdminToken}"))
            .ExpectAsync(HttpStatusCode.Unauthorized);
    }

    private static (HttpStatusCode, string?) Expected(ApiRow row, Caller caller)
    {
        var unauthorized = HttpStatusCode.Unauthorized;
        if (row.Access == Access.Anyone) return (row.Success, null);
        if (row.Access == Access.PlatformApp)
            return caller switch
            {
                Caller.PlatformApp => (row.Success, null),
                // Another app's records are not its own; what it lists or creates is.
                Caller.OtherPlatformApp => row.Pattern.Contains('{') ? (unauthorized, NonPermissible) : (row.Success, null),
                _ => (unauthorized, InvalidPlatformToken),
            };
        if (caller is Caller.PlatformApp or Caller.OtherPlatformApp) return (unauthorized, InvalidToken);
        return caller switch
        {
            Caller.Anonymous => (unauthorized, SignInRequired),
            Caller.BadToken => (unauthorized, InvalidToken),
            Caller.Bot => row.Access == Access.MemberOrBot ? (row.Success, null) : (unauthorized, NoBots),
            Caller.Agent or Caller.AgentHereAdministratorElsewhere => row.Access switch
            {
                Access.Administrator => (unauthorized, NotAllowed),
                Access.OwnRecord => (HttpStatusCode.NotFound, NotFound), // the world's records are its administrator's
                _ => (row.Success, null),
            },
            Caller.Administrator => (row.Success, null),
            Caller.AdministratorHereAgentElsewhere => row.Access == Access.OwnRecord ? (HttpStatusCode.NotFound, NotFound) : (row.Success, null),
            Caller.BotOfAnotherAccount or Caller.BotWithoutAccount => row.Access == Access.MemberOrBot ? (unauthorized, NotMember) : (unauthorized, NoBots),
            Caller.AdministratorOfAnotherAccount => row.Access == Access.User ? (row.Success, null) : (unauthorized, NotMember),
            _ => throw new ArgumentOutOfRangeException(nameof(caller)),
        };
    }

    private static string? TokenOf(ApiWorld world, Caller caller) => caller switch
    {
        Caller.Anonymous => null,
        Caller.BadToken => "not-a-token-" + Guid.NewGuid().ToString("N"),
        Caller.Bot => world.BotToken,
        Caller.Agent => world.AgentToken,
        Caller.Administrator => UniLinkServer.AdminToken,
        Caller.AgentHereAdministratorElsewhere => world.AgentHereAdministratorElsewhereToken,
        Caller.AdministratorHereAgentElsewhere => world.AdministratorHereAgentElsewhereToken,
        Caller.BotOfAnotherAccount => world.BotOfAnotherAccountToken,
        Caller.BotWithoutAccount => world.BotWithoutAccountToken,
        Caller.PlatformApp => ApiWorld.PlatformToken,
        Caller.OtherPlatformApp => ApiWorld.OtherPlatformToken,
        _ => world.OtherAdminToken,
    };

    private static async Task CheckAsync(ApiWorld world, ApiRow row, string path, string? token, string caller,
        HttpStatusCode status, string? expectedBody, List<string> failures)
    {
        using var client = world.Server.Client(token);
        using var request = new HttpRequestMessage(new HttpMethod(row.Method), path);
        if (row.Body is not null) request.Content = new StringContent(row.Body(world).ToJsonString(), Encoding.UTF8, "application/json");
        row.AddHeaders(request, world);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var what = $"{row.Method} {path} as {caller}";
        if (response.StatusCode != status)
            failures.Add($"{what}: expected {(int)status}, got {(int)response.StatusCode} {Shorten(text)}");
        else if (expectedBody is not null && !SameJson(expectedBody, text))
            failures.Add($"{what}: expected {expectedBody}, got {Shorten(text)}");
    }

    private static bool SameJson(string expected, string actual)
    {
        try { return JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)); }
        catch (System.Text.Json.JsonException) { return false; }
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
