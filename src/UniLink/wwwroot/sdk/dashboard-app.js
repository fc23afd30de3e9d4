// UniLink dashboard-app SDK (ES module). Works inside UniLink and, with plain context only, inside Chatwoot.
//
//   import { connect } from 'https://your-unilink/sdk/dashboard-app.js';
//   const app = connect();                       // or connect({ hostOrigins: ['https://support.example.com'] })
//   app.onContext(ctx => render(ctx.conversation, ctx.contact, ctx.currentAgent));
//   const ctx = await app.fetchContext();
//   await app.act('insert_reply', { text: 'Your order shipped today.' });   // UniLink only
//   app.resize(document.body.scrollHeight);                                 // UniLink sidebar placement

const FETCH_INFO = 'chatwoot-dashboard-app:fetch-info';

function defaultHostOrigins() {
  const origins = [];
  if (window.location.ancestorOrigins && window.location.ancestorOrigins.length > 0) {
    origins.push(window.location.ancestorOrigins[0]);
  } else if (document.referrer) {
    try { origins.push(new URL(document.referrer).origin); } catch { /* no referrer origin */ }
  }
  return origins;
}

/**
 * Connects to the host dashboard. Messages are accepted only from the parent window and from one of
 * `hostOrigins` (by default the embedding page's origin). When that origin cannot be told (no
 * `ancestorOrigins`, no referrer) and none is given, the app fails closed: it neither posts (never with
 * `'*'`, which would hand a request to whatever page framed it) nor listens, and says why in the console.
 */
export function connect(options = {}) {
  const hostOrigins = options.hostOrigins ?? defaultHostOrigins();
  const actionTimeoutMs = options.actionTimeoutMs ?? 10000;
  const listeners = new Set();
  const waiting = [];
  const pendingActions = new Map();
  let latest = null;
  let nextId = 1;

  const trusted = event => event.source === window.parent && hostOrigins.includes(event.origin);
  const targetOrigin = hostOrigins[0] ?? null;
  if (targetOrigin === null) {
    console.error('UniLink dashboard-app SDK: the host dashboard\'s origin is unknown (no ancestorOrigins or referrer): '
      + 'pass connect({ hostOrigins: [\'https://your-unilink.example\'] }). Nothing is sent or received until then.');
  }
  const post = message => { if (targetOrigin !== null) window.parent.postMessage(message, targetOrigin); };

  function onMessage(event) {
    if (!trusted(event)) return;
    let message = event.data;
    if (typeof message === 'string') {
      try { message = JSON.parse(message); } catch { return; }
    }
    if (!message || typeof message !== 'object') return;
    if (message.event === 'appContext' && message.data && typeof message.data === 'object') {
      latest = message.data;
      for (const listener of listeners) {
        try { listener(latest); } catch (e) { setTimeout(() => { throw e; }); }
      }
      while (waiting.length > 0) waiting.shift()(latest);
    } else if (message.event === 'unilink:action-result' && pendingActions.has(message.id)) {
      const { resolve, reject, timer } = pendingActions.get(message.id);
      pendingActions.delete(message.id);
      clearTimeout(timer);
      if (message.ok) resolve(message);
      else reject(new Error(message.error || 'the host refused the action'));
    }
  }
  window.addEventListener('message', onMessage);

  return {
    /** Calls `callback(context)` for every context the host sends; returns a function that unsubscribes. */
    onContext(callback) {
      listeners.add(callback);
      if (latest) callback(latest);
      return () => listeners.delete(callback);
    },
    /** Asks the host for the current context (the documented fetch-info request). */
    fetchContext() {
      return new Promise(resolve => {
        waiting.push(resolve);
        post(FETCH_INFO);
      });
    },
    /** The last context received, or null. */
    get context() { return latest; },
    /** The signed context token (UniLink only), for your server to verify. */
    get token() { return latest?.token ?? null; },
    /**
     * Asks UniLink to act on the conversation: 'insert_reply' {text}, 'add_private_note' {content},
     * 'add_labels' {labels}, 'remove_labels' {labels}, 'set_custom_attributes' {custom_attributes}.
     * Resolves when done; rejects with the host's reason, or after a timeout on hosts without actions.
     */
    act(action, payload = {}) {
      const id = `a${nextId++}-${Date.now()}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingActions.delete(id);
          reject(new Error('no answer from the host: it may not support actions'));
        }, actionTimeoutMs);
        pendingActions.set(id, { resolve, reject, timer });
        post(JSON.stringify({ event: 'unilink:action', id, action, payload }));
      });
    },
    /** Asks the host to give the app's frame this height in CSS pixels (sidebar placement). */
    resize(height) {
      post(JSON.stringify({ event: 'unilink:resize', height: Math.round(height) }));
    },
    /** Stops listening. */
    disconnect() {
      window.removeEventListener('message', onMessage);
      listeners.clear();
    },
  };
}
