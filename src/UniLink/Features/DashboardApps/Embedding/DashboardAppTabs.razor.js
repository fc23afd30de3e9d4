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
    log.push({ direction: 'out', appId: state.appId, at: Date.now() });
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
  try {
    if (isFetchInfo(data)) {
      log.push({ direction: 'in', appId: state.appId, at: Date.now(), event: FETCH_INFO });
      // A request sent before the frame's load (or before the first context) is answered once both exist.
      if (!post(frame, state)) state.pending = true;
      else state.pending = false;
      return;
    }
    if (typeof data === 'string' && data[0] === '{' && data.length <= 100000) data = JSON.parse(data);
    if (data && typeof data === 'object' && typeof data.event === 'string' && data.event.startsWith('unilink:')) {
      log.push({ direction: 'in', appId: state.appId, at: Date.now(), event: data.event });
      for (const listener of platformListeners) listener(frame, state, data);
    }
  } catch {
    // Messages of any other shape are ignored, without errors.
  }
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
  try {
    frame.contentWindow?.postMessage(JSON.stringify({ event: 'unilink:action-result', id, ok: result.ok, error: result.error ?? null }), state.origin);
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

/** Newer contexts ({appId: json}): posted at once to visible apps; hidden apps get theirs when shown again. */
export function setContexts(byApp) {
  if (!byApp || typeof byApp !== 'object') return;
  contexts = new Map(Object.entries(byApp).map(([id, json]) => [Number(id), json]));
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
