// The browser side of the Dashboard Apps protocol: the one place that talks to app iframes.
// It holds each app's current appContext string, posts it on every frame load and on every change, and answers
// `chatwoot-dashboard-app:fetch-info` from memory (no server round trip).
// Security: messages go only to the origin of the app's registered URL (never '*'), and requests are
// answered only when they come from one of our frames' windows *and* from that origin.

import { watchFrameLoad } from './AppLoadFailure.razor.js';

const FETCH_INFO = 'chatwoot-dashboard-app:fetch-info';

/** frames: Map<HTMLIFrameElement, {appId, origin, loaded, pending, sentVersion}> */
const frames = new Map();
/** apps: Map<appId, {visible}> */
const apps = new Map();
let contexts = new Map(); // appId -> the JSON string posted to that app's frames (each app's own token)
// Contexts of apps placed outside the open conversation (a contact's page, an app's page, background apps), set by
// their host (setHostContexts), which forgets them when it goes (dropHostContexts); they come first.
const hostContexts = new Map();
function contextOf(appId) { return hostContexts.get(appId) ?? contexts.get(appId); }
const log = [];          // what crossed the boundary, for the app sandbox and tests
const logListeners = new Set();

/** Every message that crosses the boundary, both ways: {direction, appId, at, event, body[, ignored]}. */
function record(entry) {
  log.push(entry);
  if (log.length > 1000) log.splice(0, log.length - 500);
  for (const listener of logListeners) {
    try { listener(entry); } catch { /* a broken listener must not break the protocol */ }
  }
}

function bodyOf(data) {
  if (typeof data === 'string') return data;
  try { return JSON.stringify(data) ?? String(data); } catch { return String(data); }
}

function isFetchInfo(data) {
  if (data === FETCH_INFO) return true;
  if (typeof data === 'string') {
    if (data.length > 10000 || data[0] !== '{') return false;
    try { return JSON.parse(data)?.event === FETCH_INFO; } catch { return false; }
  }
  return typeof data === 'object' && data !== null && data.event === FETCH_INFO;
}

function post(frame, state) {
  const context = contextOf(state.appId);
  if (context === undefined || !state.loaded) return false;
  try {
    frame.contentWindow?.postMessage(context, state.origin);
    state.sent = context;
    record({ direction: 'out', appId: state.appId, at: Date.now(), event: 'appContext', body: context });
    return true;
  } catch {
    return false; // a frame that navigated away or was removed: nothing to do
  }
}

function frameFor(source) {
  if (!source) return null;
  for (const [frame, state] of frames) {
    if (frame.contentWindow === source) return [frame, state];
  }
  return null;
}

window.addEventListener('message', event => {
  const found = frameFor(event.source);
  if (!found) return;
  const [frame, state] = found;
  if (event.origin !== state.origin) return;
  let data = event.data;
  const body = bodyOf(data);
  try {
    if (isFetchInfo(data)) {
      record({ direction: 'in', appId: state.appId, at: Date.now(), event: FETCH_INFO, body });
      // A request sent before the frame's load (or before the first context) is answered once both exist.
      if (!post(frame, state)) state.pending = true;
      else state.pending = false;
      return;
    }
    if (typeof data === 'string' && data[0] === '{' && data.length <= 100000) data = JSON.parse(data);
    if (data && typeof data === 'object' && typeof data.event === 'string' && data.event.startsWith('unilink:')) {
      record({ direction: 'in', appId: state.appId, at: Date.now(), event: data.event, body });
      for (const listener of platformListeners) listener(frame, state, data);
      return;
    }
  } catch {
    // Messages of any other shape are ignored, without errors.
  }
  record({ direction: 'in', appId: state.appId, at: Date.now(), event: null, body, ignored: true });
});

/** Extension point for the app platform (resize, actions). */
const platformListeners = [];

let actionHandler = null;
/** Actions (`unilink:action`) go to the server; the app always gets a `unilink:action-result` back. */
export function attachActions(dotnetRef) { actionHandler = dotnetRef; }
/** Who performs a frame's actions: its own host (registerFramesIn's handler), else the conversation's tabs. */
function handlerOf(state) { return state.handler ?? actionHandler; }

