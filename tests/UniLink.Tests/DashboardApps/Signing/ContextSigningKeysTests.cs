using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UniLink.Features.DashboardApps.Signing;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.DashboardApps.Signing;

/// <summary>The ES256 keys of context tokens: published as a JWKS, kept in the database, rotated with overlap.</summary>
public sealed class ContextSigningKeysTests
{
    private static async Task<List<string>> PublishedKidsAsync(UniLinkServer server)
    {
        using var client = server.Client();
        using var response = await client.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("max-age", response.Headers.CacheControl!.ToString());
        var keys = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["keys"]!.AsArray();
        foreach (var key in keys)
        {
            Assert.Equal(["alg", "crv", "kid", "kty", "use", "x", "y"], key!.AsObject().Select(p => p.Key).Order());
            Assert.Equal(("EC", "P-256", "ES256", "sig"), (key["kty"]!.GetValue<string>(), key["crv"]!.GetValue<string>(), key["alg"]!.GetValue<string>(), key["use"]!.GetValue<string>()));
        }
        return keys.Select(k => k!["kid"]!.GetValue<string>()).ToList();
    }

    /// <summary>What a node that has just started sees (nothing cached).</summary>
    private static ContextSigningKeys FreshNode(UniLinkServer server) => new(server.Services.GetRequiredService<IServiceScopeFactory>(),
        server.Services.GetRequiredService<IDataProtectionProvider>(), TimeProvider.System);

    [Fact]
    public async Task Keys_are_published_without_credentials_survive_a_restart_and_verify_what_another_node_signs()
    {
        var server = new UniLinkServer();
        var node2 = server.AnotherNode();
        try
        {
            var signedByNode2 = (await node2.Services.GetRequiredService<ContextSigningKeys>().CurrentAsync()).Key.KeyId;
            var published = await PublishedKidsAsync(server);
            Assert.Contains(signedByNode2, published);
            var signedByNode1 = (await server.Services.GetRequiredService<ContextSigningKeys>().CurrentAsync()).Key.KeyId;
            Assert.Contains(signedByNode1, await PublishedKidsAsync(node2));
            Assert.Equal(1, server.Db(db => db.ContextSigningKeys.Count(k => k.Kid == signedByNode1)));

            server = server.Restart();
            Assert.Equal(signedByNode1, (await server.Services.GetRequiredService<ContextSigningKeys>().CurrentAsync()).Key.KeyId);
            var afterRestart = await PublishedKidsAsync(server);
            Assert.All(published, kid => Assert.Contains(kid, afterRestart));
        }
        finally
        {
            node2.Dispose();
            server.Dispose();
        }
    }

    [Fact]
    public async Task The_next_key_is_published_before_it_signs_and_the_old_one_stays_published_after()
    {
        using var server = new UniLinkServer();
        var first = (await FreshNode(server).CurrentAsync()).Key.KeyId;
        var now = DateTime.UtcNow;

        // Within two days of its retirement: the key still signs, and its successor is published already.
        await server.DbAsync(db => db.ContextSigningKeys.Where(k => k.Kid == first)
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.RetiresAt, now.AddHours(1)).SetProperty(k => k.ExpiresAt, now.AddHours(1).AddDays(2))));
        var node = FreshNode(server);
        Assert.Equal(first, (await node.CurrentAsync()).Key.KeyId);
        var successor = server.Db(db => db.ContextSigningKeys.Single(k => k.Kid != first));
        Assert.Equal(now.AddHours(1), successor.ActivatesAt, TimeSpan.FromSeconds(1));
        var jwks = JsonNode.Parse(await node.JwksAsync())!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).ToList();
        Assert.Equal([successor.Kid, first], jwks);

        // Once the old key retires, the successor signs; the old one stays published for the tokens still out there.
        await server.DbAsync(db => db.ContextSigningKeys.Where(k => k.Kid == first)
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.RetiresAt, now.AddMinutes(-1)).SetProperty(k => k.ExpiresAt, now.AddDays(2))));
        await server.DbAsync(db => db.ContextSigningKeys.Where(k => k.Kid == successor.Kid)
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.ActivatesAt, now.AddMinutes(-1))));
        node = FreshNode(server);
        Assert.Equal(successor.Kid, (await node.CurrentAsync()).Key.KeyId);
        Assert.Contains(first, JsonNode.Parse(await node.JwksAsync())!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()));

        // After the overlap it is gone, from the JWKS and from the database.
        await server.DbAsync(db => db.ContextSigningKeys.Where(k => k.Kid == first)
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.ExpiresAt, now.AddSeconds(-1))));
        node = FreshNode(server);
        Assert.Equal(successor.Kid, (await node.CurrentAsync()).Key.KeyId);
        Assert.Equal([successor.Kid], JsonNode.Parse(await node.JwksAsync())!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()));
        Assert.Equal(0, server.Db(db => db.ContextSigningKeys.Count(k => k.Kid == first)));
        Assert.Equal(1, server.Db(db => db.ContextSigningKeys.Count()));
    }
}
