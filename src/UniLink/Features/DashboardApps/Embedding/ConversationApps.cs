using UniLink.Features.DashboardApps.Audit;
using UniLink.Features.DashboardApps.Events;
using UniLink.Features.DashboardApps.Manifests;
using UniLink.Features.DashboardApps.Placements;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Features.DashboardApps.Signing;

namespace UniLink.Features.DashboardApps.Embedding;

/// <summary>
/// The Dashboard Apps of one agent's open conversation: which apps show (placement, inbox, audience), their views with
/// the URL variables filled in, the contexts built from what the page has read (<see cref="ConversationView"/>) and
/// sealed per app, the typed events between one context and the next, the token refresh, the hooks, and the apps'
/// actions and requests. One per page (transient): a page's circuit lives for hours, so each read opens its own
/// context, and scoped services that hold a <see cref="UniLinkDb"/> get a scope per write (<see cref="InScopeAsync"/>).
/// Call <see cref="Close"/> when the page goes.
/// </summary>
public sealed class ConversationApps(IDbContextFactory<UniLinkDb> dbs, AppContextBuilder builder, AppSecrets secrets,
    ContextSigningKeys signingKeys, ContextReceipts receipts, IServiceScopeFactory scopes)
{
    /// <summary>Tokens live five minutes: apps get a fresh one this often.</summary>
    public static readonly TimeSpan TokenRefresh = TimeSpan.FromMinutes(4);
    private const int MaxQueuedEvents = 200;
    private static readonly IReadOnlyDictionary<int, byte[]> NoContexts = new Dictionary<int, byte[]>();

    private int _accountId;
    private int _userId;
    private string _role = "";
    /// <summary>The tokens' issuer: the dashboard's origin as the agent reached it (where /.well-known/jwks.json is).</summary>
    private string _issuer = "";
    private ConversationView? _view;
    private AppAccountJson? _accountJson;
    private List<DashboardApp> _rows = [];
    private IReadOnlySet<int> _framed = new HashSet<int>();
    /// <summary>Each app's last message: an unchanged context is the same message, so nothing is resent.</summary>
    private readonly SealedContexts _sealed = new(secrets);
    /// <summary>Finds the typed events (<c>unilink:event</c>) between one context and the next.</summary>
    private readonly AppEventSource _eventSource = new();
    private long _eventSeq;
    private Timer? _tokenRefresh;
    /// <summary>The apps' views for a conversation just opened, shown after the conversation (see <see cref="LoadAsync"/>).</summary>
    private (IReadOnlyList<DashboardAppView> Views, int For)? _staged;

    /// <summary>The apps shown in the conversation's tabs, sidebar, composer and contact panel (not background ones).</summary>
    public IReadOnlyList<DashboardAppView> Views { get; private set; } = [];
    public IReadOnlyList<DashboardAppView> ContactPanelViews { get; private set; } = [];
    /// <summary>The conversation <see cref="Views"/> were made for: the tabs start over for a new one only once its apps are in.</summary>
    public int ViewsFor { get; private set; }
    /// <summary>The agent's dashboard theme, which apps follow.</summary>
    public string Theme { get; private set; } = "light";
    /// <summary>Each framed app's sealed context (null while none is built, or the conversation is gone).</summary>
    public IReadOnlyDictionary<int, byte[]>? Contexts { get; private set; }
    /// <summary>The latest typed events, oldest first (the tabs post those newer than what they posted last); a new list per change.</summary>
    public IReadOnlyList<QueuedAppEvent> Events { get; private set; } = [];
    /// <summary>Contexts wait for the first render of a newly opened conversation (see <see cref="LoadAsync"/>).</summary>
    public bool ContextsPending { get; private set; }
    /// <summary>Called (off the page's thread) when the contexts should be rebuilt for fresh tokens.</summary>
    public Func<Task>? OnTokenRefresh { get; set; }

    /// <summary>The app rows shown for this conversation (background ones included).</summary>
    public IReadOnlyList<DashboardApp> Rows => _rows;

    /// <summary>A new conversation is opening: no context until it is built for it.</summary>
    public void Opening() => Contexts = null;

    /// <summary>
    /// The apps shown for this conversation's inbox to this agent (their audience), their URL variables filled in, the
    /// agent's theme. <paramref name="deferFrames"/>: a conversation is being opened, and its apps' frames change (old
    /// ones go, new ones come) in the render after the one that shows the conversation (<see cref="ApplyStaged"/>), so
    /// that creating and removing frames never delays it; its contexts wait for that render too.
    /// </summary>
    public async Task LoadAsync(OpenConversation open, string issuer, bool deferFrames)
    {
        if (open.View is not { } view || open.Scope is not { } scope) return;
        (_accountId, _userId, _role, _issuer, _view) = (open.AccountId, open.UserId, scope.Role ?? "", issuer, view);
        await using var db = await dbs.CreateDbContextAsync();
        var agent = await db.Users.AsNoTracking().Where(u => u.Id == _userId).Select(u => new { u.Email, u.Theme }).FirstAsync();
        Theme = agent.Theme;
        var viewer = await AppViewer.LoadAsync(db, scope);
        // Page apps live on their own pages; background apps (in the layout) hear this conversation's events and hooks.
        var apps = await db.DashboardApps.AsNoTracking().Where(a => a.AccountId == _accountId && a.Placement != AppSettings.Page).OrderBy(a => a.Id).ToListAsync();
        _rows = apps.Where(a => AppSettings.IsShown(a, view.Conversation.InboxId, viewer)).ToList();
        var values = FrameUrlValues.For(_accountId, view.Conversation, view.Conversation.Contact, _userId, agent.Email);
        var views = _rows.Where(a => a.Placement != AppSettings.Background).Select(a => PlacedApps.View(a, values)).ToList();
        _accountJson ??= await db.Accounts.AsNoTracking().Where(a => a.Id == _accountId).Select(a => new AppAccountJson(a.Id, a.Name)).FirstAsync();
        if (deferFrames)
        {
            _staged = (views, open.DisplayId);
            ContextsPending = true;
        }
        else ApplyViews(views, open.DisplayId);
    }

    /// <summary>Shows the views staged by <see cref="LoadAsync"/>; true when contexts are due (after a render).</summary>
    public bool ApplyStaged()
    {
        if (_staged is not { } staged) return ContextsPending;
        ApplyViews(staged.Views, staged.For);
        return true;
    }

    private void ApplyViews(IReadOnlyList<DashboardAppView> views, int displayId)
    {
        _staged = null;
        Views = views;
        ContactPanelViews = views.Where(a => a.InContactPanel).ToList();
        ViewsFor = displayId;
    }

    /// <summary>The apps whose frames are in the page: only they get a context (it holds every loaded message, so
    /// building it for apps nobody opened was most of a live update's cost).</summary>
    public async Task FramedChangedAsync(IReadOnlySet<int> framed)
    {
        _framed = framed;
        if (Contexts is null || framed.Any(id => !Contexts.ContainsKey(id))) await BuildContextsAsync();
    }

    /// <summary>Apps follow the dashboard's theme: a new context goes out when the agent switches it.</summary>
    public Task ThemeChangedAsync(string theme)
    {
        Theme = theme;
        return BuildContextsAsync();
    }

    private List<DashboardApp> FramedRows() =>
        _rows.Where(a => Views.Any(v => v.Id == a.Id && (v.InSidebar || v.InContactPanel || _framed.Contains(a.Id)))).ToList();

    /// <summary>Background apps shown for this conversation: no frame here, no context from it, but its events.</summary>
    private List<DashboardApp> BackgroundRows() => _rows.Where(a => a.Placement == AppSettings.Background).ToList();

    /// <summary>How many times the last <see cref="BuildContextsAsync"/> serialised a context: one per set of scopes and
    /// placement among the framed apps, however many apps share it.</summary>
    public int SerialisationsLastBuilt { get; private set; }

    /// <summary>
    /// The framed apps' contexts from the conversation as the page shows it now (<paramref name="view"/>, or the last
    /// one), each cut to the app's scopes and sealed with its token. Apps with the same scopes share one serialisation:
    /// only their tokens differ.
    /// </summary>
    public async Task BuildContextsAsync(ConversationView? view = null)
    {
        if (view is not null) _view = view;
        ContextsPending = false;
        if (_view is not { } shown || FramedRows().Count == 0 && BackgroundRows().Count == 0)
        {
            Contexts = NoContexts;
            _eventSource.Reset();
            return;
        }
        var data = await builder.BuildAsync(shown, _userId, Theme);
        var signer = await signingKeys.CurrentAsync();
        var now = DateTime.UtcNow;
        // The apps as they are now: a tab may have opened while the context was being read.
        var framed = FramedRows();
        // What changed since the last context becomes each app's typed events (cut to its scopes, as its context is).
        _eventSource.Next(data);
        var contexts = new Dictionary<int, byte[]>();
        List<QueuedAppEvent>? queued = null;
        void Queue(DashboardApp app, AppContextData scoped)
        {
            foreach (var e in _eventSource.For(app, scoped))
            {
                queued ??= [.. Events.Skip(Math.Max(0, Events.Count - MaxQueuedEvents))];
                queued.Add(new QueuedAppEvent(++_eventSeq, app.Id, e.Type, e.Json));
            }
        }
        // One scoped context and one serialisation per set of scopes and placement.
        var shared = new Dictionary<string, (AppContextData Scoped, byte[] Unsigned)>(StringComparer.Ordinal);
        foreach (var app in framed)
        {
            var key = $"{string.Join(',', ContextScopes.WithheldOf(app).Order(StringComparer.Ordinal))}|{app.Placement == AppSettings.ContactPanel}";
            if (!shared.TryGetValue(key, out var context))
            {
                var scoped = ContextScopes.Apply(data, app);
                var sent = app.Placement == AppSettings.ContactPanel ? scoped with { Account = _accountJson, Placement = AppSettings.ContactPanel } : scoped;
                shared[key] = context = (scoped, AppContextMessage.Unsigned(sent));
            }
            Queue(app, context.Scoped);
            contexts[app.Id] = _sealed.Seal(context.Unsigned, () => context.Scoped.ClaimsFor(app, _role), app, _role, signer, _issuer, now);
        }
        foreach (var app in BackgroundRows()) Queue(app, ContextScopes.Apply(data, app));
        if (queued is not null) Events = queued;
        Contexts = contexts;
        SerialisationsLastBuilt = shared.Count;
        // The audit log's sample: which app got which conversation for which agent (once an hour; remembered in memory in between).
        await receipts.RecordAsync(framed, shown.Conversation.DisplayId, _userId, now);
        // Tokens live five minutes; apps always hold a fresh one.
        _tokenRefresh ??= new Timer(_ => OnTokenRefresh?.Invoke(), null, TokenRefresh, TokenRefresh);
    }

    /// <summary>Asks the apps holding the hook (in the agent's browser, through <paramref name="ask"/>, in parallel) and
    /// decides with <see cref="AppHooks"/>; the decision is recorded in the audit log.</summary>
    public async Task<HookDecision> RunHooksAsync(string hook, string? draft, bool isPrivate,
        Func<string, IReadOnlyList<HookRequest>, Task<IReadOnlyList<HookAnswer>>>? ask)
    {
        var apps = AppHooks.Hooked(_rows, hook, isPrivate);
        if (apps.Count == 0 || ask is null || _view is not { } view) return HookDecision.Go;
        var data = await builder.BuildAsync(view, _userId, Theme);
        var answers = await ask(hook, apps.Select(a => AppHooks.Request(a, hook, data, draft, isPrivate)).ToList());
        var decision = AppHooks.Decide(hook, apps, answers);
        await InScopeAsync<AppHooks, bool>(async hooks =>
        {
            await hooks.RecordAsync(_accountId, hook, apps, answers, decision, _userId, view.Conversation.DisplayId);
            return true;
        });
        return decision;
    }

    /// <summary>An app's action (<c>unilink:action</c>) on the conversation, as the agent.</summary>
    public Task<AppActionResult> PerformActionAsync(int appId, int displayId, string requestJson) =>
        // A frame of the conversation shown before (its frames go a render after the new one shows) acts on nothing here.
        ViewsFor != displayId || _rows.All(a => a.Id != appId)
            ? Task.FromResult(AppActionResult.Refused("The app is not shown in this conversation"))
            : InScopeAsync<AppActions, AppActionResult>(actions => actions.PerformAsync(_accountId, appId, displayId, _userId, requestJson));

    /// <summary>An app's request through the host (<c>unilink:request</c>), as the agent.</summary>
    public Task<AppRequestResult> PerformRequestAsync(int appId, string requestJson) =>
        InScopeAsync<AppRequests, AppRequestResult>(requests => requests.PerformAsync(_accountId, appId, _userId, requestJson));

    /// <summary>A scoped service holding a <see cref="UniLinkDb"/>, for one write: a circuit outlives any unit of work.</summary>
    private async Task<TResult> InScopeAsync<TService, TResult>(Func<TService, Task<TResult>> work) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Stops the token refresh (the page went).</summary>
    public void Close()
    {
        _tokenRefresh?.Dispose();
        _tokenRefresh = null;
        OnTokenRefresh = null;
    }
}
