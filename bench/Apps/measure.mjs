// Drives Debian's Chromium with playwright-core: see bench/apps.
import http from 'node:http';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const { BASE, TOKEN, PASSWORD, RUNS, APPS_PORT } = process.env;
const runs = Number(RUNS);
const appsOrigin = `http://localhost:${APPS_PORT}`; // another origin than the dashboard's 127.0.0.1
const api = async (method, path, body) => {
  const r = await fetch(`${BASE}/api/v1/accounts/1${path}`, { method, headers: { api_access_token: TOKEN, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
};

// The apps: a page that listens as the reference's docs say, asks fetch-info and subscribes to every event.
const appPage = `<!doctype html><html><head><meta charset="utf-8"><title>App</title></head><body><p>App</p><script>
  let last = null;
  addEventListener('message', e => { last = e.data; });
  parent.postMessage('chatwoot-dashboard-app:fetch-info', '*');
  parent.postMessage(JSON.stringify({ event: 'unilink:subscribe', types: ['*'] }), '*');
</script></body></html>`;
const appServer = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(appPage); })
  .listen(Number(APPS_PORT), '127.0.0.1');

// Data: 12 conversations of 30 messages each.
const inbox = (await api('POST', '/inboxes', { name: 'Bench', channel: { type: 'api' } })).id;
const conversations = [];
for (let i = 0; i < 12; i++) {
  const contact = await api('POST', '/contacts', { name: `Customer ${i}`, email: `customer${i}@example.com`, inbox_id: inbox });
  const contactId = contact.payload?.contact?.id ?? contact.id;
  const c = await api('POST', '/conversations', { inbox_id: inbox, contact_id: contactId });
  for (let m = 0; m < 30; m++) {
    await api('POST', `/conversations/${c.id}/messages`, { content: `Message ${m} of conversation ${c.id}: ${'lorem ipsum '.repeat(8)}`,
      message_type: m % 2 ? 'outgoing' : 'incoming' });
  }
  await api('POST', `/conversations/${c.id}/messages`, { content: `last-of-${c.id}`, message_type: 'incoming' });
  conversations.push(c.id);
}

// PLACEMENTS (comma-separated) replaces the mix, to see what each placement costs.
const placements = process.env.PLACEMENTS ? process.env.PLACEMENTS.split(',') : ['conversation_tab', 'conversation_tab', 'conversation_tab',
  'conversation_sidebar', 'conversation_sidebar', 'composer', 'contact_panel', 'contact_panel', 'page', 'background'];
let installed = [];
async function install() {
  installed = [];
  for (const [i, placement] of placements.entries()) {
    const app = await api('POST', '/dashboard_apps', { title: `App ${i}`, placement, content: [{ type: 'frame', url: `${appsOrigin}/app${i}` }] });
    installed.push({ id: app.id, placement });
  }
}
async function uninstall() {
  for (const app of installed) await api('DELETE', `/dashboard_apps/${app.id}`);
  installed = [];
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(`${BASE}/app/login`);
await page.locator('input[type=email]').fill('admin@unilink.local');
await page.locator('input[type=password]').fill(PASSWORD);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL((u) => !u.toString().includes('/app/login'));

/** One round: a fresh dashboard, then `runs` conversation opens by a click in the list. */
async function round() {
  await page.goto(`${BASE}/app/accounts/1/conversations/${conversations[0]}`);
  await page.locator('.app-tabs[data-interactive]').waitFor();
  await page.locator('[data-circuit=ready]').waitFor({ state: 'attached' });
  await page.waitForTimeout(500);
  const inView = installed.filter(a => a.placement === 'conversation_sidebar' || a.placement === 'contact_panel').map(a => a.id);
  const shown = [], ready = [];
  for (let i = 1; i <= runs; i++) {
    const target = conversations[i % conversations.length];
    const r = await page.evaluate(async ({ target, inView }) => {
      const bridge = await import('/Features/DashboardApps/Embedding/DashboardAppTabs.razor.js');
      const link = [...document.querySelectorAll('a.conversation-row')].find(a => new URL(a.href).pathname.endsWith(`/conversations/${target}`));
      const startAbs = Date.now();
      const start = performance.now();
      link.click();
      return await new Promise((resolve, reject) => {
        let shownAt = null;
        const timeout = setTimeout(() => reject(new Error(`conversation ${target} not shown`)), 20000);
        const check = () => {
          const h1 = document.querySelector('.conversation-header h1');
          if (shownAt === null && h1 && h1.textContent.includes(`#${target}`) && document.querySelector('.conversation-main')?.textContent.includes(`last-of-${target}`))
            shownAt = performance.now() - start;
          if (shownAt !== null) {
            const got = new Set(bridge.messageLog().filter(e => e.direction === 'out' && e.event === 'appContext' && e.at >= startAbs
              && e.body.includes(`"conversation_id":${target},`)).map(e => e.appId));
            if (inView.every(id => got.has(id))) { clearTimeout(timeout); resolve({ shown: shownAt, ready: performance.now() - start }); return; }
          }
          requestAnimationFrame(check);
        };
        check();
      });
    }, { target, inView });
    shown.push(r.shown); ready.push(r.ready);
    await page.waitForTimeout(300);
  }
  return { shown, ready };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(0.95 * s.length))]; };
const ms = (x) => `${x.toFixed(1)} ms`;

// none, apps, none, apps: the rounds alternate, so a change of the machine's load hits both sides.
const none = { shown: [], ready: [] }, apps = { shown: [], ready: [] };
for (let r = 0; r < 2; r++) {
  const a = await round();
  none.shown.push(...a.shown); none.ready.push(...a.ready);
  await install();
  const b = await round();
  apps.shown.push(...b.shown); apps.ready.push(...b.ready);
  await uninstall();
}
await browser.close();
appServer.close();

const ratio = median(apps.shown) / median(none.shown);
const load = (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`Dashboard Apps, opening a conversation (\`bench/apps ${runs}\`), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average at the end ${load}.
UniLink Release on SQLite at \`127.0.0.1\`, apps on \`localhost:${APPS_PORT}\` (another origin), headless Chromium; 12 conversations of 31 messages;
each open is a click on a row of the conversation list (no page load). Rounds alternate: none, 10 apps, none, 10 apps (${runs} opens each).
10 apps: 3 tabs, 2 sidebar, 1 composer, 2 contact panel, 1 page, 1 background; each asks fetch-info and subscribes to every event.

| measure (${2 * runs} opens each) | no apps: median (p95) | 10 apps: median (p95) | ratio of medians | goal | met |
|---|---|---|---|---|---|
| click → conversation shown (header and last message) | ${ms(median(none.shown))} (${ms(p95(none.shown))}) | ${ms(median(apps.shown))} (${ms(p95(apps.shown))}) | ${ratio.toFixed(2)} | ≤ 1.20 | ${ratio <= 1.2 ? 'yes' : 'no'} |
| click → the 4 apps in view (sidebar, contact panel) have the new context | — | ${ms(median(apps.ready))} (${ms(p95(apps.ready))}) | — | — | — |`);
