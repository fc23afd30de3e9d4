// The reply draft, kept in this tab's sessionStorage by the browser itself, so it survives a lost connection.
function read(key) {
    try { return JSON.parse(sessionStorage.getItem(key) || 'null'); } catch { return null; }
}

function write(key, draft) {
    if (!draft.text && !draft.private) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(draft));
}

export function attach(textarea, key) {
    const stored = read(key);
    textarea.addEventListener('input', () => {
        const current = read(key) || {};
        write(key, { text: textarea.value, private: !!current.private });
    });
    return stored ? { text: stored.text || '', private: !!stored.private } : null;
}

export function saveMode(textarea, key, isPrivate) {
    write(key, { text: textarea.value, private: isPrivate });
}

export function clear(key) {
    sessionStorage.removeItem(key);
}

export function saveDraft(key, text, isPrivate) {
    write(key, { text, private: isPrivate });
}
