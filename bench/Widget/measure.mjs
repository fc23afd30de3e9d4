// Drives Debian's Chromium with playwright-core: see bench/widget.
import http from 'node:http';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const { BASE, WEBSITE, TOKEN, RUNS, LOADER, PAGE, SCRIPT, STYLE } = process.env;
const runs = Number(RUNS);
const snippet = `<script>
  (function(d,t) {
    var BASE_URL="${BASE}";
    var g=d.createElement(t),s=d.getElementsByTagName(t)[0];
    g.src=BASE_URL+"/packs/js/sdk.js";
    g.async = true;
    s.parentNode.insertBefore(g,s);
    g.onload=function(){ window.chatwootSDK.run({ websiteToken: '${WEBSITE}', baseUrl: BASE_URL }) }
  })(document,"script");
</script>`;
// The measured pages (/bare without the snippet, /shop with it) run no script of the bench's: what they add to the host's
// main thread is the snippet's alone. The bench waits for the widget by asking the page over CDP (Runtime.evaluate, which
// ScriptDuration does not count, unlike a listener or Playwright's polling) and asks the bare page as often. The marks
// (bubble, frame, ready, click) come from separate loads of an instrumented page (/marks, /slow), whose observer and
// listeners run script of their own on each of the loader's changes.
// Both run a line of the shop's own, as sites do: the page's first script sets up its script context, which is not the
// snippet's cost.
const plain = (withWidget) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body>
<h1>Shop</h1><p>${'Products. '.repeat(200)}</p>
<script>window.shop = { cart: [] };</script>
${withWidget ? snippet : ''}</body></html>`;
const page = (withWidget, slow) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body>
<h1>Shop</h1><p>${'Products. '.repeat(200)}</p>${slow ? '<img src="/slow.svg" alt="">' : ''}
<script>
  window.marks = {};
  addEventListener('load', () => { window.marks.load = performance.now(); });
  new MutationObserver(() => {
    if (!window.marks.bubble && document.querySelector('.woot-widget-bubble')) window.marks.bubble = performance.now();
    if (!window.marks.frame && document.querySelector('#chatwoot_live_chat_widget')) window.marks.frame = performance.now();
  }).observe(document.documentElement, { childList: true, subtree: true });
  addEventListener('chatwoot:ready', () => { window.marks.ready = performance.now(); console.log('bench:ready'); });
  window.replies = [];
  addEventListener('chatwoot:on-message', (e) => { window.replies.push({ content: e.detail.content, at: performance.timeOrigin + performance.now() }); });
</script>
${withWidget ? snippet : ''}</body></html>`;
const site = http.createServer((req, res) => {
  // A picture that takes 2 s: a page whose load event comes late, so a visitor can click the bubble before the frame is made.
  if (req.url === '/slow.svg') { setTimeout(() => { res.writeHead(200, { 'content-type': 'image/svg+xml' }); res.end('<svg xmlns="http://www.w3.org/2000/svg"/>'); }, 2000); return; }
  res.writeHead(200, { 'content-type': 'text/html' });
  if (req.url === '/bare' || req.url === '/shop') res.end(plain(req.url === '/shop'));
  else res.end(page(true, req.url.includes('slow')));
}).listen(3115, '127.0.0.1');

const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const ms = (x) => `${x.toFixed(1)} ms`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });

// CDP's Performance domain counts from Performance.enable on: it is enabled before the page loads.
async function startMetrics(p) {
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('Performance.enable');
  return cdp;
}
async function metrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (n) => metrics.find((m) => m.name === n).value * 1000;
  return { script: get('ScriptDuration'), task: get('TaskDuration') };
}

