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