platformListeners.push(async (frame, state, data) => {
  if (data.event !== 'unilink:action') return;
  const id = typeof data.id === 'string' || typeof data.id === 'number' ? data.id : null;
  let result = { ok: false, error: 'This host does not accept actions right now' };
  const handler = handlerOf(state);
  if (handler) {
    try { result = await handler.invokeMethodAsync('HandleAction', state.appId, JSON.stringify(data)); }
    catch { result = { ok: false, error: 'The action failed' }; }
  }
  // open_url: always a new tab, never this window, and the page opened gets no handle back to the dashboard.
  if (result.ok && typeof result.openUrl === 'string' && /^https?:\/\//i.test(result.openUrl)) {
    window.open(result.openUrl, '_blank', 'noopener,noreferrer');
  }
  const answer = JSON.stringify({ event: 'unilink:action-result', id, ok: result.ok, error: result.error ?? null });
  try {
    frame.contentWindow?.postMessage(answer, state.origin);
    record({ direction: 'out', appId: state.appId, at: Date.now(), event: 'unilink:action-result', body: answer });
  } catch { /* the frame went away */ }
  // open_conversation: the app hears its result first (a keep-alive app keeps its frame), then the dashboard goes there.
  if (result.ok && typeof result.openConversation === 'string' && result.openConversation.startsWith('/app/')) {
    setTimeout(() => window.Blazor?.navigateTo(result.openConversation), 0);
  }
});

// `unilink:request` {id, method, url, headers, body}: the server makes the call (filling {{settings.NAME}} there, so a
// secret setting never reaches this page) and the frame gets `unilink:request-result` {id, ok, status, headers, body,
// error} back, always.
platformListeners.push(async (frame, state, data) => {
  if (data.event !== 'unilink:request') return;
  const id = typeof data.id === 'string' || typeof data.id === 'number' ? data.id : null;
  let result = { ok: false, error: 'This host does not make requests for apps right now' };
  const handler = handlerOf(state);
  if (handler) {
    const request = { method: data.method, url: data.url, headers: data.headers, body: data.body };
    try { result = await handler.invokeMethodAsync('HandleRequest', state.appId, JSON.stringify(request)); }
    catch { result = { ok: false, error: 'The request failed' }; }
  }
  const answer = JSON.stringify({
    event: 'unilink:request-result', id, ok: result.ok === true, status: result.status ?? null,
    headers: result.headers ?? null, body: result.body ?? null, error: result.error ?? null,
  });
  try {
    frame.contentWindow?.postMessage(answer, state.origin);
    record({ direction: 'out', appId: state.appId, at: Date.now(), event: 'unilink:request-result', body: answer });
  } catch { /* the frame went away */ }
});

/**
 * Registers every app iframe in the container not yet known (called after each render). A host of its own (a contact
 * panel, an app's page, the background apps) passes its handler: that frame's actions and requests go to it, and the
 * frame outlives conversation switches and resets (its host removes it).
 */
export function registerFramesIn(container, handler) {
  if (!container) return;
  for (const frame of container.querySelectorAll('iframe[data-app-id]')) {
    registerFrame(frame, Number(frame.dataset.appId), frame.dataset.src, handler ?? null);
  }
}

/** An app iframe receives the context on every load (including navigations inside it). */
function registerFrame(frame, appId, url, handler) {
  if (frames.has(frame)) return;
  let origin;
  try { origin = new URL(url, location.href).origin; } catch { return; }
  const state = { appId, origin, loaded: false, pending: false, sent: null, handler };
  frames.set(frame, state);
  const panel = frame.closest('.app-panel');
  watchFrameLoad(frame, url);
  frame.addEventListener('load', () => {
    state.loaded = true;
    panel?.classList.add('loaded');
    post(frame, state);
    // A request that came before the load gets its own answer too.
    if (state.pending && contextOf(state.appId) !== undefined) post(frame, state);
    state.pending = false;
  });
  // The app starts loading once the page has painted what this render brought (a conversation opens at the speed of
  // the dashboard, not of its apps' pages: bench/apps).
  afterPaint(() => { if (frame.isConnected && frames.has(frame)) frame.src = url; });
}

function afterPaint(run) {
  if (document.visibilityState === 'hidden') { setTimeout(run, 0); return; }
  requestAnimationFrame(() => setTimeout(run, 0));
}

/** The conversation's page went away: its contexts are forgotten, so no later frame of the same app gets them. */
export function forgetConversation() { contexts = new Map(); }

