// The app sandbox drives the conversation view's bridge: the same protocol code, one frame, and a log of
// every message both ways rendered as it happens.
import * as bridge from '../Embedding/DashboardAppTabs.razor.js';

let unsubscribe = null;
let sandboxAppId = 0;

function pretty(body) {
  try { return JSON.stringify(JSON.parse(body), null, 2); } catch { return body; }
}

function append(tbody, entry) {
  const row = tbody.insertRow();
  row.dataset.direction = entry.direction;
  row.insertCell().textContent = new Date(entry.at).toISOString().slice(11, 23);
  row.insertCell().textContent = entry.direction === 'out' ? 'UniLink → app' : 'app → UniLink';
  row.insertCell().textContent = entry.event ?? (entry.ignored ? '(not part of the protocol: ignored)' : '');
  const body = row.insertCell();
  const text = pretty(entry.body ?? '');
  const pre = document.createElement('pre');
  pre.textContent = text;
  if (text.length > 400) {
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = `${(entry.body ?? '').slice(0, 120)}… (${(entry.body ?? '').length} characters)`;
    details.append(summary, pre);
    body.append(details);
  } else {
    body.append(pre);
  }
}

/** Subscribes the log table to the bridge and hands actions to the page. */
export function start(tbody, dotnetRef) {
  bridge.reset();
  bridge.attachActions(dotnetRef);
  unsubscribe?.();
  unsubscribe = bridge.onLog(entry => { if (entry.appId === sandboxAppId && tbody.isConnected) append(tbody, entry); });
}

/** (Re)loads the frame in the container with `context` as its real context. */
export function load(container, appId, context) {
  sandboxAppId = appId;
  bridge.unregisterFrames(container);
  bridge.setContexts({ [appId]: context });
  bridge.setVisible(appId, true);
  bridge.registerFramesIn(container);
}

/** Posts `json` to the frame now (and answers its fetch-info with it from now on); returns how many frames got it. */
export function send(appId, json) { return bridge.sendContext(appId, json); }

export function clear(tbody) { tbody.replaceChildren(); }

export function stop(container) {
  unsubscribe?.();
  unsubscribe = null;
  bridge.unregisterFrames(container);
}

// ---- Live events and hooks: the author tries them without a real conversation changing ----

/** The conversation as events and hooks carry it: the API's record, with the latest message only. */
function conversationRecord(context) {
  const c = { ...context.conversation };
  c.messages = c.messages && c.messages.length ? [c.messages[c.messages.length - 1]] : [];
  delete c.dataFetched;
  delete c.allMessagesLoaded;
  return c;
}

/** The event `type` made from the context's records (as the dashboard would send it). */
function sampleEvent(context, type, draft) {
  const c = context.conversation;
  let data;
  if (type === 'message.created' || type === 'message.updated') data = c.messages[c.messages.length - 1];
  else if (type === 'contact.updated') data = context.contact;
  else if (type === 'reply.draft_changed') data = { conversation_id: c.id, content: draft, private: false };
  else data = conversationRecord(context);
  return JSON.stringify({ event: 'unilink:event', type, data });
}

function hookMessage(context, type, draft, id) {
  const data = type === 'before_send' ? { draft, private: false, conversation: conversationRecord(context) } : { conversation: conversationRecord(context) };
  return JSON.stringify(id === undefined ? { event: 'unilink:hook', type, data } : { event: 'unilink:hook', type, id, data });
}

/** Sends a typed event to the sandbox frame, as the dashboard does (only if the app subscribed to it); how many frames got it. */
export function sendEvent(appId, contextJson, type, draft) {
  const context = JSON.parse(contextJson).data;
  if (type === 'message.created' || type === 'message.updated') {
    if (!context.conversation.messages.length) return -1;
  }
  return bridge.sendEvent(appId, type, sampleEvent(context, type, draft));
}

/** Asks the sandbox frame a hook, as the dashboard does when the agent presses Send (or resolves); resolves with its answer. */
export async function sendHook(appId, contextJson, type, draft, timeoutMs) {
  const context = JSON.parse(contextJson).data;
  const started = Date.now();
  const [answer] = await bridge.runHooks(type, [{ appId, timeoutMs, json: hookMessage(context, type, draft) }]);
  return { outcome: answer.outcome, reason: answer.reason, text: answer.text, ms: Date.now() - started };
}

