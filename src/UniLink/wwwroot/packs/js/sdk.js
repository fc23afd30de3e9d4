/* UniLink website widget loader: the reference's snippet loads it as {BASE_URL}/packs/js/sdk.js and calls
   window.chatwootSDK.run({websiteToken, baseUrl}). It only adds a launcher button and an iframe on UniLink's origin;
   the page and the widget talk by postMessage, each believing only the other's window and origin. During the page's
   load it only paints the bubble; the iframe comes on idle after the load, or at once when something needs it. After the
   load the host page runs only two short tasks: making the frame (which carries the widget's start in its address's
   fragment, so no handshake message) and the widget's `ready`. */
(function () {
  'use strict';
  if (window.chatwootSDK && window.chatwootSDK.unilink) return;
  var SOURCE = 'unilink-widget';
  var root, frame, bubble, badge, label, origin, baseUrl, websiteToken, settings, storeKey;
  var open = false, ready = false, unread = 0, queue = [];

  function store(value) {
    try {
      if (value === undefined) return localStorage.getItem(storeKey);
      if (value === null) localStorage.removeItem(storeKey); else localStorage.setItem(storeKey, value);
    } catch (e) { /* storage refused: the widget keeps its own copy */ }
    return null;
  }
  function emit(name, detail) { window.dispatchEvent(new CustomEvent(name, { detail: detail })); }
  function send(message) {
    message.source = SOURCE;
    if (ready) frame.contentWindow.postMessage(message, origin); else queue.push(message);
  }
  function call(method, args) { createFrame(); send({ type: 'call', method: method, args: args }); }

  var FRAME_CSS = 'position:fixed;border:0;z-index:2147483000;background:transparent;box-shadow:0 8px 32px rgba(0,0,0,.25);color-scheme:normal;';
  // The frame's whole style in one cssText (one declaration parse), its display kept.
  function frameCss(display) {
    var side = settings.position === 'left' ? 'left' : 'right';
    return FRAME_CSS + 'display:' + display + ';' + (window.innerWidth < 500
      ? 'width:100%;height:100%;top:0;bottom:0;left:0;right:0;border-radius:0'
      : 'width:400px;height:min(640px, calc(100vh - 110px));bottom:90px;top:auto;left:auto;right:auto;border-radius:12px;' + side + ':20px');
  }
  function place() {
    var side = settings.position === 'left' ? 'left' : 'right';
    bubble.style.left = bubble.style.right = 'auto';
    bubble.style[side] = '20px';
    if (frame) frame.style.cssText = frameCss(frame.style.display);
  }
  var ICON_CHAT = '<svg width="26" height="26" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 3C6.5 3 2 6.6 2 11c0 2.4 1.3 4.6 3.4 6.1L4.5 21l4.3-2.3c1 .2 2.1.3 3.2.3 5.5 0 10-3.6 10-8s-4.5-8-10-8z"/></svg>';
  var ICON_CLOSE = '<svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7 4.3 4.3l6.3 6.3 6.3-6.3z"/></svg>';

  function setOpen(value) {
    open = !!value;
    if (open) createFrame();
    if (frame) frame.style.display = open ? 'block' : 'none';
    bubble.setAttribute('aria-expanded', String(open));
    bubble.setAttribute('aria-label', open ? 'Close chat' : (settings.launcherTitle || 'Chat with us'));
    bubble.firstChild.innerHTML = open ? ICON_CLOSE : ICON_CHAT;
    if (window.innerWidth < 500) bubble.style.display = open || hidden() ? 'none' : 'flex';
    if (open) setUnread(0);
    window.$chatwoot.isOpen = open;
    if (frame) send({ type: 'toggle', open: open });
  }
  function hidden() { return !!settings.hideMessageBubble; }
  function setUnread(n) {
    unread = n;
    badge.textContent = n > 9 ? '9+' : String(n);
    badge.style.display = n > 0 ? 'flex' : 'none';
    badge.setAttribute('aria-label', n + ' unread');
  }

  function receive(event) {
    var data = event.data;
    if (event.origin !== origin || !frame || event.source !== frame.contentWindow || !data || data.source !== SOURCE) return;
    switch (data.type) {
      // A widget that had no start in its address (reloaded by the browser): the start by message.
      case 'loaded':
        start.source = SOURCE;
        start.type = 'init';
        start.authToken = store();
        frame.contentWindow.postMessage(start, origin);
        break;
      case 'ready':
        if (data.color) bubble.style.background = data.color;
        ready = true;
        window.$chatwoot.hasLoaded = true;
        queue.splice(0).forEach(send);
        emit('chatwoot:ready');
        break;
      case 'auth-token': store(data.token || null); break;
      case 'close': setOpen(false); bubble.focus(); break;
      case 'message':
        if (data.unread != null && !open) setUnread(data.unread | 0);
        emit('chatwoot:on-message', data.message);
        break;
      case 'start-conversation': emit('chatwoot:on-start-conversation', data.conversation); break;
      case 'error': emit('chatwoot:error', data.error); break;
    }
  }

  function run(options) {
    if (frame) return;
    settings = window.chatwootSettings || {};
    baseUrl = String(options.baseUrl || '').replace(/\/+$/, '');
    origin = new URL(baseUrl || '/', location.href).origin;
    websiteToken = String(options.websiteToken || '');
    storeKey = 'unilink_widget:' + websiteToken;
    // Each element's fixed styles in one cssText (one declaration parse instead of one per property).
    root = document.createElement('div');
    root.style.cssText = 'position:fixed;z-index:2147483000';
    root.id = 'unilink-widget';
    bubble = document.createElement('button');
    bubble.style.cssText = 'position:fixed;bottom:20px;height:56px;min-width:56px;padding:0 15px;border-radius:28px;border:0;' +
      'background:#1f93ff;color:#fff;cursor:pointer;display:' + (hidden() ? 'none' : 'flex') + ';align-items:center;' +
      'justify-content:center;gap:8px;font:600 15px system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.25);z-index:2147483000';
    bubble.type = 'button';
    bubble.className = 'woot-widget-bubble';
    bubble.appendChild(document.createElement('span')).style.display = 'flex';
    if (settings.type === 'expanded_bubble') {
      label = bubble.appendChild(document.createElement('span'));
      label.textContent = settings.launcherTitle || 'Chat with us';
    }
    badge = bubble.appendChild(document.createElement('span'));
    badge.style.cssText = 'position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#d92d20;' +
      'color:#fff;font:700 12px/20px system-ui,sans-serif;display:none;justify-content:center';
    bubble.onclick = function () { setOpen(!open); };
    root.appendChild(bubble);
    document.body.appendChild(root);
    window.addEventListener('message', receive);
    window.addEventListener('resize', place);
    place();
    setOpen(false);
    setUnread(0);
    // Soon after the load, so agents' replies still reach the badge and chatwoot:on-message.
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 50); };
    var later = function () { idle(createFrame, { timeout: 2000 }); };
    if (document.readyState === 'complete') later(); else window.addEventListener('load', later);
  }

  // What the widget starts with: the visitor's token kept on this site, where the page is, its settings. It goes in the
  // frame address's fragment (never sent to a server; the widget drops it from its address at once), naming this page's
  // origin, which the widget then believes alone, as the origin of an init message; a page naming another origin than its
  // own only cuts itself off.
  var start;
  function createFrame() {
    if (frame || !root) return;
    start = { origin: location.origin, authToken: store(), referrerURL: location.href, pageTitle: document.title,
      settings: { locale: settings.locale, darkMode: settings.darkMode, position: settings.position } };
    frame = document.createElement('iframe');
    frame.style.cssText = frameCss(open ? 'block' : 'none');
    frame.id = 'chatwoot_live_chat_widget';
    bubble.setAttribute('aria-controls', frame.id);
    frame.title = 'Chat window';
    frame.src = baseUrl + '/widget?website_token=' + encodeURIComponent(websiteToken) + '#' + encodeURIComponent(JSON.stringify(start));
    root.insertBefore(frame, bubble);
  }

  window.$chatwoot = {
    hasLoaded: false, isOpen: false,
    toggle: function (state) { setOpen(state === 'open' ? true : state === 'close' ? false : !open); },
    toggleBubbleVisibility: function (v) {
      if (!bubble) return;
      var show = v === 'show' ? true : v === 'hide' ? false : bubble.style.display === 'none';
      settings.hideMessageBubble = !show;
      bubble.style.display = show ? 'flex' : 'none';
    },
    popoutChatWindow: function () { window.open(baseUrl + '/widget?website_token=' + encodeURIComponent(websiteToken), 'unilink-chat', 'width=400,height=640'); },
    setUser: function (identifier, user) {
      if (typeof identifier !== 'string' && typeof identifier !== 'number') throw new Error('Identifier should be a string or a number');
      call('setUser', [String(identifier), user || {}]);
    },
    setCustomAttributes: function (attributes) { call('setCustomAttributes', [attributes || {}]); },
    deleteCustomAttribute: function (key) { call('deleteCustomAttribute', [key]); },
    setConversationCustomAttributes: function (attributes) { call('setConversationCustomAttributes', [attributes || {}]); },
    deleteConversationCustomAttribute: function (key) { call('deleteConversationCustomAttribute', [key]); },
    setLabel: function (label) { call('setLabel', [label]); },
    removeLabel: function (label) { call('removeLabel', [label]); },
    // init carries these to a frame not made yet
    setLocale: function (locale) { settings.locale = locale; if (frame) call('setLocale', [locale]); },
    setColorScheme: function (scheme) { settings.darkMode = scheme; if (frame) call('setColorScheme', [scheme]); },
    reset: function () { store(null); setOpen(false); setUnread(0); call('reset', []); }
  };
  window.chatwootSDK = { run: run, unilink: true };
})();