export function unregisterFrames(container) {
  for (const frame of [...frames.keys()]) {
    if (!frame.isConnected || (container && container.contains(frame))) frames.delete(frame);
  }
}

const utf8 = new TextDecoder();

/**
 * Newer contexts ({appId: json}, each a string or its UTF-8 bytes): posted at once to visible apps; hidden apps get
 * theirs when shown again. Apps always receive a string.
 */
export function setContexts(byApp, events) {
  if (!byApp || typeof byApp !== 'object') return;
  contexts = new Map(Object.entries(byApp).map(([id, json]) => [Number(id), json instanceof Uint8Array ? utf8.decode(json) : json]));
  for (const frame of [...frames.keys()]) if (!frame.isConnected) frames.delete(frame);
  for (const [frame, state] of frames) {
    if (state.sent === contextOf(state.appId)) continue;
    if (state.pending || isVisible(state.appId)) {
      post(frame, state);
      state.pending = false;
    }
  }
  if (Array.isArray(events)) for (const [appId, type, json] of events) postEvent(Number(appId), type, json);
}

// Typed events (`unilink:event`): only frames that asked for the type (`unilink:subscribe`) get them, so an app written
// for Chatwoot, which knows no such message, never receives one. The server cut each event to the app's scopes.
const EVENT_TYPES = new Set(['message.created', 'message.updated', 'conversation.status_changed', 'conversation.assigned',
  'conversation.labels_changed', 'conversation.custom_attributes_changed', 'contact.updated', 'reply.draft_changed',
  'conversation.switched']);

function postEvent(appId, type, json, allowed = () => true) {
  for (const [frame, state] of frames) {
    if (state.appId !== appId || !state.loaded || !frame.isConnected || !state.subscribed) continue;
    if (!(state.subscribed.has(type) || state.subscribed.has('*')) || !allowed(frame)) continue;
    try {
      frame.contentWindow?.postMessage(json, state.origin);
      record({ direction: 'out', appId, at: Date.now(), event: 'unilink:event', body: json });
    } catch { /* the frame went away */ }
  }
}

/** Events for frames of other hosts ([appId, type, json]): posted to the frames that subscribed to the type. */
export function postEvents(events) {
  if (Array.isArray(events)) for (const [appId, type, json] of events) postEvent(Number(appId), type, json);
}

/** The app sandbox's live events: posted as a real change's are (to frames subscribed to the type); how many frames got it. */
export function sendEvent(appId, type, json) {
  let sent = 0;
  postEvent(appId, type, json, () => { sent++; return true; });
  return sent;
}

// `{"event":"unilink:subscribe","types":[…]}`: the types this frame wants from now on (replacing what it asked before;
// '*' for all). Unknown types are left out.
platformListeners.push((frame, state, data) => {
  if (data.event !== 'unilink:subscribe' || !Array.isArray(data.types)) return;
  state.subscribed = new Set(data.types.filter(t => t === '*' || EVENT_TYPES.has(t)).slice(0, 20));
});

// The reply box's draft, debounced by the reply box itself (`unilink:draft-changed` on window): a private note's draft
// only to apps that see private notes, a reply's to apps that see public messages.
window.addEventListener('unilink:draft-changed', e => {
  const { conversationId, content, isPrivate } = e.detail ?? {};
  const json = JSON.stringify({ event: 'unilink:event', type: 'reply.draft_changed',
    data: { conversation_id: conversationId, content: content ?? '', private: !!isPrivate } });
  const allowed = frame => frame.dataset.drafts === 'all' || (!isPrivate && frame.dataset.drafts === 'public');
  for (const appId of new Set([...frames.values()].map(s => s.appId))) postEvent(appId, 'reply.draft_changed', json, allowed);
});

export function setVisible(appId, visible) {
  apps.set(appId, { visible });
  if (!visible) return;
  for (const [frame, state] of frames) {
    if (state.appId === appId && state.sent !== contextOf(appId)) post(frame, state);
  }
}

/** setVisible for many apps in one call: [[appId, visible], …]. */
export function setVisibleAll(pairs) {
  if (Array.isArray(pairs)) for (const [appId, visible] of pairs) setVisible(Number(appId), visible === true);
}

