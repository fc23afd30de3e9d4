// Keeps the messages pane scrolled like a chat: at the bottom when new messages arrive (if the agent was there),
// in place when older ones are prepended, and asks for older ones when the agent scrolls to the top.
const state = new WeakMap();

export function attach(pane, dotnet) {
    const s = { dotnet, loading: false, atBottom: true, heightBeforeOlder: 0, topBeforeOlder: 0 };
    state.set(pane, s);
    pane.scrollTop = pane.scrollHeight;
    pane.addEventListener('scroll', async () => {
        s.atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 80;
        if (pane.scrollTop > 60 || s.loading || pane.dataset.allLoaded === 'true') return;
        s.loading = true;
        s.heightBeforeOlder = pane.scrollHeight;
        s.topBeforeOlder = pane.scrollTop;
        try { await dotnet.invokeMethodAsync('LoadOlderAsync', +(pane.querySelector('article[data-message-id]')?.dataset.messageId ?? 0)); }
        finally { setTimeout(() => { s.loading = false; }, 400); }
    });
}

export function rendered(pane, newestChanged, olderPrepended) {
    const s = state.get(pane);
    if (!s) return;
    if (olderPrepended) {
        if (s.heightBeforeOlder) pane.scrollTop = pane.scrollHeight - s.heightBeforeOlder + s.topBeforeOlder;
        s.heightBeforeOlder = 0;
    }
    if (newestChanged && s.atBottom) pane.scrollTop = pane.scrollHeight;
    s.loading = false;
}
