using System.Net;
using System.Text.RegularExpressions;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Infrastructure;

/// <summary>A cookie-keeping client that submits the dashboard's server-rendered forms (login, invitation) as a browser would.</summary>
public sealed partial class BrowserlessForms(UniLinkServer server) : IDisposable
{
    public CookieContainer Cookies { get; } = new();
    private HttpClient? _client;

    public HttpClient Http => _client ??= new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
    {
        BaseAddress = server.BaseAddress,
    };

    /// <summary>Loads the page, fills the named fields of its form and posts it; returns the answer.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, IDictionary<string, string> fields)
    {
        var page = await Http.GetStringAsync(path);
        var form = new Dictionary<string, string>(fields);
        foreach (Match hidden in HiddenInput().Matches(page))
            form.TryAdd(WebUtility.HtmlDecode(hidden.Groups["name"].Value), WebUtility.HtmlDecode(hidden.Groups["value"].Value));
        return await Http.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>Signs in through the login form; the client then holds a session cookie.</summary>
    public async Task SignInAsync(string email, string password)
    {
        var response = await SubmitAsync("/app/login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {(int)response.StatusCode}");
    }

    public void Dispose() => _client?.Dispose();

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)" */?>""")]
    private static partial Regex HiddenInput();
}
