// The widget under load: see bench/widget --load. VISITORS plain WebSocket visitors (each with a conversation and its
// own /widget/live socket, as the widget keeps one) plus BROWSERS real Chromium visitors through the reference's
// snippet, all connected at once; an agent's dashboard in Chromium. Measured: visitor message (widget API POST) → the
// message shown in the agent's open conversation; agent reply (API POST) → the visitor's socket (plain clients) and
// → chatwoot:on-message on the page (browsers); then both again while the plain visitors also write (WRITE_RATE messages
// a second in all, default 20 — each of 1,000 visitors writing about once a minute and more). Node 20 runs this with
// --experimental-websocket.
import http from 'node:http';
import os from 'node:os';
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const { BASE, WEBSITE, TOKEN, PASSWORD, SERVER_PID } = process.env;
const visitors = Number(process.env.VISITORS || 1000);
const browsers = Number(process.env.BROWSERS || 3);
const samples = Number(process.env.SAMPLES || 100);
const writeRate = Number(process.env.WRITE_RATE || 20);
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const api = (path, init = {}) => fetch(`${BASE}${path}`, init);
const json = async (r) => { if (!r.ok) throw new Error(`${r.status} ${await r.text()}`); return r.status === 204 ? null : r.json(); };
const wapi = (path, token, body, method = 'POST') => api(`/api/v1/widget/${path}?website_token=${WEBSITE}`, {
  method, headers: { 'content-type': 'application/json', ...(token ? { 'x-auth-token': token } : {}) }, body: body ? JSON.stringify(body) : undefined });
const agentApi = (path, body) => api(`/api/v1/accounts/1/${path}`, {
  method: 'POST', headers: { api_access_token: TOKEN, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]; };
const ms = (x) => `${x.toFixed(0)} ms`;
// The server's CPU time (user + system, /proc/PID/stat, clock ticks of 10 ms) in ms.
const cpuMs = () => { try { const f = fs.readFileSync(`/proc/${SERVER_PID}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; } catch { return NaN; } };
const rss = () => { try { return Number(fs.readFileSync(`/proc/${SERVER_PID}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024; } catch { return NaN; } };
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ');
const loadAtStart = load();

async function pool(n, width, work) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => { while (next < n) await work(next++); }));
}

// 1. The plain visitors: a token, a first message (their conversation), a socket.
const plain = new Array(visitors);
const started = Date.now();
await pool(visitors, 16, async (i) => {
  const config = await json(await wapi('config'));
  const token = config.website_channel_config.auth_token;
  const first = await json(await wapi('messages', token, { message: { content: `visitor ${i} says hello` } }));
  plain[i] = { token, conversation: first.conversation_id, after: first.id, waiting: new Map() };
});
const setupSeconds = (Date.now() - started) / 1000;
let opened = 0, closed = 0;
await pool(visitors, 50, async (i) => {
  const v = plain[i];
  await new Promise((resolve, reject) => {
    const ws = new WebSocket(`${BASE.replace('http', 'ws')}/widget/live`);
    ws.onopen = () => { ws.send(JSON.stringify({ website_token: WEBSITE, auth_token: v.token, after: v.after })); opened++; resolve(); };
    ws.onerror = reject;
    ws.onclose = () => { closed++; };
    ws.onmessage = (e) => {
      const data = JSON.parse(e.data);
      if (data.event !== 'message.created') return;
      const done = v.waiting.get(data.data.content);
      if (done) { v.waiting.delete(data.data.content); done(Date.now()); }
    };
    v.ws = ws;
  });
});
await new Promise((r) => setTimeout(r, 1000));

