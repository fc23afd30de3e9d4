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
const page = (withWidget) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body>
<h1>Shop</h1><p>${'Products. '.repeat(200)}</p>
<script>
  window.marks = {};
  addEventListener('load', () => { window.marks.load = performance.now(); });
  new MutationObserver(() => {
    if (!window.marks.bubble && document.querySelector('.woot-widget-bubble')) window.marks.bubble = performance.now();
  }).observe(document.documentElement, { childList: true, subtree: true });
  addEventListener('chatwoot:ready', () => { window.marks.ready = performance.now(); console.log('bench:ready'); });
  window.replies = [];
  addEventListener('chatwoot:on-message', (e) => { window.replies.push({ content: e.detail.content, at: performance.timeOrigin + performance.now() }); });
</script>
${withWidget ? snippet : ''}</body></html>`;
const site = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(page(!req.url.includes('bare')));
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

const bubble = [], bubbleFromStart = [], ready = [], script = [], task = [], usable = [];
for (let i = 0; i < runs; i++) {
  for (const bare of [true, false]) {
    const context = await browser.newContext();
    const p = await context.newPage();
    const cdp = await startMetrics(p);
    await p.goto(`http://localhost:3115/${bare ? 'bare' : 'shop'}`);
    if (!bare) await p.waitForFunction(() => window.marks.ready);
    else await p.waitForTimeout(300);
    const m = await metrics(cdp);
    if (bare) { script.push(-m.script); task.push(-m.task); }
    else {
      script[script.length - 1] += m.script; task[task.length - 1] += m.task;
      const marks = await p.evaluate(() => window.marks);
      bubble.push(marks.bubble - marks.load);
      bubbleFromStart.push(marks.bubble);
      ready.push(marks.ready - marks.load);
      const t0 = Date.now();
      await p.click('.woot-widget-bubble');
      await p.frameLocator('#chatwoot_live_chat_widget').getByRole('textbox', { name: 'Type your message' }).waitFor();
      usable.push(Date.now() - t0);
    }
    await context.close();
  }
}

// The same added time as thread CPU time, from a Chromium trace of each load: the host page's main thread (its renderer's
// CrRendererMain) running script (top-level EvaluateScript / FunctionCall / event dispatch, what they call included), and
// all its tasks. Unlike the wall-clock ScriptDuration above, time the thread spent waiting for a CPU is not counted, so a
// busy machine changes it little. Separate runs: tracing slows the page a little.
const SCRIPT_EVENTS = new Set(['EvaluateScript', 'FunctionCall', 'EventDispatch', 'v8.callFunction', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'v8.run', 'v8.evaluateModule']);
function hostCpu(trace) {
  const events = JSON.parse(trace.toString()).traceEvents;
  const main = new Set();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain') main.add(`${e.pid}:${e.tid}`);
  const hosts = new Set(events.filter((e) => ['ParseHTML', 'EvaluateScript', 'FunctionCall'].includes(e.name)
    && String(e.args?.data?.url ?? '').includes('localhost:3115')).map((e) => e.pid));
  const own = events.filter((e) => e.ph === 'X' && hosts.has(e.pid) && main.has(`${e.pid}:${e.tid}`)).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const topLevel = (list) => { let end = -1, sum = 0; for (const e of list) if (e.ts >= end) { sum += e.tdur ?? 0; end = e.ts + e.dur; } return sum / 1000; };
  return { script: topLevel(own.filter((e) => SCRIPT_EVENTS.has(e.name))), task: topLevel(own.filter((e) => e.name === 'RunTask')) };
}
const cpuScript = [], cpuTask = [];
for (let i = 0; i < runs; i++) {
  for (const bare of [true, false]) {
    const context = await browser.newContext();
    const p = await context.newPage();
    await browser.startTracing(p, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    // Waiting by the page's console, not waitForFunction: Playwright's own script in the page would be counted.
    const ready = bare ? null : p.waitForEvent('console', (m) => m.text() === 'bench:ready');
    await p.goto(`http://localhost:3115/${bare ? 'bare' : 'shop'}`);
    if (!bare) await ready;
    else await p.waitForTimeout(300);
    const m = hostCpu(await browser.stopTracing());
    if (bare) { cpuScript.push(-m.script); cpuTask.push(-m.task); }
    else { cpuScript[cpuScript.length - 1] += m.script; cpuTask[cpuTask.length - 1] += m.task; }
    await context.close();
  }
}

// Agent reply → widget: a visitor who has written, the agent answers through the API, the page hears chatwoot:on-message.
const context = await browser.newContext();
const p = await context.newPage();
await p.goto('http://localhost:3115/shop');
await p.waitForFunction(() => window.marks.ready);
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
  const at = await p.waitForFunction((c) => window.replies.find((r) => r.content === c)?.at, content);
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
console.log(`| host page main-thread script time added by the snippet (CDP ScriptDuration, with − without) | ${ms(quantile(script, 0.5))} (p95 ${ms(quantile(script, 0.95))}) | ≤ 20 ms |`);
console.log(`| host page main-thread task time added (CDP TaskDuration, with − without) | ${ms(quantile(task, 0.5))} (p95 ${ms(quantile(task, 0.95))}) | — |`);
console.log(`| the same as the main thread's CPU time (Chromium trace, with − without): script; all tasks | ${ms(quantile(cpuScript, 0.5))} (p95 ${ms(quantile(cpuScript, 0.95))}); ${ms(quantile(cpuTask, 0.5))} (p95 ${ms(quantile(cpuTask, 0.95))}) | — |`);
console.log(`| bubble visible, relative to the host page's load event (negative: before it) | ${ms(quantile(bubble, 0.5))} (p95 ${ms(quantile(bubble, 0.95))}); ${ms(quantile(bubbleFromStart, 0.5))} after navigation start | ≤ 300 ms after load |`);
console.log(`| \`chatwoot:ready\` after the host page's load event | ${ms(quantile(ready, 0.5))} (p95 ${ms(quantile(ready, 0.95))}) | — |`);
console.log(`| bubble click → message box shown | ${ms(quantile(usable, 0.5))} (p95 ${ms(quantile(usable, 0.95))}) | — |`);
console.log(`| agent reply (API POST) → \`chatwoot:on-message\` on the page, n = 50 | p50 ${ms(quantile(latency, 0.5))}, p95 ${ms(quantile(latency, 0.95))}, max ${ms(Math.max(...latency))} | p95 < 250 ms |`);
