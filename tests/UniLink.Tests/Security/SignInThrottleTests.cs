using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Security;

/// <summary>No lockout to use as a weapon, and no telling who exists by the time an answer takes (issue 13, item 8).</summary>
public class SignInThrottleTests
{
    private const string Invalid = """{"errors":["Invalid login credentials. Please try again."]}""";

    /// <summary>A client whose connections come from another loopback address, as a second computer would.</summary>
    private static HttpClient ClientFrom(UniLinkServer server, string localAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
            await socket.ConnectAsync(context.DnsEndPoint.Host == "localhost" ? new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port)
                : new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = server.BaseAddress };

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password) =>
        client.PostAsync("/auth/sign_in", Json(new { email, password }));

    [Fact]
    public async Task Failures_from_one_address_make_only_that_address_wait_and_never_lock_the_user()
    {
        using var server = new UniLinkServer();
        using var attacker = ClientFrom(server, "127.0.0.1");
        using var user = ClientFrom(server, "127.0.0.2");
        for (var i = 0; i < 5; i++)
            await (await SignInAsync(attacker, UniLinkServer.AdminEmail, "wrong-password")).ExpectBodyAsync(HttpStatusCode.Unauthorized, Invalid);

        // The address that failed waits (back-off), even with the right password…
        var held = await SignInAsync(attacker, UniLinkServer.AdminEmail, UniLinkServer.AdminPassword);
        Assert.Equal((HttpStatusCode)429, held.StatusCode);
        Assert.True(int.Parse(held.Headers.GetValues("Retry-After").Single()) >= 1);
        // …while the administrator, signing in from elsewhere, is not locked out.
        await (await SignInAsync(user, UniLinkServer.AdminEmail, UniLinkServer.AdminPassword)).ExpectAsync(HttpStatusCode.OK);

        // Once the wait is over, the right password works from there too.
        await Task.Delay(TimeSpan.FromSeconds(5.5));
        await (await SignInAsync(attacker, UniLinkServer.AdminEmail, UniLinkServer.AdminPassword)).ExpectAsync(HttpStatusCode.OK);

        // Unknown e-mails are throttled alike, so a 429 tells nothing about who exists.
        for (var i = 0; i < 5; i++)
            await (await SignInAsync(attacker, "nobody@example.com", "wrong-password")).ExpectBodyAsync(HttpStatusCode.Unauthorized, Invalid);
        Assert.Equal((HttpStatusCode)429, (await SignInAsync(attacker, "nobody@example.com", "wrong-password")).StatusCode);
    }

    [Fact]
    public async Task Unknown_and_known_emails_take_as_long()
    {
        using var server = new UniLinkServer();
        using var client = server.Client();
        await SignInAsync(client, "warm-up@example.com", "wrong-password"); // first hash and JIT out of the way

        // Alternated, so that a busy machine slows both alike (four each: a fifth wrong password for one e-mail is throttled).
        var (known, unknown) = (new List<double>(), new List<double>());
        for (var i = 0; i < 4; i++)
            foreach (var (email, times) in new[] { (UniLinkServer.AdminEmail, known), ($"nobody{i}@example.com", unknown) })
            {
                var watch = Stopwatch.StartNew();
                await (await SignInAsync(client, email, "wrong-password")).ExpectAsync(HttpStatusCode.Unauthorized);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        static double Median(List<double> times) => times.Order().Skip(1).Take(2).Average();
        // Before: ~5 ms against ~200 ms. Both now check a password hash.
        Assert.True(Median(unknown) > Median(known) * 0.5, $"unknown e-mails answered in {Median(unknown):F0} ms, known ones in {Median(known):F0} ms");
    }
}