// ---- The conformance check ----
// Plays the host's part with the app in frames of its own (never the dashboard's bridge) and reports what it saw. The
// app's answers to before_send hooks show whether it is still responsive after a stimulus; a decoy parent on another
// origin (an opaque-origin sandboxed frame) receives only what the app posts with target origin '*', and sends the
// app messages from an origin that is not UniLink's.

const FETCH_INFO = 'chatwoot-dashboard-app:fetch-info';
const FRAME_SANDBOX = 'allow-scripts allow-same-origin allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox allow-downloads';
const sleep = ms => new Promise(r => setTimeout(r, ms));

function fetchInfoForm(data) {
  if (data === FETCH_INFO) return 'the string';
  if (typeof data === 'string') { try { if (JSON.parse(data)?.event === FETCH_INFO) return 'a JSON string'; } catch { /* not JSON */ } }
  if (data && typeof data === 'object' && data.event === FETCH_INFO) return 'an object';
  return null;
}

function describe(data) {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return text.length > 160 ? text.slice(0, 160) + '…' : text;
}

function hookAnswer(data, id) {
  let m = data;
  if (typeof m === 'string') { try { m = JSON.parse(m); } catch { return null; } }
  if (!m || typeof m !== 'object' || m.event !== 'unilink:hook-result' || m.id !== id) return null;
  return m;
}

function validAnswer(m) {
  return m.outcome === 'allow' || (m.outcome === 'block' && typeof m.reason === 'string' && m.reason.trim())
    || (m.outcome === 'replace' && typeof m.text === 'string' && m.text.trim());
}

/** An app frame of the check's own, with every message it posts to its parent. */
function checkFrame(container, url) {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', FRAME_SANDBOX);
  frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
  frame.title = 'App under the conformance check';
  frame.className = 'conformance-frame';
  const got = [];
  const listener = e => { if (e.source === frame.contentWindow) got.push({ data: e.data, origin: e.origin, at: Date.now() }); };
  window.addEventListener('message', listener);
  const loaded = new Promise(r => frame.addEventListener('load', r, { once: true }));
  frame.src = url;
  container.append(frame);
  return {
    frame, got, loaded,
    post(message) { frame.contentWindow?.postMessage(message, new URL(url).origin); },
    dispose() { window.removeEventListener('message', listener); frame.remove(); },
  };
}

/** Posts a hook and waits for its answer (within `limit`, or `wait` when given); null when none came. */
async function askHook(target, context, message, id, limit, wait) {
  const from = target.got.length;
  const started = Date.now();
  target.post(message);
  const until = started + (wait ?? limit);
  while (Date.now() < until) {
    for (let i = from; i < target.got.length; i++) {
      const m = hookAnswer(target.got[i].data, id);
      if (m) return { answer: m, ms: target.got[i].at - started };
    }
    await sleep(20);
  }
  return null;
}

let hookSeq = 0;
const nextId = () => `conformance-${++hookSeq}-${Date.now()}`;

/**
 * Runs the check against `url` with the real context (`contextJson`, as the sandbox built it) and the hook time limit;
 * resolves with [{id, title, status: 'pass'|'fail'|'not_checked', evidence}] (the server adds the token item).
 */
