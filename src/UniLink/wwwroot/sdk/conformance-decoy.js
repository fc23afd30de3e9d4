// The conformance check's page of another origin (loaded by the App sandbox in a sandboxed frame, so its origin is
// opaque): it nests the app under test and tells the sandbox what the app posts to it (which only target origin '*'
// lets through), and sends the app what the sandbox asks — from an origin that is not UniLink's.
(function () {
  var url = document.body.getAttribute('data-url');
  var frame = document.createElement('iframe');
  frame.setAttribute('sandbox', document.body.getAttribute('data-sandbox') || 'allow-scripts');
  frame.addEventListener('load', function () { window.parent.postMessage({ conformanceDecoy: true, kind: 'loaded' }, '*'); });
  window.addEventListener('message', function (event) {
    if (event.source === frame.contentWindow) {
      var data = event.data;
      try { data = JSON.parse(JSON.stringify(data)); } catch (e) { data = String(data); }
      window.parent.postMessage({ conformanceDecoy: true, kind: 'message', data: data }, '*');
    } else if (event.source === window.parent && event.data && event.data.conformanceDecoy === true && 'send' in event.data) {
      frame.contentWindow.postMessage(event.data.send, '*');
    }
  });
  frame.src = url;
  document.body.appendChild(frame);
})();
