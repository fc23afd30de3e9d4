using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace UniLink.BrowserTests.Sdk;

/// <summary>
/// Pages for the JavaScript SDK's tests, served by <see cref="Infrastructure.TestAppServer"/>s on their own origins:
/// <c>/sdk-app?sdk=UNILINK[&amp;hostOrigins=…][&amp;actionTimeoutMs=…]</c> is an app written with the SDK (it imports
/// <c>/sdk/dashboard-app.js</c> from UniLink and records what the SDK hands it in <c>window.sdk</c>, and every raw
/// message in <c>window.received</c>); <c>/host?app=URL</c> is a host like the reference (it posts only the appContext
/// JSON string, on load and for the exact fetch-info string, and answers nothing else); <c>/rogue?target=ORIGIN</c>, a
/// sibling frame on the host page, posts a forged context to the app.
/// </summary>
public static class SdkPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/sdk-app", (HttpContext ctx) => Results.Content(AppPage(ctx.Request.Query["sdk"].ToString()), "text/html"));
        app.MapGet("/host", (HttpContext ctx) => Results.Content(HostPage(ctx.Request.Query["app"].ToString()), "text/html"));
        app.MapGet("/rogue", () => Results.Content(RoguePage, "text/html"));
        app.MapGet("/card-guard", (HttpContext ctx) => Results.Content(CardGuardPage(ctx.Request.Query["sdk"].ToString()), "text/html"));
    }

    private static string AppPage(string unilink) => $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>SDK app</title><link rel="icon" href="data:,"></head>
        <body>
        <h1>SDK app</h1>
        <script>
          window.received = [];
          window.addEventListener('message', function (event) {
            var entry = { origin: event.origin, type: typeof event.data, fromParent: event.source === window.parent };
            try { entry.data = JSON.parse(event.data); } catch (e) { entry.raw = String(event.data); }
            window.received.push(entry);
          });
        </script>
        <script type="module">
          import { connect, verifySignedContext, verifyContextToken } from {{JsonSerializer.Serialize(unilink.TrimEnd('/') + "/sdk/dashboard-app.js")}};
          window.verifySignedContext = verifySignedContext;
          window.verifyContextToken = verifyContextToken;
          const params = new URLSearchParams(location.search);
          const options = {};
          if (params.get('hostOrigins')) options.hostOrigins = params.get('hostOrigins').split(',');
          if (params.get('actionTimeoutMs')) options.actionTimeoutMs = Number(params.get('actionTimeoutMs'));
          const app = connect(options);
          window.sdk = { contexts: [] };
          app.onContext(ctx => window.sdk.contexts.push(ctx));
          window.app = app;
          // What a test reads back: a promise's outcome as text.
          window.outcome = promise => promise.then(value => JSON.stringify({ ok: value }), error => JSON.stringify({ rejected: String(error && error.message) }));
        </script>
        </body></html>
        """;

    /// <summary>The example of docs/dashboard-apps.md (“An app that blocks card numbers”), as written there.</summary>
    private static string CardGuardPage(string unilink) => $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Card guard</title><link rel="icon" href="data:,"></head>
        <body>
        <p>Card guard: replies with a card number are not sent.</p>
        <script type="module">
          import { connect } from {{JsonSerializer.Serialize(unilink.TrimEnd('/') + "/sdk/dashboard-app.js")}};
          const app = connect();

          // 13 to 19 digits, single spaces or dashes between them, passing the Luhn check: a payment card number.
          const candidates = /\b\d(?:[ -]?\d){12,18}\b/g;
          function luhn(digits) {
            let sum = 0;
            for (let i = 0; i < digits.length; i++) {
              let d = Number(digits[digits.length - 1 - i]);
              if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
              sum += d;
            }
            return sum % 10 === 0;
          }

          app.onHook('before_send', ({ draft }) => {
            const cards = (draft.match(candidates) || []).map(m => m.replace(/[ -]/g, '')).filter(luhn);
            return cards.length > 0
              ? { outcome: 'block', reason: 'the reply contains a card number; never ask for or repeat one' }
              : { outcome: 'allow' };
          });
          window.app = app;
        </script>
        </body></html>
        """;

    private static string HostPage(string appUrl) => $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Reference-like host</title><link rel="icon" href="data:,"></head>
        <body>
        <iframe id="app" src="{{WebUtility.HtmlEncode(appUrl)}}" style="width:600px;height:300px"></iframe>
        <script>
          // What the reference does: a JSON string, on every load and for the exact fetch-info string; nothing else.
          var sent = 0;
          window.hostReceived = [];
          function context() {
            sent++;
            return JSON.stringify({ event: 'appContext', data: {
              conversation: { id: 77, messages: [{ id: 1, content: 'Hi from the reference', message_type: 0 }], meta: { sender: { id: 5, name: 'Ann' } } },
              contact: { id: 5, name: 'Ann', email: 'ann@example.com' },
              currentAgent: { id: 3, name: 'Sam', email: 'sam@example.com' },
              sent: sent } });
          }
          var frame = document.getElementById('app');
          window.sendContext = function () { frame.contentWindow.postMessage(context(), '*'); };
          frame.addEventListener('load', window.sendContext);
          window.addEventListener('message', function (event) {
            window.hostReceived.push(typeof event.data === 'string' ? event.data : JSON.stringify(event.data));
            if (event.data === 'chatwoot-dashboard-app:fetch-info') window.sendContext();
          });
          window.addRogue = function (src) {
            var rogue = document.createElement('iframe');
            rogue.src = src;
            document.body.appendChild(rogue);
          };
        </script>
        </body></html>
        """;

    // A sibling frame can reach the app's window through window.parent.frames; the SDK must not believe it.
    private const string RoguePage = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Rogue</title><link rel="icon" href="data:,"></head>
        <body><script>
          window.parent.frames[0].postMessage(JSON.stringify({ event: 'appContext', data: {
            conversation: { id: 666, messages: [] }, contact: { name: 'Forged' }, currentAgent: { id: 1, name: 'Mallory', email: 'm@example.com' },
            token: 'forged' } }), '*');
        </script></body></html>
        """;
}
