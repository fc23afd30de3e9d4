using System.Net;
using System.Net.Sockets;

namespace UniLink.Infrastructure.Outbound;

/// <summary>
/// The one HTTP client for every request UniLink makes to an address it was given (app pages, webhooks, bots,
/// avatars): no redirects followed, no cookies, no proxy, and a connection only to public addresses — checked on the
/// address actually connected to, so a name that resolves differently the second time (DNS rebinding) gains nothing.
/// <c>UNILINK_OUTBOUND_ALLOW_PRIVATE=1</c> lets an operator reach loopback and private networks (tests, intranets).
/// </summary>
public static class OutboundHttp
{
    public const string ClientName = "outbound";
    public const string UserAgent = "UniLink (+https://github.com/unilink/unilink)";

    public static IServiceCollection AddOutboundHttp(this IServiceCollection services, bool allowPrivateAddresses)
    {
        var guard = new OutboundAddressGuard(allowPrivateAddresses);
        services.AddSingleton(guard);
        services.AddHttpClient(ClientName, c =>
            {
                c.Timeout = TimeSpan.FromSeconds(10);
                c.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = guard.ConnectAsync,
            })
            // IHttpClientFactory logs four Information lines per request; webhook deliveries alone would write thousands a
            // second. What matters is in the delivery log (each attempt's status, duration and answer) and the warnings.
            .RemoveAllLoggers();
        return services;
    }
}

/// <summary>Thrown (as the request's failure) when the target's address is one UniLink may not reach.</summary>
public sealed class OutboundAddressRefusedException(string host)
    : HttpRequestException($"{host} resolves only to addresses UniLink does not connect to (loopback, private, link-local or reserved)");

public sealed class OutboundAddressGuard(bool allowPrivateAddresses)
{
    public bool AllowsPrivateAddresses => allowPrivateAddresses;

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(Allows).ToArray();
        if (allowed.Length == 0) throw new OutboundAddressRefusedException(host);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public bool Allows(IPAddress address) => allowPrivateAddresses || IsPublic(address);

    /// <summary>Whether an address is on the public internet: not loopback, private, link-local (cloud metadata), shared, multicast or reserved.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224 // this network, private, loopback, multicast and reserved
                || (b[0] == 100 && b[1] is >= 64 and <= 127) // shared address space (carrier NAT)
                || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) // IETF protocol assignments, documentation
                || (b[0] == 198 && b[1] is 18 or 19) // benchmarking
                || (b[0] == 198 && b[1] == 51 && b[2] == 100) || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal
            || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal) return false;
        var v6 = address.GetAddressBytes();
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b) // NAT64: judge the IPv4 address inside
            return IsPublic(new IPAddress(v6[12..]));
        if (v6[0] == 0x20 && v6[1] == 0x02) return IsPublic(new IPAddress(v6[2..6])); // 6to4
        if (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) return false; // documentation
        return (v6[0] & 0xe0) == 0x20; // global unicast 2000::/3
    }
}
