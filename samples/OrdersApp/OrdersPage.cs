using System.Text.Json;

namespace OrdersApp;

/// <summary>The app's one page: it receives the context from UniLink, asks its own server for the orders.</summary>
public static class OrdersPage
{
    public static string Html(OrdersSettings settings) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Orders</title>
          <link rel="icon" href="data:,">
          <style>
            :root { --fg:#1f2d3d; --muted:#6b7785; --bg:#fff; --border:#e3e7ec; --accent:#1f6feb; }
            body.dark { --fg:#e6e9ee; --muted:#98a2ae; --bg:#1c2027; --border:#2c323b; --accent:#58a6ff; }
            body { margin:0; padding:1rem; font-family:system-ui,"Liberation Sans",sans-serif; color:var(--fg); background:var(--bg); }
            h1 { font-size:1.1rem; margin:0 0 .25rem; } .muted { color:var(--muted); font-size:.9rem; }
            .order { border:1px solid var(--border); border-radius:8px; padding:.75rem; margin:.75rem 0; }
            .order header { display:flex; justify-content:space-between; font-weight:600; }
            .status { font-size:.8rem; padding:.1rem .5rem; border-radius:99px; background:#e8f1ff; color:#1f4e99; }
            table { width:100%; border-collapse:collapse; font-size:.85rem; margin-top:.5rem; } td { padding:.2rem 0; }
            button { font:inherit; padding:.35rem .8rem; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
            .error { color:#c62828; }
          </style>
        </head>
        <body>
          <h1>Orders &amp; payments</h1>
          <p class="muted" id="who">Waiting for the conversation…</p>
          <p class="error" id="error" role="alert" hidden></p>
          <p class="muted" id="asked" role="status" hidden></p>
          <div id="orders"></div>
          <button id="insert" type="button" hidden>Insert order summary into reply</button>
          <script type="module">
            import { connect } from {{JsonSerializer.Serialize(settings.UniLinkUrl + "/sdk/dashboard-app.js")}};
            const app = connect({ hostOrigins: [{{JsonSerializer.Serialize(settings.UniLinkUrl)}}] });
            const $ = id => document.getElementById(id);
            let summary = '';
            let shownNumbers = [];

            function showError(text) { $('error').textContent = text; $('error').hidden = false; }

            async function load(ctx) {
              document.body.classList.toggle('dark', ctx.theme === 'dark');
              const email = ctx.contact && ctx.contact.email;
              $('who').textContent = email ? `${ctx.contact.name || email} · ${email}` : 'This contact has no email address.';
              $('orders').replaceChildren();
              $('insert').hidden = true;
              $('error').hidden = true;
              if (!ctx.contact || !ctx.contact.id) return;
              if (!ctx.token) { showError('This app needs UniLink’s signed context (the host sent none).'); return; }
              // The server reads whose orders to show from the signed token alone.
              const response = await fetch('/api/orders', { headers: { Authorization: `Bearer ${ctx.token}` } });
              const body = await response.json();
              if (!response.ok) { showError(body.error); return; }
              for (const order of body.orders) {
                const el = document.createElement('section');
                el.className = 'order';
                const header = document.createElement('header');
                const number = document.createElement('span'); number.textContent = `${order.number} · ${order.placedOn}`;
                const status = document.createElement('span'); status.className = 'status'; status.textContent = order.status;
                header.append(number, status);
                const items = document.createElement('div'); items.className = 'muted'; items.textContent = `${order.items} — ${order.total.toFixed(2)} ${order.currency}`;
                const table = document.createElement('table');
                for (const p of order.payments) {
                  const row = table.insertRow();
                  row.insertCell().textContent = p.paidOn; row.insertCell().textContent = p.method;
                  row.insertCell().textContent = `${p.amount.toFixed(2)} ${order.currency}`; row.insertCell().textContent = p.status;
                }
                el.append(header, items, table);
                $('orders').append(el);
              }
              shownNumbers = body.orders.map(o => o.number);
              const latest = body.orders[0];
              if (latest) {
                summary = `Your latest order ${latest.number} (${latest.items}) from ${latest.placedOn} is ${latest.status}; total ${latest.total.toFixed(2)} ${latest.currency}.`;
                $('insert').hidden = false;
              }
            }

            app.onContext(ctx => load(ctx).catch(e => showError(String(e))));
            // Typed events (UniLink): when the customer writes about one of the orders shown, say which one at once.
            app.on('message.created', message => {
              if (message.message_type !== 0 || !message.content) return;
              const number = shownNumbers.find(n => message.content.includes(n));
              if (number) { $('asked').textContent = `The customer just asked about ${number}.`; $('asked').hidden = false; }
            });
            $('insert').addEventListener('click', () =>
              app.act('insert_reply', { text: summary }).catch(e => showError(e.message)));
          </script>
        </body>
        </html>
        """;

    /// <summary>
    /// The composer button's popover (install the same app a second time with the URL <c>/composer</c> and the placement
    /// <c>composer</c>): the latest order's summary, put into the reply box (or replacing the draft) with one click, after
    /// which the popover closes itself. It hears each new message too, to offer the order the customer names.
    /// </summary>
    public static string ComposerHtml(OrdersSettings settings) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Orders — reply</title>
          <link rel="icon" href="data:,">
          <style>
            body { margin:0; padding:.75rem; font-family:system-ui,"Liberation Sans",sans-serif; font-size:.9rem; }
            body.dark { color:#e6e9ee; background:#1c2027; }
            p { margin:.25rem 0 .5rem; } .error { color:#c62828; }
            button { font:inherit; padding:.3rem .7rem; border-radius:6px; border:1px solid #1f6feb; background:#1f6feb; color:#fff; cursor:pointer; margin-right:.4rem; }
          </style>
        </head>
        <body>
          <p id="summary">Waiting for the conversation…</p>
          <p class="error" id="error" role="alert" hidden></p>
          <button id="insert" type="button" hidden>Insert</button>
          <button id="replace" type="button" hidden>Replace draft</button>
          <script type="module">
            import { connect } from {{JsonSerializer.Serialize(settings.UniLinkUrl + "/sdk/dashboard-app.js")}};
            const app = connect({ hostOrigins: [{{JsonSerializer.Serialize(settings.UniLinkUrl)}}] });
            const $ = id => document.getElementById(id);
            let orders = [];
            let text = '';
            function show(order) {
              text = `Your order ${order.number} (${order.items}) from ${order.placedOn} is ${order.status}; total ${order.total.toFixed(2)} ${order.currency}.`;
              $('summary').textContent = text;
              $('insert').hidden = $('replace').hidden = false;
            }
            app.onContext(async ctx => {
              document.body.classList.toggle('dark', ctx.theme === 'dark');
              if (!ctx.contact || !ctx.contact.id || !ctx.token) { $('summary').textContent = 'No contact to look up.'; return; }
              const response = await fetch('/api/orders', { headers: { Authorization: `Bearer ${ctx.token}` } });
              const body = await response.json();
              if (!response.ok) { $('error').textContent = body.error; $('error').hidden = false; return; }
              orders = body.orders;
              if (orders[0]) show(orders[0]); else $('summary').textContent = 'No orders yet.';
            });
            // Typed events: the customer names one of their orders — offer that one instead of the latest.
            app.on('message.created', message => {
              const named = message.message_type === 0 && message.content && orders.find(o => message.content.includes(o.number));
              if (named) show(named);
            });
            async function put(replace) {
              try { await app.act('insert_reply', { text, replace }); app.close(); }
              catch (e) { $('error').textContent = e.message; $('error').hidden = false; }
            }
            $('insert').addEventListener('click', () => put(false));
            $('replace').addEventListener('click', () => put(true));
          </script>
        </body>
        </html>
        """;
}
