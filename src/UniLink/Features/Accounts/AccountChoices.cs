namespace UniLink.Features.Accounts;

/// <summary>What the dashboard's pickers offer in an account, by name: its agents, teams, inboxes and labels.</summary>
public sealed class AccountChoices(IDbContextFactory<UniLinkDb> dbs)
{
    public async Task<List<(int Id, string Name)>> AgentsAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await db.AccountUsers.AsNoTracking().Where(m => m.AccountId == accountId).OrderBy(m => m.User.Name).ThenBy(m => m.UserId)
            .Select(m => new { m.UserId, m.User.Name }).ToListAsync(ct)).Select(m => (m.UserId, m.Name)).ToList();
    }

    public async Task<List<(int Id, string Name)>> TeamsAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await db.Teams.AsNoTracking().Where(t => t.AccountId == accountId).OrderBy(t => t.Name).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.Name }).ToListAsync(ct)).Select(t => (t.Id, t.Name)).ToList();
    }

    public async Task<List<(int Id, string Name)>> InboxesAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await db.Inboxes.AsNoTracking().Where(i => i.AccountId == accountId).OrderBy(i => i.Name).ThenBy(i => i.Id)
            .Select(i => new { i.Id, i.Name }).ToListAsync(ct)).Select(i => (i.Id, i.Name)).ToList();
    }

    public async Task<List<(string Title, string Color)>> LabelsAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await db.Labels.AsNoTracking().Where(l => l.AccountId == accountId).OrderBy(l => l.Title)
            .Select(l => new { l.Title, l.Color }).ToListAsync(ct)).Select(l => (l.Title, l.Color)).ToList();
    }
}