/** A host's contexts ({appId: json}): kept, and posted at once to those apps' loaded frames (visible or not: a host's
 * frames are in view, or background frames that have no view). */
export function setHostContexts(byApp) {
  if (!byApp || typeof byApp !== 'object') return;
  for (const [id, json] of Object.entries(byApp)) hostContexts.set(Number(id), json instanceof Uint8Array ? utf8.decode(json) : json);
  for (const [frame, state] of frames) {
    if (!frame.isConnected) { frames.delete(frame); continue; }
    if (state.handler && hostContexts.has(state.appId) && state.sent !== contextOf(state.appId)) {
      if (post(frame, state)) state.pending = false;
    }
  }
}

/** The host of these apps went away: its contexts are forgotten (never posted to a later frame of the same app). */
export function dropHostContexts(appIds) {
  for (const id of Array.isArray(appIds) ? appIds : []) hostContexts.delete(Number(id));
  for (const frame of [...frames.keys()]) if (!frame.isConnected) frames.delete(frame);
}

function isVisible(appId) { return apps.get(appId)?.visible === true; }

/** Drops every frame no longer in the page and forgets the conversation's contexts (a conversation page opened);
 * frames of other hosts (the background apps, a contact panel rendered first) stay. */
export function reset() {
  for (const frame of [...frames.keys()]) if (!frame.isConnected || !frames.get(frame).handler) frames.delete(frame);
  const hosted = new Set([...frames.values()].map(s => s.appId));
  for (const appId of [...apps.keys()]) if (!hosted.has(appId)) apps.delete(appId);
  contexts = new Map();
}

export function messageLog() { return log.slice(-500); }

/**
 * Another conversation is open: forgets every frame except those of keep-alive apps (whose iframes stay in the
 * page) and the old context, so nothing of the old conversation answers a fetch-info. The new context arrives
 * through setContexts.
 */
export function switchConversation(keepAppIds) {
  const keep = new Set((Array.isArray(keepAppIds) ? keepAppIds : []).map(Number));
  for (const [frame, state] of [...frames]) {
    if ((!keep.has(state.appId) && !state.handler) || !frame.isConnected) frames.delete(frame);
  }
  const hosted = new Set([...frames.values()].filter(s => s.handler).map(s => s.appId));
  for (const appId of [...apps.keys()]) if (!keep.has(appId) && !hosted.has(appId)) apps.delete(appId);
  contexts = new Map();
}

// `{"event":"unilink:resize","height":N}`: a sidebar app sets its own frame's height (in CSS pixels). The listener
// runs only for messages from a registered frame's window and origin, and resizes only that frame. Tab apps fill
// their panel, so they are left alone; non-numbers are ignored.
export const RESIZE_MIN_PX = 40;
export const RESIZE_MAX_PX = 2000;

platformListeners.push((frame, state, data) => {
  if (data.event !== 'unilink:resize' || !frame.closest('.app-sidebar, .app-composer, .app-host-resizable')) return;
  const height = data.height;
  if (typeof height !== 'number' || !Number.isFinite(height)) return;
  frame.style.height = `${Math.round(Math.min(RESIZE_MAX_PX, Math.max(RESIZE_MIN_PX, height)))}px`;
});

// `{"event":"unilink:close"}`: a composer app closes its own popover (its frame stays, as a closed tab's does).
platformListeners.push((frame, state, data) => {
  if (data.event !== 'unilink:close' || !frame.closest('.app-composer') || !actionHandler) return;
  actionHandler.invokeMethodAsync('CloseApp', state.appId).catch(() => {});
});

/** Calls `listener(entry)` for every message logged from now on (the app sandbox); returns an unsubscribe. */
export function onLog(listener) {
  logListeners.add(listener);
  return () => logListeners.delete(listener);
}

/** Makes `json` the app's context and posts it at once to the app's loaded frames (the app sandbox's sends). */
export function sendContext(appId, json) {
  if (typeof json !== 'string') return 0;
  contexts.set(appId, json);
  let sent = 0;
  for (const [frame, state] of frames) if (state.appId === appId && post(frame, state)) sent++;
  return sent;
}

/**
 * Keeps every tab reachable however many apps there are: the tab list scrolls sideways, a scroll button shows on
 * each side that has tabs out of view, and the selected tab is scrolled into view.
 */
