using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using UniLink.Tests.Infrastructure;
using Xunit.Abstractions;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Host;

/// <summary>
/// The <c>./unilink</c> command itself, as a person or a service manager runs it: it builds if needed, prints where
/// to sign in, serves the dashboard, the API and the sample Orders app with demo data, and, told to stop, returns
/// only once both servers are down. On the PostgreSQL pass it runs against UNILINK_DATABASE_URL.
/// </summary>
public class UnilinkCommandTests(ITestOutputHelper output)
{
    private const string AdminEmail = "owner@unilink-command.test";

    [Fact]
    public async Task Unilink_prints_where_to_sign_in_serves_the_demo_stops_cleanly_and_keeps_its_data()
    {
        var dataDir = UniLinkServer.NewDataDir();
        var databaseUrl = UniLinkServer.NewDatabase(Environment.GetEnvironmentVariable("UNILINK_TEST_POSTGRES"));
        var (port, appPort) = (UniLinkProcess.FreePort(), UniLinkProcess.FreePort());
        var settings = new Dictionary<string, string?>
        {
            ["UNILINK_URLS"] = $"http://127.0.0.1:{port}",
            ["UNILINK_DATA_DIR"] = dataDir,
            ["UNILINK_DATABASE_URL"] = databaseUrl,
            ["UNILINK_ADMIN_EMAIL"] = AdminEmail,
            ["UNILINK_DEMO_APP_URL"] = $"http://127.0.0.1:{appPort}/",
        };
        var site = new Uri($"http://127.0.0.1:{port}");
        using var anonymous = new HttpClient { BaseAddress = site };

        string password, token;
        int account, conversation;
        using (var first = await Unilink.StartAsync(settings, site, output))
        {
            // No password was set: the banner gives the generated one, and it signs in.
            Assert.Contains($"Sign in:        http://127.0.0.1:{port}/app/login", first.Output);
            password = BannerValue(first.Output, "Password");
            token = BannerValue(first.Output, "API token");
            var signIn = await (await anonymous.PostAsync("/auth/sign_in", Json(new { email = AdminEmail, password }))).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(AdminEmail, signIn!["data"]!["email"]!.GetValue<string>());

            using var admin = Client(site, token);
            account = (await (await admin.GetAsync("/api/v1/profile")).ExpectAsync(HttpStatusCode.OK))!["account_id"]!.GetValue<int>();
            var all = await (await admin.GetAsync($"/api/v1/accounts/{account}/conversations?status=all")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(12, all!["data"]!["meta"]!["all_count"]!.GetValue<int>());
            var apps = (await (await admin.GetAsync($"/api/v1/accounts/{account}/dashboard_apps")).ExpectAsync(HttpStatusCode.OK))!.AsArray();
            Assert.Contains(apps, a => a!["content"]![0]!["url"]!.GetValue<string>().StartsWith($"http://127.0.0.1:{appPort}/"));
            using (var ordersApp = new HttpClient())
                Assert.Equal(HttpStatusCode.OK, (await ordersApp.GetAsync($"http://127.0.0.1:{appPort}/")).StatusCode);
            conversation = all["data"]!["payload"]![0]!["id"]!.GetValue<int>();
            await (await admin.PostAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages",
                Json(new { content = "Written before ./unilink was stopped" }))).ExpectAsync(HttpStatusCode.OK);

            var servers = first.Children();
            Assert.Equal(2, servers.Count); // UniLink and the Orders app
            await first.StopAsync();
            Assert.All(servers, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} outlived ./unilink"));
            Assert.False(Listening(port), "UniLink still listened after ./unilink returned");
            Assert.False(Listening(appPort), "the Orders app still listened after ./unilink returned");
        }

        using var second = await Unilink.StartAsync(settings, site, output);
        Assert.Contains("created on first start", second.Output);
        await (await anonymous.PostAsync("/auth/sign_in", Json(new { email = AdminEmail, password }))).ExpectAsync(HttpStatusCode.OK);
        using var again = Client(site, token);
        var messages = await (await again.GetAsync($"/api/v1/accounts/{account}/conversations/{conversation}/messages")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(messages!["payload"]!.AsArray(), m => m!["content"]?.GetValue<string>() == "Written before ./unilink was stopped");
        var list = await (await again.GetAsync($"/api/v1/accounts/{account}/conversations?status=all")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(12, list!["data"]!["meta"]!["all_count"]!.GetValue<int>()); // the demo is seeded once
        await second.StopAsync();
    }

    private static HttpClient Client(Uri site, string token)
    {
        var client = new HttpClient { BaseAddress = site };
        client.DefaultRequestHeaders.Add("api_access_token", token);
        return client;
    }

    private static string BannerValue(string banner, string name)
    {
        var match = Regex.Match(banner, $@"^\s*{Regex.Escape(name)}:\s+(\S+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"no {name} in the banner:\n{banner}");
        return match.Groups[1].Value;
    }

    private static bool Listening(int port)
    {
        try
        {
            using var tcp = new TcpClient();
            tcp.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    /// <summary><c>bash ./unilink</c> from the repository's root, its output collected.</summary>
    private sealed class Unilink : IDisposable
    {
        private readonly CapturedProcess _process;

        private Unilink(IReadOnlyDictionary<string, string?> settings)
        {
            var root = CapturedProcess.RepositoryRoot().FullName;
            var start = new ProcessStartInfo("bash") { WorkingDirectory = root };
            start.ArgumentList.Add(Path.Combine(root, "unilink"));
            foreach (var (k, v) in settings) start.Environment[k] = v;
            _process = new CapturedProcess(start);
        }

        public string Output => _process.Output;

        /// <summary>Runs it until /app/login answers 200 and the banner is out (a first run builds: up to 6 minutes).</summary>
        public static async Task<Unilink> StartAsync(IReadOnlyDictionary<string, string?> settings, Uri site, ITestOutputHelper log)
        {
            var unilink = new Unilink(settings);
            using var client = new HttpClient { BaseAddress = site, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddMinutes(6);
            while (DateTime.UtcNow < deadline && !unilink._process.HasExited)
            {
                try
                {
                    if ((await client.GetAsync("/app/login")).StatusCode == HttpStatusCode.OK && unilink.Output.Contains("Sign in:")) return unilink;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                await Task.Delay(200);
            }
            var output = unilink.Output;
            unilink.Dispose();
            log.WriteLine(output);
            throw new InvalidOperationException($"./unilink did not serve {site}:\n{output}");
        }

        /// <summary>The processes <c>./unilink</c> started (from each process's parent id in /proc).</summary>
        public List<int> Children() =>
            Directory.EnumerateDirectories("/proc")
                .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
                .Where(pid => pid > 0 && ParentOf(pid) == _process.Process.Id)
                .ToList();

        private static int? ParentOf(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                // "pid (comm) state ppid …": the command name may hold spaces, so count from its closing parenthesis.
                return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
            }
            catch (IOException) { return null; }
        }

        /// <summary>SIGTERM, as a service manager stops it, and waits for the command to return.</summary>
        public async Task StopAsync()
        {
            Assert.Equal(0, SendSignal(_process.Process.Id, SigTerm));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.Process.WaitForExitAsync(timeout.Token);
            Assert.Equal(143, _process.Process.ExitCode);
        }

        public void Dispose() => _process.Dispose();

        private const int SigTerm = 15;

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int SendSignal(int pid, int signal);
    }
}
