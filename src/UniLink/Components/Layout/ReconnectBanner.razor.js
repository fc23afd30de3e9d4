// Blazor's reconnect display (an element with id components-reconnect-modal gets these state events).
// Rejected means the server is back but no longer knows this page's circuit (it restarted): reload, which
// renders current data; the reply draft comes back from sessionStorage.
const banner = document.getElementById('components-reconnect-modal');

function resendDrafts() {
    // Keystrokes made while disconnected never reached the server: hand the current text to it again.
    for (const box of document.querySelectorAll('textarea[data-draft-ready]')) {
        box.dispatchEvent(new Event('input', { bubbles: true }));
    }
}

async function retry() {
    document.removeEventListener('visibilitychange', retryWhenVisible);
    banner.dataset.state = 'show';
    try {
        if (await Blazor.reconnect()) return;
        if (!(await Blazor.resumeCircuit())) location.reload();
    } catch {
        banner.dataset.state = 'failed';
        document.addEventListener('visibilitychange', retryWhenVisible);
    }
}

function retryWhenVisible() {
    if (document.visibilityState === 'visible') retry();
}

banner?.addEventListener('components-reconnect-state-changed', event => {
    const state = event.detail.state;
    const wasDown = banner.dataset.state !== undefined && banner.dataset.state !== 'hide';
    banner.dataset.state = state;
    if (state === 'rejected') location.reload();
    else if (state === 'failed' || state === 'resume-failed') document.addEventListener('visibilitychange', retryWhenVisible);
    else if (state === 'hide' && wasDown) resendDrafts();
});
banner?.querySelector('.reconnect-retry')?.addEventListener('click', retry);
