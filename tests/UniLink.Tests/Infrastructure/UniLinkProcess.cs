using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using UniLink.Infrastructure.Auth;

namespace UniLink.Tests.Infrastructure;

/// <summary>
/// The built UniLink.dll run by <c>dotnet</c> as a separate OS process (as <c>./unilink</c> runs it), on a random
/// free loopback port, so a test can SIGKILL it. The dll is the one the test project's build produced
/// (src/UniLink/bin/&lt;configuration&gt;/net10.0), since the test project references the app.
/// </summary>
public sealed class UniLinkProcess : IDisposable
{
    private readonly CapturedProcess _process;
    public Uri BaseAddress { get; }

    private UniLinkProcess(IReadOnlyDictionary<string, string?> settings)
    {
        var dll = AppDll();
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var arg in new[] { dll, "--contentRoot", Path.GetDirectoryName(dll)! }) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["UNILINK_URLS"] = BaseAddress.ToString().TrimEnd('/');
        foreach (var (k, v) in settings) start.Environment[k] = v;
        _process = new CapturedProcess(start);
    }

    /// <summary>Starts the app and waits until <c>/health</c> answers 200 (or the process ends, or 90 s pass).</summary>
    public static async Task<UniLinkProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var server = new UniLinkProcess(settings);
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !server.HasExited)
        {
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        var output = server.Output;
        server.Dispose();
        throw new InvalidOperationException($"UniLink did not become healthy on {server.BaseAddress}:\n{output}");
    }

    public bool HasExited => _process.HasExited;

    public string Output => _process.Output;

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as when the machine loses the process.</summary>
    public void Kill() => _process.Kill();

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Add(ApiTokenHandler.HeaderName, token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public void Dispose() => _process.Dispose();

    /// <summary>src/UniLink/bin/&lt;this test build's configuration&gt;/net10.0/UniLink.dll.</summary>
    private static string AppDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var root = CapturedProcess.RepositoryRoot();
        var dll = Path.Combine(root.FullName, "src", "UniLink", "bin", configuration, testBin.Name, "UniLink.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the app first (dotnet build UniLink.slnx): {dll} is missing", dll);
        return dll;
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