// Until $chatwoot.hasLoaded (chatwoot:ready), asked every 20 ms over CDP; the bare page is asked as many times.
const READY = '!!(window.$chatwoot && window.$chatwoot.hasLoaded)';
async function untilReady(cdp) {
  for (let polls = 1; ; polls++) {
    const { result } = await cdp.send('Runtime.evaluate', { expression: READY, returnByValue: true });
    if (result.value) return polls;
    if (polls > 1500) throw new Error('the widget did not become ready in 30 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}
async function asOften(cdp, polls) {
  for (let i = 0; i < polls; i++) {
    await cdp.send('Runtime.evaluate', { expression: READY, returnByValue: true });
    await new Promise((r) => setTimeout(r, 20));
  }
}

const bubble = [], bubbleFromStart = [], ready = [], frameMade = [], script = [], task = [], usable = [], usableAtOnce = [];
for (let i = 0; i < runs; i++) {
  let polls = 0;
  for (const bare of [false, true]) {
    const context = await browser.newContext();
    const p = await context.newPage();
    const cdp = await startMetrics(p);
    await p.goto(`http://localhost:3115/${bare ? 'bare' : 'shop'}`);
    if (bare) await asOften(cdp, polls); else polls = await untilReady(cdp);
    const m = await metrics(cdp);
    if (!bare) { script.push(m.script); task.push(m.task); }
    else { script[script.length - 1] -= m.script; task[task.length - 1] -= m.task; }
    await context.close();
  }
  const context = await browser.newContext();
  const p = await context.newPage();
  const readyLogged = p.waitForEvent('console', { predicate: (m) => m.text() === 'bench:ready', timeout: 30_000 });
  await p.goto('http://localhost:3115/marks');
  await readyLogged;
  const marks = await p.evaluate(() => window.marks);
  bubble.push(marks.bubble - marks.load);
  bubbleFromStart.push(marks.bubble);
  ready.push(marks.ready - marks.load);
  frameMade.push(marks.frame - marks.load);
  const t0 = Date.now();
  await p.click('.woot-widget-bubble');
  await p.frameLocator('#chatwoot_live_chat_widget').getByRole('textbox', { name: 'Type your message' }).waitFor();
  usable.push(Date.now() - t0);
  await context.close();
}

// A visitor who clicks the bubble as soon as it shows, before the chat window was made (it is made at once then).
for (let i = 0; i < Math.min(runs, 10); i++) {
  const context = await browser.newContext();
  const p = await context.newPage();
  await p.goto(`http://localhost:3115/slow`, { waitUntil: 'commit' });
  await p.locator('.woot-widget-bubble').waitFor({ timeout: 30_000 });
  const early = await p.evaluate(() => !document.querySelector('#chatwoot_live_chat_widget'));
  const t0 = Date.now();
  await p.click('.woot-widget-bubble');
  await p.frameLocator('#chatwoot_live_chat_widget').getByRole('textbox', { name: 'Type your message' }).waitFor({ timeout: 30_000 });
  if (early) usableAtOnce.push(Date.now() - t0);
  await context.close();
}

// The same added time from a Chromium trace of each load, split at the host page's load event (its MarkLoad): the loader
// paints the bubble during the load and makes the chat window's frame after it. Wall clock (each event's duration) and
// thread CPU time, from a Chromium trace of each load: the host page's main thread (its renderer's
// CrRendererMain) running script (top-level EvaluateScript / FunctionCall / event dispatch, what they call included), and
// all its tasks. Unlike the wall-clock ScriptDuration above, time the thread spent waiting for a CPU is not counted, so a
// busy machine changes it little. Separate runs: tracing slows the page a little.
const SCRIPT_EVENTS = new Set(['EvaluateScript', 'FunctionCall', 'EventDispatch', 'v8.callFunction', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'v8.run', 'v8.evaluateModule']);
function hostTime(trace) {
  const events = JSON.parse(trace.toString()).traceEvents;
  const main = new Set();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain') main.add(`${e.pid}:${e.tid}`);
  const hosts = new Set(events.filter((e) => ['ParseHTML', 'EvaluateScript', 'FunctionCall'].includes(e.name)
    && String(e.args?.data?.url ?? e.args?.beginData?.url ?? '').includes('localhost:3115')).map((e) => e.pid));
  if (hosts.size !== 1) throw new Error(`the host page's renderer not found in the trace (${hosts.size})`);
  // Without Playwright's own (empty) script in its utility world of each new document: EvaluateScript without data.
  const own = events.filter((e) => e.ph === 'X' && hosts.has(e.pid) && main.has(`${e.pid}:${e.tid}`) && !(e.name === 'EvaluateScript' && !e.args?.data))
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const load = events.find((e) => e.name === 'MarkLoad' && hosts.has(e.pid) && e.args?.data?.isMainFrame !== false)?.ts ?? Infinity;
  const topLevel = (list, field, before = Infinity) => {
    let end = -1, sum = 0;
    for (const e of list) if (e.ts >= end) { if (e.ts < before) sum += e[field] ?? 0; end = e.ts + e.dur; }
    return sum / 1000;
  };
  const scripts = own.filter((e) => SCRIPT_EVENTS.has(e.name)), tasks = own.filter((e) => e.name === 'RunTask');
  return { script: topLevel(scripts, 'tdur'), task: topLevel(tasks, 'tdur'), loadScriptWall: topLevel(scripts, 'dur', load), loadScriptCpu: topLevel(scripts, 'tdur', load) };
}
const cpuScript = [], cpuTask = [], loadScriptWall = [], loadScriptCpu = [];
for (let i = 0; i < runs; i++) {
  let polls = 0;
  for (const bare of [false, true]) {
    const context = await browser.newContext();
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    await browser.startTracing(p, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await p.goto(`http://localhost:3115/${bare ? 'bare' : 'shop'}`);
    if (bare) await asOften(cdp, polls); else polls = await untilReady(cdp);
    const trace = await browser.stopTracing();
    if (process.env.DUMP) (await import('node:fs')).writeFileSync(`${process.env.DUMP}-${bare ? 'bare' : 'shop'}-${i}.json`, trace);
    const m = hostTime(trace);
    if (!bare) { cpuScript.push(m.script); cpuTask.push(m.task); loadScriptWall.push(m.loadScriptWall); loadScriptCpu.push(m.loadScriptCpu); }
    else {
      cpuScript[cpuScript.length - 1] -= m.script; cpuTask[cpuTask.length - 1] -= m.task;
      loadScriptWall[loadScriptWall.length - 1] -= m.loadScriptWall; loadScriptCpu[loadScriptCpu.length - 1] -= m.loadScriptCpu;
    }
    await context.close();
  }
}

// Agent reply → widget: a visitor who has written, the agent answers through the API, the page hears chatwoot:on-message.
const context = await browser.newContext();
const p = await context.newPage();
await p.goto('http://localhost:3115/marks');
await p.waitForFunction(() => window.marks.ready, null, { timeout: 30_000 });
await p.click('.woot-widget-bubble');
const input = p.frameLocator('#chatwoot_live_chat_widget').getByRole('textbox', { name: 'Type your message' });
await input.fill('Hello');
await input.press('Enter');
let conversation;
for (let i = 0; i < 100 && !conversation; i++) {
  const list = await (await fetch(`${BASE}/api/v1/accounts/1/conversations`, { headers: { api_access_token: TOKEN } })).json();
  conversation = list.data.payload[0]?.id;
  if (!conversation) await new Promise((r) => setTimeout(r, 100));
}
await p.frameLocator('#chatwoot_live_chat_widget').locator('.cw-in').waitFor();
await new Promise((r) => setTimeout(r, 500));
const latency = [];
for (let i = 0; i < 50; i++) {
  const content = `reply ${i}`;
  const t0 = Date.now();
  await fetch(`${BASE}/api/v1/accounts/1/conversations/${conversation}/messages`, {
    method: 'POST', headers: { api_access_token: TOKEN, 'content-type': 'application/json' }, body: JSON.stringify({ content }) });
  const at = await p.waitForFunction((c) => window.replies.find((r) => r.content === c)?.at, content, { timeout: 30_000 });
  latency.push((await at.jsonValue()) - t0);
}
await browser.close();
site.close();

const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const widgetTotal = Number(PAGE) + Number(SCRIPT) + Number(STYLE);
console.log(`| measure (${runs} runs, median; loopback, headless Chromium) | result | goal |`);
console.log('|---|---|---|');
console.log(`| loader \`/packs/js/sdk.js\`, gzipped | ${kib(Number(LOADER))} | ≤ 5 KiB |`);
console.log(`| chat window until usable: page + script + CSS, gzipped | ${kib(widgetTotal)} (${kib(Number(PAGE))} + ${kib(Number(SCRIPT))} + ${kib(Number(STYLE))}) | ≤ 40 KiB |`);
console.log(`| host page main-thread script time added by the snippet during the page's load, until its load event (Chromium trace, with − without): wall clock; CPU | ${ms(quantile(loadScriptWall, 0.5))} (p95 ${ms(quantile(loadScriptWall, 0.95))}); ${ms(quantile(loadScriptCpu, 0.5))} (p95 ${ms(quantile(loadScriptCpu, 0.95))}) | ≤ 20 ms |`);
console.log(`| host page main-thread script time added in all, until \`chatwoot:ready\` (the chat window's frame made after the load included; CDP ScriptDuration, with − without) | ${ms(quantile(script, 0.5))} (p95 ${ms(quantile(script, 0.95))}) | ≤ 20 ms |`);
console.log(`| host page main-thread task time added in all (CDP TaskDuration, with − without) | ${ms(quantile(task, 0.5))} (p95 ${ms(quantile(task, 0.95))}) | — |`);
console.log(`| the same in all as the main thread's CPU time (Chromium trace, with − without): script; all tasks | ${ms(quantile(cpuScript, 0.5))} (p95 ${ms(quantile(cpuScript, 0.95))}); ${ms(quantile(cpuTask, 0.5))} (p95 ${ms(quantile(cpuTask, 0.95))}) | — |`);
console.log(`| bubble visible, relative to the host page's load event (negative: before it) | ${ms(quantile(bubble, 0.5))} (p95 ${ms(quantile(bubble, 0.95))}); ${ms(quantile(bubbleFromStart, 0.5))} after navigation start | ≤ 300 ms after load |`);
console.log(`| chat window's frame made, after the host page's load event | ${ms(quantile(frameMade, 0.5))} (p95 ${ms(quantile(frameMade, 0.95))}) | — |`);
console.log(`| \`chatwoot:ready\` after the host page's load event | ${ms(quantile(ready, 0.5))} (p95 ${ms(quantile(ready, 0.95))}) | — |`);
console.log(`| bubble click → message box shown (after \`chatwoot:ready\`) | ${ms(quantile(usable, 0.5))} (p95 ${ms(quantile(usable, 0.95))}) | — |`);
if (usableAtOnce.length) console.log(`| bubble click as soon as it shows, before the frame was made → message box shown (n = ${usableAtOnce.length}) | ${ms(quantile(usableAtOnce, 0.5))} (p95 ${ms(quantile(usableAtOnce, 0.95))}) | — |`);
console.log(`| agent reply (API POST) → \`chatwoot:on-message\` on the page, n = 50 | p50 ${ms(quantile(latency, 0.5))}, p95 ${ms(quantile(latency, 0.95))}, max ${ms(Math.max(...latency))} | p95 < 250 ms |`);
