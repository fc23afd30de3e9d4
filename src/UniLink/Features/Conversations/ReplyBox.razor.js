// The reply draft, kept in this tab's sessionStorage by the browser itself, so it survives a lost connection.
function read(key) {
    try { return JSON.parse(sessionStorage.getItem(key) || 'null'); } catch { return null; }
}

function write(key, draft) {
    if (!draft.text && !draft.private) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(draft));
    announce(key, draft.text || '', !!draft.private);
}

// Dashboard apps may follow the draft (`reply.draft_changed`): told once typing pauses, not on every key.
const DRAFT_EVENT_DELAY_MS = 300;
let draftTimer = null;
function announce(key, content, isPrivate) {
    clearTimeout(draftTimer);
    const conversationId = Number(key.split(':').pop());
    draftTimer = setTimeout(() => window.dispatchEvent(new CustomEvent('unilink:draft-changed',
        { detail: { conversationId, content, isPrivate } })), DRAFT_EVENT_DELAY_MS);
}

// While the canned-response list is open, the keys that move in it and pick from it do nothing else in the textarea
// (no new line on Enter, no caret move on the arrows); the server handles them.
const pickerKeys = ['ArrowDown', 'ArrowUp', 'Enter', 'Tab', 'Escape'];

export function attach(textarea, key) {
    const stored = read(key);
    textarea.addEventListener('keydown', e => {
        if (textarea.dataset.cannedOpen === 'true' && pickerKeys.includes(e.key) && !e.ctrlKey && !e.metaKey) e.preventDefault();
    });
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
    announce(key, '', false);
}

export function saveDraft(key, text, isPrivate) {
    write(key, { text, private: isPrivate });
}

// Files to send: chosen with the paperclip, dropped anywhere on the conversation, or pasted (a screenshot). They stay
// here until sent, listed with name, size and a remove button; Blazor only hears how many there are.
const pending = new WeakMap();

function formatSize(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
    return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

function render(form) {
    const state = pending.get(form);
    state.list.replaceChildren(...state.files.map((file, i) => {
        const item = document.createElement('li');
        const name = document.createElement('span');
        name.className = 'file-name';
        name.textContent = file.name;
        const size = document.createElement('span');
        size.className = 'file-size';
        size.textContent = formatSize(file.size);
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'remove-file';
        remove.textContent = '×';
        remove.setAttribute('aria-label', `Remove ${file.name}`);
        remove.addEventListener('click', () => { state.files.splice(i, 1); render(form); });
        item.append(name, size, remove);
        return item;
    }));
    state.dotnet.invokeMethodAsync('FilesChanged', state.files.length).catch(() => {});
}

function add(form, files) {
    const state = pending.get(form);
    for (const file of files) {
        // A pasted screenshot is called "image.png" by every browser: name it by the time instead.
        const named = file.name && file.name !== 'image.png' ? file
            : new File([file], `screenshot-${new Date().toISOString().replace(/[:.]/g, '-')}.${(file.type.split('/')[1] || 'png')}`, { type: file.type });
        state.files.push(named);
    }
    render(form);
}

export function attachFiles(form, input, list, dotnet) {
    pending.set(form, { files: [], list, dotnet });
    input.addEventListener('change', () => { add(form, input.files); input.value = ''; });
    form.addEventListener('paste', e => {
        const files = [...(e.clipboardData?.files || [])];
        if (files.length === 0) return;
        e.preventDefault();
        add(form, files);
    });
    const zone = form.closest('.conversation-main') || form;
    zone.addEventListener('dragover', e => {
        if (![...(e.dataTransfer?.types || [])].includes('Files')) return;
        e.preventDefault();
        zone.classList.add('drop-target');
    });
    zone.addEventListener('dragleave', e => { if (e.target === zone) zone.classList.remove('drop-target'); });
    zone.addEventListener('drop', e => {
        zone.classList.remove('drop-target');
        if (!e.dataTransfer?.files?.length) return;
        e.preventDefault();
        add(form, e.dataTransfer.files);
    });
}

/** Sends text and files as one multipart request to the API (the session cookie signs it), showing upload progress. */
export function sendFiles(form, url, content, isPrivate) {
    const state = pending.get(form);
    const body = new FormData();
    if (content && content.trim()) body.append('content', content);
    body.append('private', isPrivate ? 'true' : 'false');
    body.append('message_type', 'outgoing');
    for (const file of state.files) body.append('attachments[]', file, file.name);
    const progress = document.createElement('progress');
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute('aria-label', 'Upload progress');
    const item = document.createElement('li');
    item.className = 'upload-progress';
    item.append(progress);
    state.list.append(item);
    return new Promise(resolve => {
        const request = new XMLHttpRequest();
        request.open('POST', url);
        request.setRequestHeader('Accept', 'application/json');
        request.upload.addEventListener('progress', e => { if (e.lengthComputable) progress.value = Math.round(100 * e.loaded / e.total); });
        request.addEventListener('load', () => {
            if (request.status >= 200 && request.status < 300) {
                state.files = [];
                render(form);
                resolve({ ok: true, error: null });
                return;
            }
            item.remove();
            let error = `Could not send (${request.status}).`;
            try {
                const answer = JSON.parse(request.responseText);
                error = answer.message || answer.error || (answer.errors && answer.errors.join(' ')) || error;
            } catch { /* not JSON */ }
            resolve({ ok: false, error });
        });
        request.addEventListener('error', () => { item.remove(); resolve({ ok: false, error: 'Could not send: the connection failed. Your text and files are kept; try again.' }); });
        request.send(body);
    });
}