// 2. The browser visitors, on a site of their own origin, and the agent's dashboard.
const snippet = `<script>(function(d,t){var BASE_URL="${BASE}";var g=d.createElement(t),s=d.getElementsByTagName(t)[0];g.src=BASE_URL+"/packs/js/sdk.js";g.async=true;s.parentNode.insertBefore(g,s);g.onload=function(){window.chatwootSDK.run({websiteToken:'${WEBSITE}',baseUrl:BASE_URL})}})(document,"script");</script>`;
const site = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Shop</h1><script>
    window.replies = {}; addEventListener('chatwoot:ready', () => { window.ready = true; });
    addEventListener('chatwoot:on-start-conversation', (e) => { window.conversation = e.detail.id; });
    addEventListener('chatwoot:on-message', (e) => { window.replies[e.detail.content] = performance.timeOrigin + performance.now(); });
  </script>${snippet}</body></html>`);
}).listen(3117, '127.0.0.1');
const chrome = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const pages = [];
for (let b = 0; b < browsers; b++) {
  const p = await (await chrome.newContext()).newPage();
  await p.goto('http://localhost:3117/shop');
  await p.waitForFunction(() => window.ready);
  await p.click('.woot-widget-bubble');
  const input = p.frameLocator('#chatwoot_live_chat_widget').getByRole('textbox', { name: 'Type your message' });
  await input.fill(`browser visitor ${b}`);
  await input.press('Enter');
  await p.frameLocator('#chatwoot_live_chat_widget').locator('.cw-in').waitFor();
  pages.push(p);
}
const browserConversations = [];
for (const p of pages) browserConversations.push(await (await p.waitForFunction(() => window.conversation)).jsonValue());
const agent = await (await chrome.newContext({ baseURL: BASE })).newPage();
await agent.goto('/app/login');
await agent.locator('input[type=email]').fill('admin@unilink.local');
await agent.locator('input[type=password]').fill(PASSWORD);
await agent.getByRole('button', { name: 'Sign in' }).click();
await agent.waitForURL((u) => !u.toString().includes('/app/login'));
const watched = plain[0];
await agent.goto(`/app/accounts/1/conversations/${watched.conversation}`);
await agent.locator('.app-tabs[data-interactive]').waitFor();
await agent.evaluate(() => {
  window.shown = {};
  new MutationObserver(() => {
    for (const p of document.querySelectorAll('.message .content')) if (!window.shown[p.textContent]) window.shown[p.textContent] = performance.timeOrigin + performance.now();
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
});
const connectedAtMeasure = opened - closed;

// 3. Visitor message → the agent's open conversation.
async function visitorToAgent(tag) {
  const toAgent = [];
  for (let k = 0; k < samples; k++) {
    const content = `${tag}question ${k}`;
    const t0 = Date.now();
    await json(await wapi('messages', watched.token, { message: { content } }));
    // The dashboard's CSP forbids waitForFunction's eval: poll the time the page itself recorded.
    let at;
    for (const end = Date.now() + 30000; !at && Date.now() < end;) {
      at = await agent.evaluate((c) => window.shown[c], content);
      if (!at) await new Promise((r) => setTimeout(r, 5));
    }
    toAgent.push((at ?? NaN) - t0);
  }
  return toAgent;
}
const toAgent = await visitorToAgent('');

// 4. Agent reply → a visitor's socket, each to another of the plain visitors.
async function agentToVisitor(tag) {
  const toVisitor = [];
  for (let k = 0; k < samples; k++) {
    const v = plain[Math.floor(Math.random() * visitors)];
    const content = `${tag}reply ${k}`;
    const got = new Promise((resolve) => v.waiting.set(content, resolve));
    const t0 = Date.now();
    await json(await agentApi(`conversations/${v.conversation}/messages`, { content }));
    toVisitor.push((await Promise.race([got, new Promise((r) => setTimeout(() => r(NaN), 30000))])) - t0);
  }
  return toVisitor;
}
const toVisitor = await agentToVisitor('');
// … and to the browsers' pages.
const toBrowser = [];
for (let k = 0; k < Math.min(samples, 30); k++) {
  const b = k % pages.length;
  const content = `browser reply ${k}`;
  const t0 = Date.now();
  await json(await agentApi(`conversations/${browserConversations[b]}/messages`, { content }));
  const at = await pages[b].waitForFunction((c) => window.replies[c], content, { timeout: 30000 });
  toBrowser.push((await at.jsonValue()) - t0);
}
const loadAtQuiet = load();

// 5. The same while the plain visitors write: WRITE_RATE messages a second in all, each from a random plain visitor (not
// the one the agent has open), on a fixed schedule (at most 500 unanswered at once; beyond that a write is skipped).
let writing = true, written = 0, writeErrors = 0, skipped = 0;
const writeLatency = [];
const writer = (async () => {
  const start = Date.now(), inflight = new Set();
  for (let n = 0; writing; n++) {
    const wait = start + (n * 1000) / writeRate - Date.now();
    if (wait > 0) await sleep(wait);
    if (inflight.size >= 500) { skipped++; continue; }
    const v = plain[1 + Math.floor(Math.random() * (visitors - 1))];
    const t0 = Date.now();
    const w = wapi('messages', v.token, { message: { content: `background ${n}` } })
      .then(async (r) => { await r.text(); if (r.ok) { written++; writeLatency.push(Date.now() - t0); } else writeErrors++; })
      .catch(() => { writeErrors++; });
    inflight.add(w);
    w.finally(() => inflight.delete(w));
  }
  await Promise.all(inflight);
})();
await sleep(3000);
const writingStarted = Date.now();
const cpuAtStart = cpuMs(), writtenAtStart = written;
const toAgentWriting = await visitorToAgent('w-');
const toVisitorWriting = await agentToVisitor('w-');
const writingSeconds = (Date.now() - writingStarted) / 1000;
// The server's CPU per visitor message while they write: everything it did meanwhile (the POSTs, the fan-out to the sockets
// and dashboards, the webhook outbox, the measured messages and replies) over the visitor messages it took.
const cpuPerMessage = (cpuMs() - cpuAtStart) / (written - writtenAtStart + samples);
const cpuShare = (cpuMs() - cpuAtStart) / 1000 / writingSeconds;
const loadWhileWriting = load();
writing = false;
await writer;
const loadAtEnd = load();
const memory = rss();
for (const v of plain) v.ws.close();
await chrome.close();
site.close();

const row = (name, xs, goal) => `| ${name} (n = ${xs.length}) | p50 ${ms(quantile(xs, 0.5))}, p95 ${ms(quantile(xs, 0.95))}, max ${ms(Math.max(...xs))} | ${goal} |`;
const lost = toVisitor.filter((x) => Number.isNaN(x)).length + toVisitorWriting.filter((x) => Number.isNaN(x)).length;
const notShown = toAgent.filter((x) => Number.isNaN(x)).length + toAgentWriting.filter((x) => Number.isNaN(x)).length;
const found = (xs) => xs.filter((x) => !Number.isNaN(x));
console.log(`| ${visitors} plain WebSocket visitors + ${browsers} Chromium visitors connected (${connectedAtMeasure + browsers} sockets), one agent dashboard | result | goal |`);
console.log('|---|---|---|');
console.log(row('visitor message (widget POST) → shown in the agent\'s open conversation', found(toAgent), 'p95 < 250 ms'));
console.log(row('agent reply (API POST) → the visitor\'s socket, a random one of the plain visitors', found(toVisitor), 'p95 < 250 ms'));
console.log(row('agent reply (API POST) → `chatwoot:on-message` on a browser visitor\'s page', toBrowser, 'p95 < 250 ms'));
console.log(row(`while the plain visitors write ${writeRate} messages/s in all: visitor message → shown in the agent's open conversation`, found(toAgentWriting), 'p95 < 250 ms'));
console.log(row(`while the plain visitors write ${writeRate} messages/s in all: agent reply → a random plain visitor's socket`, found(toVisitorWriting), 'p95 < 250 ms'));
console.log(row(`the visitors' own writes meanwhile (widget POST → its answer; ${written} written in ${writingSeconds.toFixed(0)} s of measuring and around it, ${writeErrors} failed, ${skipped} skipped)`, writeLatency, '—'));
console.log(`| the server's CPU time (user + system) while the visitors wrote, per visitor message taken (${written - writtenAtStart + samples} in ${writingSeconds.toFixed(0)} s, the ${samples} measured ones included; agent replies' work included) | ${cpuPerMessage.toFixed(1)} ms a message; ${(cpuShare * 100).toFixed(0)} % of one CPU | — |`);
console.log(`| replies that never reached the socket within 30 s; visitor messages never shown to the agent within 30 s | ${lost}; ${notShown} | 0 |`);
console.log(`| setting up the visitors (config + first message each, 16 at a time) | ${setupSeconds.toFixed(0)} s | — |`);
console.log(`| server resident memory with everyone connected | ${memory.toFixed(0)} MiB | — |`);
console.log(`| machine load average (1 / 5 / 15 min, ${os.cpus().length} CPUs): at the start / after the idle measures / while the visitors wrote / at the end | ${loadAtStart} / ${loadAtQuiet} / ${loadWhileWriting} / ${loadAtEnd} | — |`);
