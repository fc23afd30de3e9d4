// Decides that an app frame did not load, and shows why in its tab (the .app-failed box), with a retry.
// Chromium fires `load` even for a frame whose connection was refused or whose page refused to be framed
// (X-Frame-Options, CSP frame-ancestors), and the dashboard cannot look inside it. So three checks run beside
// the load, each able to mark the frame failed:
//  1. reachability: a no-cors HEAD fetch of the app URL from this browser rejects only on a network failure
//     (refused, DNS, TLS, blocked mixed content); its opaque answer is otherwise ignored.
//  2. framing: the server fetches the URL and applies the browser's X-Frame-Options / frame-ancestors rules
//     against this dashboard's origin (when the server cannot reach the app it says "unknown" and (1)/(3) decide).
//  3. a timeout for a frame whose load never comes.
// The dashboard's CSP must keep allowing these fetches (it sets no connect-src today).

const LOAD_TIMEOUT_MS = 20000;

function show(panel, reason) {
    const text = panel.querySelector('.app-failed-reason');
    if (text) text.textContent = reason;
    panel.classList.remove('loaded');
    panel.classList.add('failed');
}

async function checkFraming(url) {
    try {
        const check = new URL('app/embedding/check', document.baseURI);
        check.search = new URLSearchParams({ url, origin: location.origin }).toString();
        const response = await fetch(check, { credentials: 'same-origin', cache: 'no-store' });
        if (!response.ok) return null;
        const verdict = await response.json();
        return verdict && verdict.embeddable === false ? String(verdict.reason || 'The app refuses to be embedded.') : null;
    } catch {
        return null; // our own server is away: nothing to say about the app
    }
}

async function checkReachable(url, origin) {
    try {
        await fetch(url, { method: 'HEAD', mode: 'no-cors', credentials: 'omit', cache: 'no-store', redirect: 'follow' });
        return null;
    } catch {
        return `Could not connect to ${origin}: the app may be down or not reachable from this computer.`;
    }
}

/**
 * Watches one app frame from now on; call before setting its src. Retry (the panel's button) checks again and
 * reloads the frame; the caller's own load listener sees that load like any other.
 */
export function watchFrameLoad(frame, url) {
    const panel = frame.closest('.app-panel');
    if (!panel) return;
    let origin;
    try { origin = new URL(url, location.href).origin; } catch { return; }
    let attempt = 0;
    let loaded = false;
    let timer = 0;

    const check = () => {
        const current = ++attempt;
        loaded = false;
        panel.classList.remove('failed');
        const fail = reason => { if (reason && current === attempt) show(panel, reason); };
        clearTimeout(timer);
        timer = setTimeout(() => {
            if (!loaded) fail(`It did not finish loading within ${LOAD_TIMEOUT_MS / 1000} seconds.`);
        }, LOAD_TIMEOUT_MS);
        checkReachable(url, origin).then(fail);
        checkFraming(url).then(fail);
    };

    frame.addEventListener('load', () => { loaded = true; clearTimeout(timer); });
    panel.querySelector('.app-retry')?.addEventListener('click', () => {
        check();
        frame.src = url;
    });
    check();
}