export function watchTabStrip(strip) {
  const list = strip?.querySelector('.app-tabs');
  if (!list) return;
  const [back, forward] = strip.querySelectorAll('.app-tabs-scroll');
  const update = () => {
    const max = list.scrollWidth - list.clientWidth;
    back.hidden = list.scrollLeft <= 1;
    forward.hidden = list.scrollLeft >= max - 1;
  };
  // A page at a time, never cutting a tab: forward brings the first tab cut off on the right to the left edge,
  // back brings the first tab cut off on the left to the right edge.
  const page = direction => {
    const view = list.getBoundingClientRect();
    const tabs = [...list.querySelectorAll('[role=tab]')];
    if (direction > 0) {
      const next = tabs.find(t => t.getBoundingClientRect().right > view.right + 1);
      if (next) list.scrollLeft += next.getBoundingClientRect().left - view.left;
    } else {
      const previous = tabs.findLast(t => t.getBoundingClientRect().left < view.left - 1);
      if (previous) list.scrollLeft -= view.right - previous.getBoundingClientRect().right;
    }
  };
  for (const button of [back, forward]) button.addEventListener('click', () => page(Number(button.dataset.direction)));
  list.addEventListener('scroll', update, { passive: true });
  new ResizeObserver(update).observe(list);
  // Tabs come and go with the apps; the selected one is kept in view.
  new MutationObserver(() => {
    update();
    const selected = list.querySelector('[aria-selected="true"]');
    if (selected) {
      const view = list.getBoundingClientRect(), tab = selected.getBoundingClientRect();
      if (tab.left < view.left || tab.right > view.right) selected.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }).observe(list, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-selected'] });
  update();
}

// Hooks (`unilink:hook`): the dashboard asks apps, in parallel, before the agent's reply leaves or the conversation is
// resolved; each answers `{"event":"unilink:hook-result","id":…,"outcome":"allow"|"block"|"replace","reason":…,"text":…}`
// from its frame (window and origin checked, as for every message) within its time limit, or counts as not answering.
// The server decides what the answers mean.
let hookSeq = 0;
const pendingHooks = new Map(); // id -> {appId, resolve}

platformListeners.push((frame, state, data) => {
  if (data.event !== 'unilink:hook-result' || typeof data.id !== 'string') return;
  const pending = pendingHooks.get(data.id);
  if (!pending || pending.appId !== state.appId) return;
  pendingHooks.delete(data.id);
  pending.resolve({
    appId: state.appId,
    outcome: typeof data.outcome === 'string' ? data.outcome : 'invalid',
    reason: typeof data.reason === 'string' ? data.reason.slice(0, 2000) : null,
    text: typeof data.text === 'string' ? data.text.slice(0, 20000) : null,
  });
});

function loadedFrameOf(appId) {
  for (const [frame, state] of frames) if (state.appId === appId && state.loaded && frame.isConnected) return [frame, state];
  return null;
}

function askOne(type, { appId, timeoutMs, json }) {
  return new Promise(resolve => {
    const id = `h${++hookSeq}-${Date.now()}`;
    const started = Date.now();
    const timeout = setTimeout(() => { pendingHooks.delete(id); resolve({ appId, outcome: 'timeout', reason: null, text: null }); }, timeoutMs);
    pendingHooks.set(id, { appId, resolve: answer => { clearTimeout(timeout); resolve(answer); } });
    const message = json.replace(/^\{"event":"unilink:hook","type":("[a-z_]+"),/, `{"event":"unilink:hook","type":$1,"id":${JSON.stringify(id)},`);
    // A frame still loading is asked once it has loaded, within the same time limit.
    const send = () => {
      if (!pendingHooks.has(id)) return;
      const found = loadedFrameOf(appId);
      if (!found) { if (Date.now() - started < timeoutMs) setTimeout(send, 50); return; }
      const [frame, state] = found;
      try {
        frame.contentWindow?.postMessage(message, state.origin);
        record({ direction: 'out', appId, at: Date.now(), event: 'unilink:hook', body: message });
      } catch { /* the frame went away: it will not answer */ }
    };
    send();
  });
}

/** Asks each app its hook ([{appId, timeoutMs, json}]) at once; resolves with every answer (or timeout). */
export function runHooks(type, requests) {
  return Promise.all((requests || []).map(r => askOne(type, r)));
}
