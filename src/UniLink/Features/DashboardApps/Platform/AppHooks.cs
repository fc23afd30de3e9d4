using System.Text.Json;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.DashboardApps.Events;

namespace UniLink.Features.DashboardApps.Platform;

/// <summary>One app's answer to a hook, as the dashboard's browser collected it (<c>unilink:hook-result</c>, or none in time).</summary>
public sealed record HookAnswer(int AppId, string Outcome, string? Reason = null, string? Text = null)
{
    public const string Allow = "allow";
    public const string Block = "block";
    public const string Replace = "replace";
    /// <summary>No answer within the app's time limit (or its frame never loaded).</summary>
    public const string Timeout = "timeout";
}

/// <summary>What the hooks decided: go ahead (with <see cref="Text"/> instead of the draft when an app replaced it), or not,
/// and why (each blocking app and its reason).</summary>
public sealed record HookDecision(bool Allowed, string? Text, IReadOnlyList<HookBlock> Blocks)
{
    public static readonly HookDecision Go = new(true, null, []);

    /// <summary>What the agent reads when blocked: each app that blocked, and why.</summary>
    public string Message => string.Join(" ", Blocks.Select(b => $"{b.AppTitle} blocked it: {b.Reason}"));
}

public sealed record HookBlock(int AppId, string AppTitle, string Reason);

/// <summary>A hook to ask one app: its id, its time limit, and the message its frame gets.</summary>
public sealed record HookRequest(int AppId, int TimeoutMs, string Json);

/// <summary>
/// Hooks: apps granted <c>before_send</c> (or <c>before_resolve</c>) are asked, in parallel, when the agent presses Send (or
/// resolves), and answer allow, block with a reason, or (before_send) replace with other text. The strictest answer wins
/// (block over replace over allow); an app that does not answer within its time limit counts as allowing or blocking, as
/// its administrator chose. Every block and replacement is in the audit log.
/// </summary>
public sealed class AppHooks(UniLinkDb db)
{
    public const int DefaultTimeoutMs = 2000;
    public const int MinTimeoutMs = 100;
    public const int MaxTimeoutMs = 10_000;
    public const string OnTimeoutSend = "send";
    public const string OnTimeoutBlock = "block";
    public static readonly string[] TimeoutOutcomes = [OnTimeoutSend, OnTimeoutBlock];
    public const int MaxReasonLength = 500;
    public const int MaxTextLength = 10_000;

    public static int TimeoutMsOf(DashboardApp app) => app.HookTimeoutMs ?? DefaultTimeoutMs;

    /// <summary>
    /// The apps to ask, in the dashboard's order: those holding the grant for <paramref name="hook"/>. A private note's draft
    /// goes only to apps that see private notes (<see cref="ContextScopes.MessagesAll"/>), as its events do.
    /// </summary>
    public static IReadOnlyList<DashboardApp> Hooked(IEnumerable<DashboardApp> apps, string hook, bool privateNote = false) =>
        apps.Where(a => AppActions.PermissionsOf(a).Contains(hook)
                        && (!privateNote || ContextScopes.GrantedOf(a).Contains(ContextScopes.MessagesAll))).ToList();

    /// <summary><c>{"event":"unilink:hook","type":…,"id":…,"data":{draft, private, conversation}}</c> for one app
    /// (the conversation cut to its scopes); the browser fills in <c>id</c>.</summary>
    public static HookRequest Request(DashboardApp app, string hook, AppContextData data, string? draft, bool isPrivate)
    {
        var conversation = AppEventSource.ConversationRecord(ContextScopes.Apply(data, app).Conversation);
        object payload = hook == AppActions.BeforeSend
            ? new { draft, @private = isPrivate, conversation }
            : new { conversation };
        return new HookRequest(app.Id, TimeoutMsOf(app), JsonSerializer.Serialize(new { @event = "unilink:hook", type = hook, data = payload }, WireJson.Options));
    }

    /// <summary>The strictest answer: any block blocks (naming every app that blocked); else the first replacement (in the
    /// dashboard's order of apps) is sent; else the draft goes as it is. A malformed answer counts as no answer.</summary>
    public static HookDecision Decide(string hook, IReadOnlyList<DashboardApp> apps, IReadOnlyList<HookAnswer> answers)
    {
        var blocks = new List<HookBlock>();
        string? text = null;
        foreach (var app in apps)
        {
            var answer = Normalize(hook, answers.FirstOrDefault(a => a.AppId == app.Id) ?? new HookAnswer(app.Id, HookAnswer.Timeout));
            switch (answer.Outcome)
            {
                case HookAnswer.Block:
                    blocks.Add(new HookBlock(app.Id, app.Title, answer.Reason!));
                    break;
                case HookAnswer.Replace:
                    text ??= answer.Text;
                    break;
                case HookAnswer.Timeout when app.HookTimeoutBlocks:
                    blocks.Add(new HookBlock(app.Id, app.Title, $"it did not answer within {TimeoutMsOf(app) / 1000.0:0.#} s"));
                    break;
            }
        }
        return blocks.Count > 0 ? new HookDecision(false, null, blocks) : new HookDecision(true, text, []);
    }

    private static HookAnswer Normalize(string hook, HookAnswer a) => a.Outcome switch
    {
        HookAnswer.Allow => a,
        HookAnswer.Block => a with { Reason = a.Reason?.Trim() is { Length: > 0 } r ? r[..Math.Min(r.Length, MaxReasonLength)] : "no reason given" },
        HookAnswer.Replace when hook == AppActions.BeforeSend && a.Text is { Length: > 0 and <= MaxTextLength } t && t.Trim().Length > 0 => a,
        _ => a with { Outcome = HookAnswer.Timeout },
    };

    /// <summary>Writes the audit lines of a decision: each block and the replacement that was sent.</summary>
    public async Task RecordAsync(int accountId, string hook, IReadOnlyList<DashboardApp> apps, IReadOnlyList<HookAnswer> answers, HookDecision decision,
        int userId, int conversationDisplayId, CancellationToken ct = default)
    {
        foreach (var app in apps)
        {
            var answer = Normalize(hook, answers.FirstOrDefault(a => a.AppId == app.Id) ?? new HookAnswer(app.Id, HookAnswer.Timeout));
            string? outcome = decision.Blocks.FirstOrDefault(b => b.AppId == app.Id) is { } block ? $"blocked: {block.Reason}"
                : answer.Outcome == HookAnswer.Replace && decision.Allowed && decision.Text == answer.Text ? "replaced the text"
                : null;
            if (outcome is null || app.AccountId != accountId) continue;
            await Audit.AppAudit.AddAsync(db, app, Audit.AppAuditEvents.HookAnswered, userId, ct, conversationDisplayId,
                request: hook, outcome: outcome);
        }
        await db.SaveChangesAsync(ct);
    }
}
