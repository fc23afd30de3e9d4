using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using UniLink.BrowserTests.Infrastructure;
using UniLink.Features.DashboardApps;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.DashboardApps;

/// <summary>One UniLink, two app origins (two more loopback ports) and one browser for the embedding tests.</summary>
public sealed class EmbeddingFixture : IAsyncLifetime
{
    public UniLinkServer Server { get; private set; } = null!;
    public TestAppServer Apps { get; private set; } = null!;
    public TestAppServer Elsewhere { get; private set; } = null!;
    public BrowserFixture Browser { get; } = new();

    public async Task InitializeAsync()
    {
        Server = new UniLinkServer();
        Apps = await TestAppServer.StartAsync();
        Elsewhere = await TestAppServer.StartAsync();
        await Browser.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Apps.DisposeAsync();
        await Elsewhere.DisposeAsync();
        Server.Dispose();
    }

    /// <summary>A new account (administered by the test admin) so that each test sees only its own apps.</summary>
    public async Task<int> NewAccountAsync() =>
        await Server.CreateAccountAsync("Embedding " + Guid.NewGuid().ToString("N")[..6],
            Server.AdminUserId);

    public async Task<int> AddAppAsync(int accountId, string title, params string[] urls) =>
        await Server.DbAsync(async db =>
        {
            var now = UnixTime.Now();
            var app = new DashboardApp
            {
                AccountId = accountId, Title = title, CreatedAt = now, UpdatedAt = now,
                Content = JsonSerializer.Serialize(urls.Select(u => new { type = "frame", url = u })),
            };
            db.DashboardApps.Add(app);
            await db.SaveChangesAsync();
            return app.Id;
        });

    public async Task<IPage> SignedInPageAsync(List<string> errors)
    {
        var page = await Browser.NewPageAsync(Server.BaseAddress, errors);
        await page.SignInAsAdminAsync();
        return page;
    }
}

public static class FrameReading
{
    /// <summary>What the app page in <paramref name="frame"/> has received so far (bounded: Playwright's evaluate has no timeout
    /// of its own, and on a frame between documents it waits for the next one).</summary>
    public static async Task<JsonArray> ReceivedAsync(this IFrame frame) =>
        JsonNode.Parse(await frame.EvaluateAsync<string>("() => JSON.stringify(window.received || [])").WaitAsync(TimeSpan.FromSeconds(10)))!.AsArray();

    public static IEnumerable<JsonNode> Contexts(this JsonArray received) =>
        received.Where(r => r?["data"]?["event"]?.GetValue<string>() == "appContext").Select(r => r!["data"]!["data"]!);

    /// <summary>The app frame with that element id, once the app page in it has started listening.</summary>
    public static async Task<IFrame> AppFrameAsync(this IPage page, string id)
    {
        var iframe = page.Locator($"#{id}");
        // The host sets src only once it listens for the frame's load; until then the frame is about:blank.
        await Assertions.Expect(iframe).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^https?://"));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var frame = await (await iframe.ElementHandleAsync()).ContentFrameAsync();
            try
            {
                if (frame is not null && !frame.Url.StartsWith("about:")
                    && await frame.EvaluateAsync<bool>("() => Array.isArray(window.received)").WaitAsync(TimeSpan.FromSeconds(5)))
                    return frame;
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException) { } // navigating: the old document is gone, the new one not yet there
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the app in #{id} did not start");
            await Task.Delay(50);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds (bounded), then returns the last value read.</summary>
    public static async Task<JsonArray> WaitForAsync(this IFrame frame, Func<JsonArray, bool> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var received = await frame.ReceivedAsync();
            if (condition(received)) return received;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"condition not met; received: {received.ToJsonString()}");
            await Task.Delay(50);
        }
    }
}
