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
  const context = contexts.get(state.appId);
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

platformListeners.push(async (frame, state, data) => {
  if (data.event !== 'unilink:action') return;
  const id = typeof data.id === 'string' || typeof data.id === 'number' ? data.id : null;
  let result = { ok: false, error: 'This host does not accept actions right now' };
  if (actionHandler) {
    try { result = await actionHandler.invokeMethodAsync('HandleAction', state.appId, JSON.stringify(data)); }
    catch { result = { ok: false, error: 'The action failed' }; }
  }
  const answer = JSON.stringify({ event: 'unilink:action-result', id, ok: result.ok, error: result.error ?? null });
  try {
    frame.contentWindow?.postMessage(answer, state.origin);
    record({ direction: 'out', appId: state.appId, at: Date.now(), event: 'unilink:action-result', body: answer });
  } catch { /* the frame went away */ }
});

// `unilink:request` {id, method, url, headers, body}: the server makes the call (filling {{settings.NAME}} there, so a
// secret setting never reaches this page) and the frame gets `unilink:request-result` {id, ok, status, headers, body,
// error} back, always.
platformListeners.push(async (frame, state, data) => {
  if (data.event !== 'unilink:request') return;
  const id = typeof data.id === 'string' || typeof data.id === 'number' ? data.id : null;
  let result = { ok: false, error: 'This host does not make requests for apps right now' };
  if (actionHandler) {
    const request = { method: data.method, url: data.url, headers: data.headers, body: data.body };
    try { result = await actionHandler.invokeMethodAsync('HandleRequest', state.appId, JSON.stringify(request)); }
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

/** Registers every app iframe in the container not yet known (called after each render). */
export function registerFramesIn(container) {
  if (!container) return;
  for (const frame of container.querySelectorAll('iframe[data-app-id]')) {
    registerFrame(frame, Number(frame.dataset.appId), frame.dataset.src);
  }
}

/** An app iframe receives the context on every load (including navigations inside it). */
function registerFrame(frame, appId, url) {
  if (frames.has(frame)) return;
  let origin;
  try { origin = new URL(url, location.href).origin; } catch { return; }
  const state = { appId, origin, loaded: false, pending: false, sent: null };
  frames.set(frame, state);
  const panel = frame.closest('.app-panel');
  watchFrameLoad(frame, url);
  frame.addEventListener('load', () => {
    state.loaded = true;
    panel?.classList.add('loaded');
    post(frame, state);
    // A request that came before the load gets its own answer too.
    if (state.pending && contexts.has(state.appId)) post(frame, state);
    state.pending = false;
  });
  frame.src = url;
}

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
export function setContexts(byApp) {
  if (!byApp || typeof byApp !== 'object') return;
  contexts = new Map(Object.entries(byApp).map(([id, json]) => [Number(id), json instanceof Uint8Array ? utf8.decode(json) : json]));
  for (const frame of [...frames.keys()]) if (!frame.isConnected) frames.delete(frame);
  for (const [frame, state] of frames) {
    if (state.sent === contexts.get(state.appId)) continue;
    if (state.pending || isVisible(state.appId)) {
      post(frame, state);
      state.pending = false;
    }
  }
}

export function setVisible(appId, visible) {
  apps.set(appId, { visible });
  if (!visible) return;
  for (const [frame, state] of frames) {
    if (state.appId === appId && state.sent !== contexts.get(appId)) post(frame, state);
  }
}

function isVisible(appId) { return apps.get(appId)?.visible === true; }

/** Drops every frame and forgets the context (the conversation changed). */
export function reset() {
  frames.clear();
  apps.clear();
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
    if (!keep.has(state.appId) || !frame.isConnected) frames.delete(frame);
  }
  for (const appId of [...apps.keys()]) if (!keep.has(appId)) apps.delete(appId);
  contexts = new Map();
}

// `{"event":"unilink:resize","height":N}`: a sidebar app sets its own frame's height (in CSS pixels). The listener
// runs only for messages from a registered frame's window and origin, and resizes only that frame. Tab apps fill
// their panel, so they are left alone; non-numbers are ignored.
export const RESIZE_MIN_PX = 40;
export const RESIZE_MAX_PX = 2000;

platformListeners.push((frame, state, data) => {
  if (data.event !== 'unilink:resize' || !frame.closest('.app-sidebar')) return;
  const height = data.height;
  if (typeof height !== 'number' || !Number.isFinite(height)) return;
  frame.style.height = `${Math.round(Math.min(RESIZE_MAX_PX, Math.max(RESIZE_MIN_PX, height)))}px`;
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
