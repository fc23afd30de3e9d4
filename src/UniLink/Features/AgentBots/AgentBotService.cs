
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

    public const int MaxName = 255;

    /// <summary>A new bot of the account (null: a bot of the whole installation, as the Platform API may create).</summary>
    public async Task<WriteResult<IssuedBot>> CreateAsync(int? accountId, AgentBotInput input, CancellationToken ct = default)
    {
        if (Problem(input, creating: true) is { } problem) return problem;
        var token = Tokens.New();
        var bot = new AgentBot
        {
            AccountId = accountId, Name = input.Name!.Trim(), Description = input.Description ?? "", Thumbnail = input.AvatarUrl ?? "",
            OutgoingUrl = string.IsNullOrEmpty(input.OutgoingUrl) ? null : input.OutgoingUrl, AccessTokenHash = Tokens.Hash(token),
            Secret = Tokens.New(24), CreatedAt = UnixTime.Now(),
        };
        db.AgentBots.Add(bot);
        await db.SaveChangesAsync(ct);
        return new IssuedBot(bot, token);
    }

    public async Task<WriteResult<AgentBot>> UpdateAsync(int accountId, int id, AgentBotInput input, CancellationToken ct = default) =>
        await FindAsync(accountId, id, ct) is { } bot ? await UpdateAsync(bot, input, ct) : new WriteResult<AgentBot>.Missing();

    /// <summary>Changes a bot already found (the Platform API finds it by what its app created, not by account).</summary>
    public async Task<WriteResult<AgentBot>> UpdateAsync(AgentBot bot, AgentBotInput input, CancellationToken ct = default)
    {
        if (Problem(input, creating: false) is { } problem) return problem;
        if (input.Name is { } name) bot.Name = name.Trim();
        if (input.Description is { } description) bot.Description = description;
        if (input.AvatarUrl is { } avatar) bot.Thumbnail = avatar;
        if (input.OutgoingUrlGiven) bot.OutgoingUrl = string.IsNullOrEmpty(input.OutgoingUrl) ? null : input.OutgoingUrl;
        await db.SaveChangesAsync(ct);
        return bot;
    }

    /// <summary>A bot has a name; the address its events go to and its avatar are http(s) when given.</summary>
    private static WriteProblem? Problem(AgentBotInput input, bool creating)
    {
        if ((creating || input.Name is not null) && string.IsNullOrWhiteSpace(input.Name)) return new WriteProblem("Name can't be blank", "name");
        if (input.Name is { Length: > MaxName }) return new WriteProblem($"Name is too long (maximum is {MaxName} characters)", "name");
        if (input.OutgoingUrl is { Length: > 0 } url && !HttpUrl.IsValid(url)) return new WriteProblem("Outgoing URL must be an http or https URL", "outgoing_url");
        if (input.AvatarUrl is { Length: > 0 } avatarUrl && !HttpUrl.IsValid(avatarUrl)) return new WriteProblem("Avatar URL must be an http or https URL", "avatar_url");
        return null;
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

    /// <summary>Connects the bot to the inbox (null disconnects); the bot must be the inbox's account's own.</summary>
    public async Task<WriteResult<Inbox>> SetInboxBotAsync(int accountId, int inboxId, int? botId, CancellationToken ct = default)
    {
        var inbox = await db.Inboxes.FirstOrDefaultAsync(i => i.Id == inboxId && i.AccountId == accountId, ct);
        if (inbox is null) return new WriteResult<Inbox>.Missing();
        if (botId is { } id && !await db.AgentBots.AnyAsync(b => b.Id == id && b.AccountId == accountId, ct))
            return new WriteProblem("Agent bot is not a bot of this account", "agent_bot");
        inbox.AgentBotId = botId;
        inbox.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        return inbox;
    }
}
