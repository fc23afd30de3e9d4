// UniLink dashboard-app SDK (ES module). Works inside UniLink and, with plain context only, inside Chatwoot.
//
//   import { connect } from 'https://your-unilink/sdk/dashboard-app.js';
//   const app = connect();                       // or connect({ hostOrigins: ['https://support.example.com'] })
//   app.onContext(ctx => render(ctx.conversation, ctx.contact, ctx.currentAgent));
//   const ctx = await app.fetchContext();
//   await app.act('insert_reply', { text: 'Your order shipped today.' });   // UniLink only
//   app.resize(document.body.scrollHeight);                                 // UniLink sidebar placement
//   app.on('message.created', message => show(message));                  // UniLink typed events
//
// Verifying (in a browser or in Node 20+, anywhere WebCrypto is): verifySignedContext(app.signedContext,
// { issuer: 'https://support.example.com', appId: 7 }) checks the ES256 context_token against the issuer's
// /.well-known/jwks.json and the SHA-256 of the exact data; verifyContextToken(token, { secret, appId }) checks HS256.

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
  const requestTimeoutMs = options.requestTimeoutMs ?? 15000;
  const listeners = new Set();
  const waiting = [];
  const pendingActions = new Map();
  let latest = null;
  let latestMessage = null;
  let nextId = 1;
  const eventListeners = new Map(); // type ('*' for all) -> Set of callbacks
  const hookHandlers = new Map();   // 'before_send' | 'before_resolve' -> handler

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
      latestMessage = typeof event.data === 'string' ? event.data : null;
      for (const listener of listeners) {
        try { listener(latest); } catch (e) { setTimeout(() => { throw e; }); }
      }
      while (waiting.length > 0) waiting.shift()(latest);
    } else if (message.event === 'unilink:hook' && typeof message.id === 'string') {
      answerHook(message);
    } else if (message.event === 'unilink:event' && typeof message.type === 'string') {
      for (const key of [message.type, '*']) {
        for (const listener of eventListeners.get(key) ?? []) {
          try { listener(message.data, message.type); } catch (e) { setTimeout(() => { throw e; }); }
        }
      }
    } else if (message.event === 'unilink:request-result' && pendingActions.has(message.id)) {
      const { resolve, reject, timer } = pendingActions.get(message.id);
      pendingActions.delete(message.id);
      clearTimeout(timer);
      if (message.ok) resolve({ status: message.status, headers: message.headers ?? {}, body: message.body ?? '' });
      else reject(new Error(message.error || 'the host refused the request'));
    } else if (message.event === 'unilink:action-result' && pendingActions.has(message.id)) {
      const { resolve, reject, timer } = pendingActions.get(message.id);
      pendingActions.delete(message.id);
      clearTimeout(timer);
      if (message.ok) resolve(message);
      else reject(new Error(message.error || 'the host refused the action'));
    }
  }
  window.addEventListener('message', onMessage);

  // A hook's answer: what the handler returned (or resolved with); no handler allows. A handler that throws answers
  // nothing, so the administrator's choice for a missing answer applies.
  async function answerHook(message) {
    const handler = hookHandlers.get(message.type);
    let answer = { outcome: 'allow' };
    if (handler) {
      try { answer = await handler(message.data, message.type); } catch (e) { setTimeout(() => { throw e; }); return; }
    }
    if (!answer || typeof answer !== 'object') answer = { outcome: 'allow' };
    const reply = { event: 'unilink:hook-result', id: message.id, outcome: answer.outcome ?? 'allow' };
    if (typeof answer.reason === 'string') reply.reason = answer.reason;
    if (typeof answer.text === 'string') reply.text = answer.text;
    post(JSON.stringify(reply));
  }

  return {
    /** Calls `callback(context)` for every context the host sends; returns a function that unsubscribes. */
    onContext(callback) {
      listeners.add(callback);
      if (latest) callback(latest);
      return () => listeners.delete(callback);
    },
    /**
     * UniLink only: calls `callback(data, type)` for every typed event of that type ('message.created',
     * 'conversation.status_changed', 'reply.draft_changed', … or '*' for all), data being the API's record. Tells the
     * host which types the app listens to (`unilink:subscribe`); returns a function that unsubscribes.
     */
    on(type, callback) {
      if (!eventListeners.has(type)) eventListeners.set(type, new Set());
      eventListeners.get(type).add(callback);
      const subscribe = () => post(JSON.stringify({ event: 'unilink:subscribe', types: [...eventListeners.keys()] }));
      subscribe();
      return () => {
        const set = eventListeners.get(type);
        set?.delete(callback);
        if (set && set.size === 0) eventListeners.delete(type);
        subscribe();
      };
    },
    /**
     * UniLink only: answers the hook `type` ('before_send' {draft, private, conversation}, 'before_resolve'
     * {conversation}) with what `handler(data)` returns or resolves with: {outcome: 'allow'}, {outcome: 'block', reason},
     * or {outcome: 'replace', text} (before_send). Answer within the time limit the administrator set (2 s by default).
     * Returns a function that removes the handler.
     */
    onHook(type, handler) {
      hookHandlers.set(type, handler);
      return () => { if (hookHandlers.get(type) === handler) hookHandlers.delete(type); };
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
     * The exact string of the last appContext (UniLink seals it with an ES256 `context_token`): send it to your server
     * as it is and verify it there with `verifySignedContext` (or the .NET SDK's ContextVerifier).
     */
    get signedContext() { return latestMessage; },
    /**
     * Asks UniLink to act on the conversation: 'insert_reply' {text}, 'add_private_note' {content},
     * 'add_labels' {labels}, 'remove_labels' {labels}, 'set_custom_attributes' {custom_attributes}, 'assign'
     * {assignee_id, team_id}, 'set_status' {status, snoozed_until}, 'set_priority' {priority}, 'send_reply' {content},
     * 'notify' {message, level}, 'open_conversation' {conversation_id}, 'open_url' {url} — each with its own grant.
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
    /**
     * Asks UniLink to make an HTTP request for the app, on the server: `url` on one of the manifest's granted
     * request_domains; `{{settings.NAME}}` in the url, header values and body are filled in there, so secret settings
     * never reach the browser. Resolves with `{status, headers, body}` (any status: check it); rejects with the host's
     * reason (domain not granted, a setting not set, timeout, rate limit), or after a timeout on hosts without requests.
     */
    request({ method = 'GET', url, headers = {}, body } = {}) {
      const id = `r${nextId++}-${Date.now()}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingActions.delete(id);
          reject(new Error('no answer from the host: it may not support requests'));
        }, requestTimeoutMs);
        pendingActions.set(id, { resolve, reject, timer });
        const message = { event: 'unilink:request', id, method, url, headers };
        if (body !== undefined) message.body = body;
        post(JSON.stringify(message));
      });
    },
    /** Asks the host to give the app's frame this height in CSS pixels (sidebar placement). */
    resize(height) {
      post(JSON.stringify({ event: 'unilink:resize', height: Math.round(height) }));
    },
    /** UniLink: closes the app's popover (composer placement); its frame stays, as a closed tab's does. */
    close() {
      post(JSON.stringify({ event: 'unilink:close' }));
    },
    /** Stops listening. */
    disconnect() {
      window.removeEventListener('message', onMessage);
      listeners.clear();
      eventListeners.clear();
      hookHandlers.clear();
    },
  };
}

// ---- Verification (WebCrypto: browsers and Node 20+) ----

const MESSAGE_START = '{"event":"appContext","data":';
const TOKEN_MEMBER = 'context_token';
const CLOCK_SKEW_S = 30;
const KEEP_KEYS_MS = 3600_000;
const REFETCH_AT_MOST_MS = 30_000;
const jwksCache = new Map(); // issuer -> {keys, at}

const encoder = new TextEncoder();
function base64UrlToBytes(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const binary = atob(base64);
  return Uint8Array.from(binary, c => c.charCodeAt(0));
}
function bytesToBase64Url(bytes) {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function decodePart(part) { return JSON.parse(new TextDecoder().decode(base64UrlToBytes(part))); }

function checkClaims(claims, { issuer, appId }) {
  const now = Date.now() / 1000;
  if (issuer !== undefined && claims.iss !== issuer) throw new Error(`the token's issuer is ${claims.iss}, not ${issuer}`);
  if (claims.aud !== `dashboard-app:${appId}`) throw new Error(`the token is for ${claims.aud}, not dashboard-app:${appId}`);
  if (typeof claims.exp !== 'number' || claims.exp <= now - CLOCK_SKEW_S) throw new Error('the token has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > now + CLOCK_SKEW_S) throw new Error('the token is not valid yet');
}

async function jwks(issuer, kid, fetchImpl) {
  const cached = jwksCache.get(issuer);
  const now = Date.now();
  if (cached && now - cached.at < KEEP_KEYS_MS && (cached.keys.some(k => k.kid === kid) || now - cached.at < REFETCH_AT_MOST_MS)) return cached.keys;
  const response = await fetchImpl(`${issuer}/.well-known/jwks.json`, { credentials: 'omit' });
  if (!response.ok) throw new Error(`could not fetch ${issuer}/.well-known/jwks.json (${response.status})`);
  const keys = (await response.json()).keys ?? [];
  jwksCache.set(issuer, { keys, at: now });
  return keys;
}

/**
 * Verifies a sealed appContext message (the exact `event.data` string, e.g. `app.signedContext`): the ES256
 * `context_token` against `issuer`'s JWKS, its issuer, audience (`dashboard-app:{appId}`) and lifetime, and the SHA-256
 * of the exact `data` text. Resolves with `{ claims, context }`; rejects with an Error saying why not.
 * `issuer` is your UniLink's origin, pinned in your configuration (never taken from the message).
 */
export async function verifySignedContext(message, { issuer, appId, fetch: fetchImpl = globalThis.fetch, keys } = {}) {
  if (typeof message !== 'string') throw new Error('pass the exact string the host posted');
  if (typeof issuer !== 'string' || !issuer) throw new Error('issuer (your UniLink origin) is required');
  issuer = issuer.replace(/\/+$/, '');
  let parsed;
  try { parsed = JSON.parse(message); } catch { throw new Error('the message is not JSON'); }
  const token = parsed?.[TOKEN_MEMBER];
  if (typeof token !== 'string' || !token) throw new Error(`the message carries no ${TOKEN_MEMBER} (hosts other than UniLink send none)`);
  const tail = `,"${TOKEN_MEMBER}":"${token}"}`;
  if (!message.startsWith(MESSAGE_START) || !message.endsWith(tail)) throw new Error('the message is not laid out as UniLink seals it');
  const dataText = message.slice(MESSAGE_START.length, message.length - tail.length);
  const [headerPart, payloadPart, signaturePart] = token.split('.');
  const header = decodePart(headerPart);
  if (header.alg !== 'ES256') throw new Error(`unexpected algorithm ${header.alg}`);
  const jwk = (keys ?? await jwks(issuer, header.kid, fetchImpl)).find(k => k.kid === header.kid);
  if (!jwk) throw new Error(`no published key ${header.kid}`);
  const key = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  const valid = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, base64UrlToBytes(signaturePart), encoder.encode(`${headerPart}.${payloadPart}`));
  if (!valid) throw new Error('the token\'s signature is not valid');
  const claims = decodePart(payloadPart);
  checkClaims(claims, { issuer, appId });
  const hash = bytesToBase64Url(await crypto.subtle.digest('SHA-256', encoder.encode(dataText)));
  if (hash !== claims.ctx_sha256) throw new Error('the context does not match its token: the data was changed after UniLink signed it');
  return { claims, context: parsed.data };
}

/**
 * Verifies the HS256 `data.token` with the app's secret (on your server: never put the secret in a page).
 * Resolves with the claims; rejects with an Error saying why not.
 */
export async function verifyContextToken(token, { secret, appId } = {}) {
  if (typeof token !== 'string' || token.split('.').length !== 3) throw new Error('the context carries no token');
  if (typeof secret !== 'string' || encoder.encode(secret).length < 32) throw new Error('an app secret has at least 32 bytes');
  const [headerPart, payloadPart, signaturePart] = token.split('.');
  if (decodePart(headerPart).alg !== 'HS256') throw new Error('unexpected algorithm');
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const valid = await crypto.subtle.verify('HMAC', key, base64UrlToBytes(signaturePart), encoder.encode(`${headerPart}.${payloadPart}`));
  if (!valid) throw new Error('the token\'s signature is not valid');
  const claims = decodePart(payloadPart);
  checkClaims(claims, { issuer: 'unilink', appId });
  return claims;
}
