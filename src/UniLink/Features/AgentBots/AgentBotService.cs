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

    /// <summary>A bot and its access token, which is stored only as a hash: this is the one time it can be shown.</summary>
    public sealed record IssuedBot(AgentBot Bot, string AccessToken);

    public async Task<IssuedBot> CreateAsync(int? accountId, string name, string? description, string? outgoingUrl, string? avatarUrl, CancellationToken ct = default)
    {
        var token = Tokens.New();
        var bot = new AgentBot
        {
            AccountId = accountId, Name = name, Description = description ?? "", Thumbnail = avatarUrl ?? "",
            OutgoingUrl = string.IsNullOrEmpty(outgoingUrl) ? null : outgoingUrl, AccessTokenHash = Tokens.Hash(token), Secret = Tokens.New(24),
            CreatedAt = UnixTime.Now(),
        };
        db.AgentBots.Add(bot);
        await db.SaveChangesAsync(ct);
        return new IssuedBot(bot, token);
    }

    /// <summary>Replaces the bot's access token; the old one stops working at once.</summary>
    public async Task<IssuedBot?> ResetAccessTokenAsync(int accountId, int id, CancellationToken ct = default)
    {
        if (await FindAsync(accountId, id, ct) is not { } bot) return null;
        var token = Tokens.New();
        bot.AccessTokenHash = Tokens.Hash(token);
        await db.SaveChangesAsync(ct);
        return new IssuedBot(bot, token);
    }

    /// <summary>Replaces the secret that signs the events sent to the bot's outgoing URL.</summary>
    public async Task<AgentBot?> ResetSecretAsync(int accountId, int id, CancellationToken ct = default)
    {
        if (await FindAsync(accountId, id, ct) is not { } bot) return null;
        bot.Secret = Tokens.New(24);
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