export async function runConformance(container, url, contextJson, limit) {
  const report = [];
  const add = (id, title, status, evidence) => report.push({ id, title, status, evidence });
  const message = JSON.parse(contextJson);
  const context = message.data;
  const withoutSeal = data => JSON.stringify({ event: 'appContext', data: (({ token, ...rest }) => rest)(data) });
  const noContact = withoutSeal({ ...context, contact: {} });
  const template = context.conversation.messages[context.conversation.messages.length - 1]
    ?? { id: 1, content: 'Hello', inbox_id: context.conversation.inbox_id, conversation_id: context.conversation.id, message_type: 0, content_type: 'text',
         status: 'sent', content_attributes: {}, created_at: Math.floor(Date.now() / 1000), private: false, source_id: null, sender: null };
  const many = Array.from({ length: 5000 }, (_, i) => ({ ...template, id: 1_000_000 + i, content: `Message ${i + 1} of 5000`, created_at: template.created_at - 5000 + i }));
  const big = withoutSeal({ ...context, conversation: { ...context.conversation, messages: many, allMessagesLoaded: false } });
  const draft = 'Conformance check: is this reply fine?';

  // 1. Loading: the fetch-info request, then the context (as the host sends it: a JSON string).
  const app = checkFrame(container, url);
  let responsive = false;
  try {
    await Promise.race([app.loaded, sleep(10_000)]);
    const loadedAt = Date.now();
    const until = Date.now() + 5000;
    let asked = null;
    while (Date.now() < until && !asked) {
      asked = app.got.find(g => fetchInfoForm(g.data));
      if (!asked) await sleep(25);
    }
    if (asked) add('fetch_info', 'Asks for the context with fetch-info in an accepted form', 'pass',
      `It posted ${fetchInfoForm(asked.data)} ${describe(asked.data)} ${Math.max(0, asked.at - loadedAt)} ms after loading.`);
    else add('fetch_info', 'Asks for the context with fetch-info in an accepted form', 'fail',
      `It asked for nothing in 5 s after loading${app.got.length ? `; it posted ${app.got.map(g => describe(g.data)).join(', ')}` : ''}. ` +
      `Post '${FETCH_INFO}' to the host (the string, a JSON string or an object) when the page starts.`);
    app.post(contextJson);
    await sleep(300);

    // 2 and 5. A hook after the context, posted as the host does (a string); an object if the string gets no answer.
    const stringId = nextId();
    const viaString = await askHook(app, context, hookMessage(context, 'before_send', draft, stringId), stringId, limit, limit + 1000);
    let viaObject = null;
    if (!viaString) {
      const objectId = nextId();
      viaObject = await askHook(app, context, JSON.parse(hookMessage(context, 'before_send', draft, objectId)), objectId, limit, limit + 1000);
    }
    responsive = viaString !== null;
    if (viaString) add('string_context', 'Parses the context and messages UniLink posts as JSON strings', 'pass',
      `After the context (a JSON string) it answered a before_send hook, also a JSON string: ${describe(viaString.answer)}.`);
    else if (viaObject) add('string_context', 'Parses the context and messages UniLink posts as JSON strings', 'fail',
      `It answered a hook posted as an object (${describe(viaObject.answer)}) but not the same hook as a JSON string, which is how UniLink posts every message: JSON.parse(event.data).`);
    else add('string_context', 'Parses the context and messages UniLink posts as JSON strings', 'not_checked',
      'It answered no hook, so the check cannot see how it handles messages (handle unilink:hook and grant before_send to check this).');

    if (viaString && viaString.ms <= limit && validAnswer(viaString.answer))
      add('hooks', 'Answers hooks within the time limit', 'pass', `It answered ${describe(viaString.answer)} in ${viaString.ms} ms (limit ${limit} ms).`);
    else if (viaString && !validAnswer(viaString.answer))
      add('hooks', 'Answers hooks within the time limit', 'fail', `Its answer ${describe(viaString.answer)} is not allow, block with a reason, or replace with text.`);
    else if (viaString)
      add('hooks', 'Answers hooks within the time limit', 'fail', `It answered after ${viaString.ms} ms; the limit is ${limit} ms, after which the hook counts as not answered.`);
    else add('hooks', 'Answers hooks within the time limit', 'fail', `No answer to a before_send hook within ${limit + 1000} ms.`);

    // 3. A context without a contact, then a hook.
    if (!responsive) add('no_contact', 'Handles a context without a contact', 'not_checked', 'It answered no hook before this, so the check cannot tell.');
    else {
      app.post(noContact);
      await sleep(200);
      const id = nextId();
      const after = await askHook(app, context, hookMessage({ ...context, contact: {} }, 'before_send', draft, id), id, limit);
      add('no_contact', 'Handles a context without a contact', after ? 'pass' : 'fail', after
        ? `After a context whose contact is {} it still answered a hook in ${after.ms} ms.`
        : `After a context whose contact is {} it no longer answered a hook within ${limit} ms (it answered before): it probably reads contact fields that are not there.`);
    }

    // 4. 5,000 messages.
    if (!responsive) add('big_context', 'Survives a context of 5,000 messages', 'not_checked', 'It answered no hook before this, so the check cannot tell.');
    else {
      app.post(withoutSeal({ ...context }));
      await sleep(100);
      const started = Date.now();
      app.post(big);
      const id = nextId();
      const after = await askHook(app, context, hookMessage(context, 'before_send', draft, id), id, limit);
      add('big_context', 'Survives a context of 5,000 messages', after ? 'pass' : 'fail', after
        ? `After a context of 5,000 messages (${(big.length / 1024 / 1024).toFixed(1)} MB) it answered a hook ${Date.now() - started} ms later.`
        : `After a context of 5,000 messages (${(big.length / 1024 / 1024).toFixed(1)} MB) it did not answer a hook within ${limit} ms: handling the context blocks it.`);
    }
  } finally {
    app.dispose();
  }

  // 6 and 7. Under a parent of another origin (opaque: a sandboxed frame without allow-same-origin).
  const decoy = document.createElement('iframe');
  decoy.setAttribute('sandbox', 'allow-scripts');
  decoy.className = 'conformance-frame';
  decoy.title = 'A page of another origin, for the conformance check';
  const relayed = [];
  const decoyListener = e => {
    if (e.source !== decoy.contentWindow || !e.data || typeof e.data !== 'object' || e.data.conformanceDecoy !== true) return;
    relayed.push({ data: e.data.data, at: Date.now(), kind: e.data.kind });
  };
  window.addEventListener('message', decoyListener);
  const escape = s => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  decoy.srcdoc = `<!DOCTYPE html><html><body data-url="${escape(url)}" data-sandbox="${FRAME_SANDBOX}">` +
    `<script src="${escape(location.origin)}/sdk/conformance-decoy.js"></script></body></html>`;
  container.append(decoy);
  try {
    const until = Date.now() + 10_000;
    while (Date.now() < until && !relayed.some(r => r.kind === 'loaded')) await sleep(25);
    await sleep(1000);
    const id = nextId();
    decoy.contentWindow?.postMessage({ conformanceDecoy: true, send: contextJson }, '*');
    await sleep(200);
    decoy.contentWindow?.postMessage({ conformanceDecoy: true, send: hookMessage(context, 'before_send', draft, id) }, '*');
    await sleep(limit + 500);
    const fromApp = relayed.filter(r => r.kind === 'message');
    const answered = fromApp.find(r => hookAnswer(r.data, id));
    if (!relayed.some(r => r.kind === 'loaded')) add('origin_check', 'Checks event.origin', 'not_checked', 'The page of another origin could not load the app.');
    else if (answered) add('origin_check', 'Checks event.origin', 'fail',
      `It answered a hook sent from another origin (null): ${describe(answered.data)}. Compare event.origin with UniLink's origin before using a message.`);
    else if (!responsive) add('origin_check', 'Checks event.origin', 'not_checked', 'It answers no hook at all, so the check cannot tell whether it ignores other origins.');
    else add('origin_check', 'Checks event.origin', 'pass',
      `It ignored a context and a hook sent from another origin (null) for ${limit + 500} ms, and answered the same hook from UniLink's origin.`);

    if (!relayed.some(r => r.kind === 'loaded')) add('no_star', "Never posts with target origin '*'", 'not_checked', 'The page of another origin could not load the app.');
    else if (fromApp.length) add('no_star', "Never posts with target origin '*'", 'fail',
      `A parent page of another origin received ${fromApp.length} message(s) from it, which only '*' allows: ${fromApp.slice(0, 3).map(r => describe(r.data)).join(', ')}. Post to UniLink's origin.`);
    else add('no_star', "Never posts with target origin '*'", 'pass',
      `Under a parent of another origin for ${((Date.now() - until + 10_000) / 1000).toFixed(1)} s, nothing it posted reached that parent.`);
  } finally {
    window.removeEventListener('message', decoyListener);
    decoy.remove();
  }
  return report;
}
