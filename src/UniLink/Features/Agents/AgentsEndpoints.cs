using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.Agents;

public static class AgentsEndpoints
{
    public static RouteGroupBuilder MapAgents(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/agents").WithTags("Agents");
        group.MapGet("/", async (AccountScope scope, UniLinkDb db, CancellationToken ct) =>
        {
            var members = await db.AccountUsers.AsNoTracking().Include(m => m.User)
                .Where(m => m.AccountId == scope.AccountId).OrderBy(m => m.UserId).ToListAsync(ct);
            return Results.Json(members.Select(m => m.ToAgentJson()), WireJson.Options);
        });
        account.MapAgentAdministration();
        return account;
    }
}
