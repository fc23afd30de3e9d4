using Microsoft.EntityFrameworkCore;
using UniLink.Features.Agents;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.AgentBots;

/// <summary>Agent bots of an account and the inboxes they serve; shared by the API and Settings › Bots.</summary>
public sealed class AgentBotService(UniLinkDb db)
{
    public Task<List<AgentBot>> ListAsync(int accountId, CancellationToken ct = default) =>
        db.AgentBots.AsNoTracking().Where(b => b.AccountId == accountId).OrderBy(b => b.Id).ToListAsync(ct);

    public Task<AgentBot?> FindAsync(int accountId, int id, CancellationToken ct = default) =>
        db.AgentBots.FirstOrDefaultAsync(b => b.Id == id && b.AccountId == accountId, ct);

    public async Task<AgentBot> CreateAsync(int accountId, string name, string? description, string? outgoingUrl, string? avatarUrl, CancellationToken ct = default)
    {
        var bot = new AgentBot
        {
            AccountId = accountId, Name = name, Description = description ?? "", Thumbnail = avatarUrl ?? "",
            OutgoingUrl = string.IsNullOrEmpty(outgoingUrl) ? null : outgoingUrl, AccessToken = Tokens.New(), Secret = Tokens.New(24),
            CreatedAt = UnixTime.Now(),
        };
        db.AgentBots.Add(bot);
        await db.SaveChangesAsync(ct);
        return bot;
    }

    /// <summary>Removes the bot; its inboxes are left without one.</summary>
    public async Task<bool> DeleteAsync(int accountId, int id, CancellationToken ct = default)
    {
        if (await FindAsync(accountId, id, ct) is not { } bot) return false;
        await db.Inboxes.Where(i => i.AgentBotId == bot.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.AgentBotId, (int?)null), ct);
        db.AgentBots.Remove(bot);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public enum SetResult { Done, NoInbox, NotABotOfTheAccount }

    /// <summary>Connects the bot to the inbox (null disconnects); the bot must be the inbox's account's own.</summary>
    public async Task<SetResult> SetInboxBotAsync(int accountId, int inboxId, int? botId, CancellationToken ct = default)
    {
        var inbox = await db.Inboxes.FirstOrDefaultAsync(i => i.Id == inboxId && i.AccountId == accountId, ct);
        if (inbox is null) return SetResult.NoInbox;
        if (botId is { } id && !await db.AgentBots.AnyAsync(b => b.Id == id && b.AccountId == accountId, ct)) return SetResult.NotABotOfTheAccount;
        inbox.AgentBotId = botId;
        inbox.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        return SetResult.Done;
    }
}
