using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UniLink.Features.Accounts;
using UniLink.Features.Agents;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Config;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Tests.Infrastructure;

/// <summary>
/// The real app (its Program.cs) on a real loopback socket with a random port, on a fresh database:
/// SQLite in a temporary folder, or, when UNILINK_TEST_POSTGRES names a server, a new PostgreSQL database.
/// Restarting on the same data is <see cref="Restart"/>.
/// </summary>
public sealed class UniLinkServer : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@example.com";
    public const string AdminPassword = "admin-password-1";
    public const string AdminToken = "admin-token-0123456789abcdef";

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsData;
    private bool _keepData;
    public string DataDir { get; }
    public string? DatabaseUrl { get; }
    public Uri BaseAddress { get; private set; } = null!;

    public UniLinkServer(IDictionary<string, string?>? settings = null)
        : this(NewDataDir(), NewDatabase(Environment.GetEnvironmentVariable("UNILINK_TEST_POSTGRES")), settings, ownsData: true) { }

    /// <summary>A server on a new database of the PostgreSQL server <paramref name="postgresUrl"/>, whatever this run targets.</summary>
    public static UniLinkServer OnPostgresServer(string postgresUrl, IDictionary<string, string?>? settings = null) =>
        new(NewDataDir(), NewDatabase(postgresUrl), settings, ownsData: true);

    private UniLinkServer(string dataDir, string? databaseUrl, IDictionary<string, string?>? settings, bool ownsData, int port = 0)
    {
        _ownsData = ownsData;
        DataDir = dataDir;
        DatabaseUrl = databaseUrl;
        _settings = new Dictionary<string, string?>
        {
            ["UNILINK_DATA_DIR"] = dataDir,
            ["UNILINK_DATABASE_URL"] = databaseUrl,
            ["UNILINK_ADMIN_EMAIL"] = AdminEmail,
            ["UNILINK_ADMIN_PASSWORD"] = AdminPassword,
            ["UNILINK_ADMIN_TOKEN"] = AdminToken,
            ["UNILINK_DEMO"] = "0",
            // Browser tests sign in many times a minute from one address; the throttling tests set it low.
            ["UNILINK_SIGNIN_RATE_LIMIT"] = "100000",
            ["UNILINK_PUBLIC_API_RATE_LIMIT"] = "100000",
            // Test apps and receivers live on loopback; the tests of the address guard turn this off.
            ["UNILINK_OUTBOUND_ALLOW_PRIVATE"] = "1",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) if (k != "UNILINK_DATA_DIR" || v is not null) _settings[k] = v;
        UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        StartServer();
        BaseAddress = new Uri(ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>Is the database PostgreSQL in this run?</summary>
    public static bool OnPostgres => Environment.GetEnvironmentVariable("UNILINK_TEST_POSTGRES") is { Length: > 0 };

    /// <summary>A second node on the same database (and, with UNILINK_REDIS_URL, the same Redis); its own data folder.</summary>
    public UniLinkServer AnotherNode() =>
        new(DatabaseUrl is null ? DataDir : NewDataDir(), DatabaseUrl, new Dictionary<string, string?>(_settings) { ["UNILINK_DATA_DIR"] = null }, ownsData: false);

    /// <summary>
    /// Stops this server and starts a new one on the same database and data folder; with
    /// <paramref name="samePort"/> on the same address too, as a real restart looks to open browsers.
    /// </summary>
    public UniLinkServer Restart(bool samePort = false) => Start(Stop(), samePort ? BaseAddress.Port : 0);

    /// <summary>
    /// The first half of <see cref="Restart"/>, for tests that act while the server is down: stops this server and
    /// returns what <see cref="Start"/> needs to bring it back.
    /// </summary>
    public StoppedServer Stop()
    {
        var stopped = new StoppedServer(DataDir, DatabaseUrl, new Dictionary<string, string?>(_settings), BaseAddress.Port);
        _keepData = true;
        Dispose();
        return stopped;
    }

    /// <summary>Starts a stopped server again on its database and data folder (port 0: a new random port).</summary>
    public static UniLinkServer Start(StoppedServer stopped, int port) =>
        new(stopped.DataDir, stopped.DatabaseUrl, new Dictionary<string, string?>(stopped.Settings), ownsData: true, port);

    /// <summary>Stopped for good (not by <see cref="Stop"/>): its database and data folder go with it, unless another node owns them.</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing || !_ownsData || _keepData) return;
        _keepData = true;
        TestScratch.Remove(DataDir, DatabaseUrl);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings) builder.UseSetting(k, v ?? "");
        builder.UseEnvironment("Development");
        if (Environment.GetEnvironmentVariable("UNILINK_TEST_ERROR_LOG") is { Length: > 0 } errorLog)
            builder.ConfigureLogging(logging => logging.AddProvider(new ErrorFileLoggerProvider(errorLog)));
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null) client.DefaultRequestHeaders.Add(ApiTokenHandler.HeaderName, token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public HttpClient AdminClient() => Client(AdminToken);

    /// <summary>The account created at start-up, administered by <see cref="AdminEmail"/>.</summary>
    public int AccountId => Db(db => db.Accounts.OrderBy(a => a.Id).Select(a => a.Id).First());

    /// <summary>The user <see cref="AdminEmail"/> (the installation's first administrator).</summary>
    public int AdminUserId => Db(db => db.Users.Where(u => u.Email == AdminEmail).Select(u => u.Id).First());

    public T Db<T>(Func<UniLinkDb, T> query)
    {
        using var scope = Services.CreateScope();
        return query(scope.ServiceProvider.GetRequiredService<UniLinkDb>());
    }

    public async Task<T> DbAsync<T>(Func<UniLinkDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<UniLinkDb>());
    }

    /// <summary>A new account with the given user in it; returns the account id.</summary>
    public async Task<int> CreateAccountAsync(string name, int? administratorId = null) =>
        await DbAsync(async db =>
        {
            var now = UnixTime.Now();
            var account = new Account { Name = name, CreatedAt = now, UpdatedAt = now };
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            if (administratorId is { } uid)
            {
                db.AccountUsers.Add(new AccountUser { AccountId = account.Id, UserId = uid, Role = Roles.Administrator, CreatedAt = now });
                await db.SaveChangesAsync();
            }
            return account.Id;
        });

    /// <summary>A new user with a password and token, member of the account with the role; null account makes no membership.</summary>
    public async Task<TestUser> CreateUserAsync(int? accountId, string role = Roles.Agent, string? name = null)
    {
        var token = Tokens.New();
        var email = $"{Guid.NewGuid():N}@example.com";
        const string password = "user-password-1";
        var id = await DbAsync(async db =>
        {
            var now = UnixTime.Now();
            var user = new User { Name = name ?? "Agent " + email[..6], Email = email, AccessTokenHash = Tokens.Hash(token), CreatedAt = now, UpdatedAt = now };
            user.PasswordHash = Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, password);
            db.Users.Add(user);
            if (accountId is { } aid) db.AccountUsers.Add(new AccountUser { AccountId = aid, User = user, Role = role, CreatedAt = now });
            await db.SaveChangesAsync();
            return user.Id;
        });
        return new TestUser(id, email, password, token);
    }

    public async Task<string> CreateBotAsync(int? accountId)
    {
        var token = Tokens.New();
        await DbAsync(async db =>
        {
            db.AgentBots.Add(new AgentBot { Name = "Bot", AccountId = accountId, AccessTokenHash = Tokens.Hash(token), CreatedAt = UnixTime.Now() });
            return await db.SaveChangesAsync();
        });
        return token;
    }

    /// <summary>A new, empty data folder, removed when the test process exits.</summary>
    public static string NewDataDir() => TestScratch.NewFolder();

    /// <summary>A new, empty database on that PostgreSQL server, dropped when the test process exits; null (SQLite) without one.</summary>
    public static string? NewDatabase(string? server) => string.IsNullOrEmpty(server) ? null : TestScratch.NewDatabase(server);
}

/// <summary>What a stopped <see cref="UniLinkServer"/> leaves behind: its data, settings and the port it used.</summary>
public sealed record StoppedServer(string DataDir, string? DatabaseUrl, IReadOnlyDictionary<string, string?> Settings, int Port)
{
    public UniLinkServer StartAgain() => UniLinkServer.Start(this, Port);
}

public sealed record TestUser(int Id, string Email, string Password, string Token);
