using System.Text.Json.Nodes;

namespace UniLink.Features.Inboxes;

/// <summary>
/// A create or update of an inbox. A value left null keeps what the inbox has (on create: the default);
/// <see cref="ChannelType"/> is the reference's name (api, web_widget, email) and only read on create.
/// </summary>
public sealed record InboxInput(
    string? Name, string? ChannelType = null, string? Email = null, string? WebsiteUrl = null, string? WebhookUrl = null,
    WidgetSettings? Widget = null, bool? GreetingEnabled = null, string? GreetingMessage = null, bool ChangesGreetingMessage = false,
    bool? EnableAutoAssignment = null, bool ChangesName = false) : IBodyInput<InboxInput>
{
    /// <summary>The reference reads an inbox's fields unwrapped.</summary>
    public static string? Wrapper => null;

    /// <summary>The reference's body: <c>name</c>, greeting and auto-assignment keys, and the <c>channel</c> object.</summary>
    public static InboxInput From(RequestBody body, bool creating = false)
    {
        var channel = body.Nested("channel");
        if (body.Json["channel"] is not null and not JsonObject) body.Problem("channel", "must be an object with a type (api, web_widget, email)");
        return new InboxInput(
            body.String("name", 255), channel?.String("type", 32), channel?.String("email", 255), channel?.String("website_url", 2048),
            channel?.String("webhook_url", 2048), channel is null ? null : WidgetSettings.Read(channel), body.Bool("greeting_enabled"),
            body.String("greeting_message", 2000), body.Has("greeting_message"), body.Bool("enable_auto_assignment"), body.Has("name"));
    }
}

/// <summary>Inboxes of an account: created and changed by the API and the settings page with the same rules.</summary>
public sealed class InboxService(IDbContextFactory<UniLinkDb> dbs)
{
    private static readonly Dictionary<string, string> ChannelByName = new()
    {
        ["api"] = ChannelTypes.Api,
        ["web_widget"] = ChannelTypes.WebWidget,
        ["email"] = ChannelTypes.Email,
    };

    public async Task<WriteResult<Inbox>> CreateAsync(int accountId, InboxInput input, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(input.Name)) return new WriteProblem("Name can't be blank", "name");
        if (input.ChannelType is null) return new WriteProblem("Channel must be an object with a type (api, web_widget, email)", "channel");
        if (!ChannelByName.TryGetValue(input.ChannelType, out var channelType))
            return new WriteProblem($"Channel type '{input.ChannelType}' is not one of api, web_widget, email", "channel");
        if (Problem(input, channelType) is { } problem) return problem;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = UnixTime.Now();
        var inbox = new Inbox
        {
            AccountId = accountId, Name = input.Name.Trim(), ChannelType = channelType, InboxIdentifier = Tokens.New(18),
            WebsiteUrl = input.WebsiteUrl, Email = input.Email, WebhookUrl = input.WebhookUrl, CreatedAt = now, UpdatedAt = now,
            Secret = channelType == ChannelTypes.Api ? Tokens.New(24) : null,
            GreetingEnabled = input.GreetingEnabled ?? false, GreetingMessage = input.GreetingMessage,
        };
        if (channelType == ChannelTypes.WebWidget) input.Widget?.ApplyTo(inbox);
        db.Inboxes.Add(inbox);
        await db.SaveChangesAsync(ct);
        return inbox;
    }

    public async Task<WriteResult<Inbox>> UpdateAsync(int accountId, int inboxId, InboxInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.Inboxes.FirstOrDefaultAsync(i => i.Id == inboxId && i.AccountId == accountId, ct) is not { } inbox)
            return new WriteResult<Inbox>.Missing();
        if (input.ChangesName && string.IsNullOrWhiteSpace(input.Name)) return new WriteProblem("Name can't be blank", "name");
        if (Problem(input with { Email = null }, inbox.ChannelType) is { } problem) return problem;
        if (input.Name is not null) inbox.Name = input.Name.Trim();
        if (input.GreetingEnabled is { } greeting) inbox.GreetingEnabled = greeting;
        if (input.ChangesGreetingMessage) inbox.GreetingMessage = input.GreetingMessage;
        if (input.EnableAutoAssignment is { } autoAssign) inbox.EnableAutoAssignment = autoAssign;
        if (input.WebsiteUrl is not null) inbox.WebsiteUrl = input.WebsiteUrl;
        if (input.WebhookUrl is not null) inbox.WebhookUrl = input.WebhookUrl;
        if (input.WebhookUrl is { Length: > 0 } && inbox.ChannelType == ChannelTypes.Api) inbox.Secret ??= Tokens.New(24);
        if (inbox.ChannelType == ChannelTypes.WebWidget) input.Widget?.ApplyTo(inbox);
        inbox.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        return inbox;
    }

    /// <summary>UniLink: a new secret for an API inbox's webhook_url signatures; the previous one signs nothing from now on.</summary>
    public async Task<WriteResult<Inbox>> ResetSecretAsync(int accountId, int inboxId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.Inboxes.FirstOrDefaultAsync(i => i.Id == inboxId && i.AccountId == accountId, ct) is not { } inbox)
            return new WriteResult<Inbox>.Missing();
        if (inbox.ChannelType != ChannelTypes.Api) return new WriteProblem("Only an API inbox has a signing secret", "channel");
        inbox.Secret = Tokens.New(24);
        inbox.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        return inbox;
    }

    /// <summary>An inbox's addresses must be usable: a mail address, links that are http(s) (never <c>javascript:</c>), and a website inbox's widget settings.</summary>
    private static WriteProblem? Problem(InboxInput input, string channelType)
    {
        if (input.Email is { Length: > 0 } email && !System.Net.Mail.MailAddress.TryCreate(email, out _)) return new WriteProblem("Email is invalid", "email");
        foreach (var (url, attribute) in new[] { (input.WebsiteUrl, "website_url"), (input.WebhookUrl, "webhook_url") })
            if (url is { Length: > 0 } && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                return new WriteProblem($"{RequestBody.Humanize(attribute)} must be an http or https URL", attribute);
        return channelType == ChannelTypes.WebWidget ? input.Widget?.Problem() : null;
    }
}
