/* UniLink website widget: runs inside the iframe on UniLink's origin. Plain JS, no framework: the page it is
   embedded in only ever sees postMessage. Everything a visitor or an agent writes is shown as text, never markup. */
(function () {
  'use strict';
  var SOURCE = 'unilink-widget';
  var cfg = JSON.parse(document.getElementById('cw-config').textContent);
  var STRINGS = {
    en: { placeholder: 'Type your message', send: 'Send message', close: 'Close chat', typing: '{0} is typing…', you: 'You',
      replies: { in_a_few_minutes: 'Typically replies in a few minutes', in_a_few_hours: 'Typically replies in a few hours', in_a_day: 'Typically replies in a day' },
      start: 'Start conversation', name: 'Full name', email: 'Email address', message: 'Message', messages: 'Messages', resolved: 'This conversation was resolved. Write to reopen it, or start a new one.',
      again: 'Start a new conversation', end: 'End conversation', offline: 'We are away right now. Leave your email and we will reply there.', notify: 'Notify me', thanks: 'Thanks! We will reply to {0}.',
      failed: 'Not sent. Try again.', powered: 'Powered by UniLink', attach: 'Attach a file', file: 'File', read: 'Read' },
    fr: { placeholder: 'Tapez votre message', send: 'Envoyer', close: 'Fermer la discussion', typing: '{0} écrit…', you: 'Vous',
      replies: { in_a_few_minutes: 'Répond en général en quelques minutes', in_a_few_hours: 'Répond en général en quelques heures', in_a_day: 'Répond en général en un jour' },
      start: 'Commencer la conversation', name: 'Nom complet', email: 'Adresse e-mail', message: 'Message', messages: 'Messages', resolved: 'Cette conversation est résolue. Écrivez pour la rouvrir, ou commencez-en une nouvelle.',
      again: 'Nouvelle conversation', end: 'Terminer la conversation', offline: 'Nous sommes absents. Laissez votre e-mail, nous vous répondrons.', notify: 'Me prévenir', thanks: 'Merci ! Nous répondrons à {0}.',
      failed: 'Non envoyé. Réessayez.', powered: 'Propulsé par UniLink', attach: 'Joindre un fichier', file: 'Fichier', read: 'Lu' },
    de: { placeholder: 'Nachricht eingeben', send: 'Senden', close: 'Chat schließen', typing: '{0} schreibt…', you: 'Sie',
      replies: { in_a_few_minutes: 'Antwortet meist in wenigen Minuten', in_a_few_hours: 'Antwortet meist in wenigen Stunden', in_a_day: 'Antwortet meist innerhalb eines Tages' },
      start: 'Unterhaltung beginnen', name: 'Vollständiger Name', email: 'E-Mail-Adresse', message: 'Nachricht', messages: 'Nachrichten', resolved: 'Diese Unterhaltung ist erledigt. Schreiben Sie, um sie wieder zu öffnen, oder beginnen Sie eine neue.',
      again: 'Neue Unterhaltung', end: 'Unterhaltung beenden', offline: 'Wir sind gerade nicht da. Hinterlassen Sie Ihre E-Mail, wir antworten dorthin.', notify: 'Benachrichtigen', thanks: 'Danke! Wir antworten an {0}.',
      failed: 'Nicht gesendet. Bitte erneut versuchen.', powered: 'Bereitgestellt von UniLink', attach: 'Datei anhängen', file: 'Datei', read: 'Gelesen' }
  };
  var t = STRINGS.en;
  var tokenKey = 'unilink_widget:' + cfg.website_token;
  var state = { token: null, parent: null, open: false, unread: 0, lastId: 0, conversation: null, ws: null, retry: 500, readUpTo: 0,
    pending: { attributes: {}, labels: [] }, typing: false, typingTimer: 0, referrer: '' };
  var shown = {};

  function $(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function local(value) {
    try {
      if (value === undefined) return localStorage.getItem(tokenKey);
      if (value === null) localStorage.removeItem(tokenKey); else localStorage.setItem(tokenKey, value);
    } catch (e) { /* blocked in a third-party frame: the page keeps the token (auth-token message) */ }
    return null;
  }
  function toParent(message) {
    message.source = SOURCE;
    if (window.parent !== window && state.parent) window.parent.postMessage(message, state.parent);
  }
  function setToken(token) {
    state.token = token;
    local(token);
    toParent({ type: 'auth-token', token: token });
  }

  function api(method, path, body) {
    var url = '/api/v1/widget/' + path + (path.indexOf('?') < 0 ? '?' : '&') + 'website_token=' + encodeURIComponent(cfg.website_token);
    var headers = { 'X-Auth-Token': state.token || '' };
    if (body) headers['Content-Type'] = 'application/json';
    return fetch(url, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, credentials: 'omit' }).then(function (r) {
      return r.text().then(function (text) {
        var json = text ? JSON.parse(text) : null;
        if (r.ok) return json;
        var error = new Error((json && (json.error || json.message)) || 'HTTP ' + r.status);
        error.status = r.status;
        throw error;
      });
    });
  }
  var asking = null;
  function ensureToken() {
    if (state.token) return Promise.resolve();
    // One new visitor however many calls wait for it (opening the window and a first message at once).
    if (!asking) asking = api('POST', 'config').then(function (r) { setToken(r.website_channel_config.auth_token); })
      .finally(function () { asking = null; });
    return asking;
  }
  // The reference's webwidget.triggered: the visitor opened the window (webhooks and the inbox's bot hear of it).
  function triggered() {
    ensureToken().then(function () {
      return api('POST', 'events' + (state.locale ? '?locale=' + encodeURIComponent(state.locale) : ''),
        { name: 'webwidget.triggered', event_info: { initiated_at: { timestamp: new Date().toString() }, referer: state.referrer } });
    }).catch(function () {});
  }
  function report(error) { toParent({ type: 'error', error: { message: error.message, status: error.status } }); }

  // ---- the window
  var root = $('div', 'cw-window');
  root.setAttribute('role', 'region');
  root.setAttribute('aria-labelledby', 'cw-title');
  var header = root.appendChild($('header', 'cw-header'));
  var heading = header.appendChild($('div', 'cw-heading'));
  var title = heading.appendChild($('h1', 'cw-title'));
  title.id = 'cw-title';
  var tagline = heading.appendChild($('p', 'cw-tagline'));
  var reply = heading.appendChild($('p', 'cw-reply'));
  var endButton = header.appendChild($('button', 'cw-end', '⏻'));
  endButton.type = 'button';
  endButton.hidden = true;
  var closeButton = header.appendChild($('button', 'cw-close', '✕'));
  closeButton.type = 'button';
  var log = root.appendChild($('div', 'cw-log'));
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  log.tabIndex = 0;
  var typing = root.appendChild($('p', 'cw-typing'));
  typing.setAttribute('aria-live', 'polite');
  // Below the conversation: that it was resolved (and a way to start again), or the e-mail prompt when nobody is online.
  var notice = root.appendChild($('div', 'cw-notice'));
  notice.setAttribute('role', 'status');
  var noticeText = notice.appendChild($('p', 'cw-notice-text'));
  var againButton = notice.appendChild($('button', 'cw-again'));
  againButton.type = 'button';
  notice.hidden = true;
  var emailForm = root.appendChild($('form', 'cw-email'));
  emailForm.hidden = true;
  var prechat = root.appendChild($('form', 'cw-prechat'));
  var compose = root.appendChild($('form', 'cw-compose'));
  var inputLabel = compose.appendChild($('label', 'cw-sr'));
  inputLabel.htmlFor = 'cw-input';
  var input = compose.appendChild($('textarea', 'cw-input'));
  input.id = 'cw-input';
  input.rows = 1;
  input.maxLength = 10000;
  // Attachments: a file input behind a labelled button (keyboard and screen readers reach the input itself).
  var attachLabel = compose.appendChild($('label', 'cw-attach'));
  var attachIcon = attachLabel.appendChild($('span', null, '📎'));
  attachIcon.setAttribute('aria-hidden', 'true');
  var fileInput = attachLabel.appendChild($('input', 'cw-file'));
  fileInput.type = 'file';
  fileInput.multiple = true;
  var sendButton = compose.appendChild($('button', 'cw-send', '➤'));
  sendButton.type = 'submit';
  var brand = root.appendChild($('p', 'cw-brand'));
  document.body.appendChild(root);
  document.documentElement.style.setProperty('--cw-color', readable(/^#[0-9a-f]{3,6}$/i.test(cfg.widget_color) ? cfg.widget_color : '#1f93ff'));

  // The inbox's colour, darkened just enough for white text on it to keep a 4.5:1 contrast (WCAG AA).
  function readable(hex) {
    if (hex.length === 4) hex = '#' + hex[1] + hex[1] + hex[2] + hex[2] + hex[3] + hex[3];
    var rgb = [1, 3, 5].map(function (i) { return parseInt(hex.substr(i, 2), 16); });
    function lum(c) {
      return c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
        .reduce(function (sum, v, i) { return sum + v * [0.2126, 0.7152, 0.0722][i]; }, 0);
    }
    for (var k = 1; k > 0.05; k -= 0.05) {
      var c = rgb.map(function (v) { return Math.round(v * k); });
      if (1.05 / (lum(c) + 0.05) >= 4.5) return 'rgb(' + c.join(',') + ')';
    }
    return '#000';
  }

  function texts() {
    title.textContent = cfg.welcome_title || cfg.website_name;
    tagline.textContent = cfg.welcome_tagline || '';
    reply.textContent = t.replies[cfg.reply_time] || t.replies.in_a_few_minutes;
    closeButton.setAttribute('aria-label', t.close);
    endButton.setAttribute('aria-label', t.end);
    endButton.title = t.end;
    againButton.textContent = t.again;
    noticeText.textContent = t.resolved;
    log.setAttribute('aria-label', t.messages);
    inputLabel.textContent = t.placeholder;
    input.placeholder = t.placeholder;
    sendButton.setAttribute('aria-label', t.send);
    fileInput.setAttribute('aria-label', t.attach);
    attachLabel.title = t.attach;
    brand.textContent = t.powered;
    document.documentElement.lang = (STRINGS[state.locale] ? state.locale : 'en');
    renderPrechat();
    showRead();
  }
  function setLocale(locale) {
    state.locale = String(locale || 'en').toLowerCase().split(/[-_]/)[0];
    t = STRINGS[state.locale] || STRINGS.en;
    texts();
  }
  function setScheme(mode) {
    var dark = mode === 'dark' || (mode === 'auto' && window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches);
    document.documentElement.classList.toggle('cw-dark', !!dark);
  }

  // ---- the pre-chat form (before the first conversation, when the inbox asks for it)
  function prechatFields() {
    var fields = (cfg.pre_chat_form_options && cfg.pre_chat_form_options.pre_chat_fields) || [
      { name: 'emailAddress', type: 'email', required: true, enabled: true }, { name: 'fullName', type: 'text', required: false, enabled: true }];
    return fields.filter(function (f) { return f.enabled !== false && (f.name === 'emailAddress' || f.name === 'fullName'); });
  }
  function renderPrechat() {
    prechat.textContent = '';
    var use = cfg.pre_chat_form_enabled && !state.conversation && !state.identified;
    prechat.hidden = !use;
    compose.hidden = !!use;
    if (!use) return;
    if (cfg.pre_chat_form_options && cfg.pre_chat_form_options.pre_chat_message) prechat.appendChild($('p', 'cw-prechat-message', cfg.pre_chat_form_options.pre_chat_message));
    prechatFields().concat([{ name: 'message', type: 'textarea', required: true }]).forEach(function (f) {
      var label = prechat.appendChild($('label', null, f.name === 'emailAddress' ? t.email : f.name === 'fullName' ? t.name : t.message));
      var field = label.appendChild($(f.type === 'textarea' ? 'textarea' : 'input'));
      field.name = f.name;
      if (f.type !== 'textarea') field.type = f.type === 'email' ? 'email' : 'text';
      field.required = !!f.required;
    });
    var start = prechat.appendChild($('button', 'cw-start', t.start));
    start.type = 'submit';
  }
  prechat.addEventListener('submit', function (e) {
    e.preventDefault();
    var f = prechat.elements;
    var body = { contact: { name: f.fullName ? f.fullName.value : undefined, email: f.emailAddress ? f.emailAddress.value : undefined },
      message: { content: f.message.value, timestamp: new Date().toString(), referer_url: state.referrer } };
    ensureToken().then(function () { return api('POST', 'conversations', body); }).then(function (conversation) {
      started(conversation);
      conversation.messages.forEach(add);
    }).catch(report);
  });

  // ---- messages
  function add(m) {
    if (!m || shown[m.id]) return;
    shown[m.id] = true;
    state.lastId = Math.max(state.lastId, m.id);
    var kind = m.message_type === 0 ? 'in' : m.message_type === 2 ? 'activity' : 'out';
    var row = $('div', 'cw-msg cw-' + kind);
    row.dataset.id = m.id;
    if (kind === 'out') {
      var name = (m.sender && (m.sender.available_name || m.sender.name)) || cfg.website_name;
      var avatar = row.appendChild($('span', 'cw-avatar', name.charAt(0).toUpperCase()));
      avatar.setAttribute('aria-hidden', 'true');
      row.appendChild($('span', 'cw-sender', name));
    } else if (kind === 'in') {
      row.appendChild($('span', 'cw-sr', t.you + ':'));
    }
    if (m.content || !(m.attachments && m.attachments.length)) row.appendChild($('p', 'cw-text', m.content || ''));
    (m.attachments || []).forEach(function (a) { row.appendChild(attachment(a)); });
    var rows = log.children, before = null;
    for (var i = rows.length - 1; i >= 0; i--) { if (+rows[i].dataset.id > m.id) before = rows[i]; else break; }
    log.insertBefore(row, before);
    if (kind === 'in' && m.id <= state.readUpTo) showRead();
    log.scrollTop = log.scrollHeight;
  }
  // "Read" under the newest of the visitor's messages an agent has read (conversation.read on the socket).
  function showRead() {
    var old = log.querySelector('.cw-read');
    var rows = log.querySelectorAll('.cw-in'), last = null;
    for (var i = 0; i < rows.length; i++) if (+rows[i].dataset.id <= state.readUpTo) last = rows[i];
    if (old && old.parentNode === last) { old.textContent = t.read; return; }
    if (old) old.remove();
    if (last) last.appendChild($('span', 'cw-read', t.read));
  }
  // A file of a message: a picture shows (its thumbnail), anything else is a link to download it. Only UniLink's own URLs.
  function attachment(a) {
    var box = $('div', 'cw-file-box');
    var url = String(a.data_url || '');
    if (!/^https?:\/\//i.test(url) && url.charAt(0) !== '/') return box;
    var link = box.appendChild($('a', 'cw-file-link'));
    link.href = url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    var name = decodeURIComponent((url.split('?')[0].split('/').pop()) || '') || (t.file + (a.extension ? ' (' + a.extension + ')' : ''));
    if (a.file_type === 'image') {
      var img = link.appendChild($('img', 'cw-image'));
      img.src = a.thumb_url || url;
      img.alt = name;
    } else {
      link.textContent = '📄 ' + name;
    }
    return box;
  }
  function upload(files) {
    var form = new FormData();
    Array.prototype.forEach.call(files, function (f) { form.append('message[attachments][]', f, f.name); });
    form.append('message[referer_url]', state.referrer);
    form.append('message[timestamp]', new Date().toString());
    var hadConversation = !!state.conversation;
    return ensureToken().then(function () {
      return fetch('/api/v1/widget/messages?website_token=' + encodeURIComponent(cfg.website_token),
        { method: 'POST', headers: { 'X-Auth-Token': state.token }, body: form, credentials: 'omit' });
    }).then(function (r) {
      return r.json().then(function (json) {
        if (!r.ok) { var error = new Error(json.message || json.error || 'HTTP ' + r.status); error.status = r.status; throw error; }
        add(json);
        if (!hadConversation) return api('GET', 'conversations').then(started);
      });
    }).catch(function (error) { typing.textContent = error.message || t.failed; report(error); });
  }
  fileInput.addEventListener('change', function () {
    if (fileInput.files.length) upload(fileInput.files);
    fileInput.value = '';
  });

  function greet() {
    if (!cfg.greeting_enabled || !cfg.greeting_message || log.children.length) return;
    var row = log.appendChild($('div', 'cw-msg cw-out cw-greeting'));
    row.dataset.id = '0';
    row.appendChild($('span', 'cw-sender', cfg.website_name));
    row.appendChild($('p', 'cw-text', cfg.greeting_message));
  }
  function fromAgent(m) {
    if (m.message_type !== 1 || m.private) return;
    // One message to the page for both (each is a task on the host page's main thread).
    toParent({ type: 'message', message: m, unread: state.open ? null : ++state.unread });
    if (state.open) seen();
  }
  function seen() { if (state.conversation) api('POST', 'conversations/update_last_seen').catch(function () {}); }

  // ---- the conversation's status: the visitor may end it, and start a new one once it is resolved
  function showStatus() {
    var c = state.conversation;
    endButton.hidden = !c || c.status === 'resolved';
    notice.hidden = !c || c.status !== 'resolved';
  }
  endButton.addEventListener('click', function () {
    api('POST', 'conversations/toggle_status').then(function () {
      if (state.conversation) state.conversation.status = 'resolved';
      showStatus();
      againButton.focus();
    }).catch(report);
  });
  againButton.addEventListener('click', function () {
    // As the reference's "Start a new conversation": the next message opens a new conversation (POST …/conversations).
    state.conversation = null;
    state.startOver = true;
    log.textContent = '';
    shown = {};
    state.readUpTo = 0;
    emailForm.hidden = true;
    greet();
    renderPrechat();
    showStatus();
    (compose.hidden ? prechat.querySelector('input,textarea') : input).focus();
  });

  // ---- nobody online and no e-mail known: ask for one, so the reply can reach the visitor later
  function askEmailIfAway() {
    Promise.all([api('GET', 'inbox_members'), api('GET', 'contact')]).then(function (r) {
      var online = (r[0].payload || []).some(function (a) { return a.availability_status === 'online'; });
      if (online || r[1].email) return;
      emailForm.textContent = '';
      emailForm.appendChild($('p', 'cw-email-text', t.offline));
      var label = emailForm.appendChild($('label', null, t.email));
      var field = label.appendChild($('input'));
      field.type = 'email';
      field.name = 'email';
      field.required = true;
      field.autocomplete = 'email';
      var button = emailForm.appendChild($('button', 'cw-start', t.notify));
      button.type = 'submit';
      emailForm.hidden = false;
    }).catch(function () {});
  }
  emailForm.addEventListener('submit', function (e) {
    e.preventDefault();
    var email = emailForm.elements.email.value.trim();
    api('PATCH', 'contact', { email: email }).then(function () {
      emailForm.textContent = '';
      emailForm.appendChild($('p', 'cw-email-text', t.thanks.replace('{0}', email)));
    }).catch(function (error) {
      var p = emailForm.querySelector('.cw-email-error') || emailForm.appendChild($('p', 'cw-email-error'));
      p.setAttribute('role', 'alert');
      p.textContent = error.message;
      report(error);
    });
  });

  function started(conversation) {
    var first = !state.conversation;
    state.conversation = conversation;
    state.startOver = false;
    renderPrechat();
    showStatus();
    if (!first) return;
    askEmailIfAway();
    toParent({ type: 'start-conversation', conversation: { id: conversation.id } });
    if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify({ command: 'refresh' })); else connect();
    var attributes = state.pending.attributes, labels = state.pending.labels;
    state.pending = { attributes: {}, labels: [] };
    if (Object.keys(attributes).length) api('POST', 'conversations/set_custom_attributes', { custom_attributes: attributes }).catch(report);
    labels.forEach(function (label) { api('POST', 'labels', { label: label }).catch(report); });
  }

  function load() {
    if (!state.token) { greet(); renderPrechat(); return Promise.resolve(); }
    return api('GET', 'conversations').then(function (c) {
      if (c && c.id) { state.conversation = c; renderPrechat(); showStatus(); }
      return api('GET', 'messages');
    }).then(function (list) {
      greet();
      (list || []).forEach(add);
      connect();
    }).catch(function (error) {
      if (error.status === 401) { state.token = null; local(null); greet(); renderPrechat(); } else report(error);
    });
  }

  compose.addEventListener('submit', function (e) {
    e.preventDefault();
    var content = input.value;
    if (!content.trim()) return;
    input.value = '';
    stopTyping();
    var hadConversation = !!state.conversation;
    var message = { content: content, timestamp: new Date().toString(), referer_url: state.referrer };
    ensureToken().then(function () {
      if (state.startOver) return api('POST', 'conversations', { message: message }).then(function (c) { started(c); c.messages.forEach(add); });
      return api('POST', 'messages', { message: message }).then(function (m) {
        add(m);
        if (!hadConversation) return api('GET', 'conversations').then(started);
      });
    }).catch(function (error) {
      input.value = content;
      typing.textContent = t.failed;
      report(error);
    });
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); compose.requestSubmit(); }
  });
  input.addEventListener('input', function () {
    if (!state.conversation) return;
    if (!state.typing) { state.typing = true; api('POST', 'conversations/toggle_typing', { typing_status: 'on' }).catch(function () {}); }
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(stopTyping, 2000);
  });
  function stopTyping() {
    clearTimeout(state.typingTimer);
    if (!state.typing) return;
    state.typing = false;
    api('POST', 'conversations/toggle_typing', { typing_status: 'off' }).catch(function () {});
  }
  closeButton.addEventListener('click', function () { toParent({ type: 'close' }); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') toParent({ type: 'close' }); });

  // ---- live: agents' replies and typing over a WebSocket the widget keeps
  function connect() {
    if (!state.token || (state.ws && state.ws.readyState <= 1)) return;
    var ws = state.ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/widget/live');
    ws.onopen = function () {
      state.retry = 500;
      ws.send(JSON.stringify({ website_token: cfg.website_token, auth_token: state.token, after: state.lastId }));
    };
    ws.onmessage = function (e) {
      var data = JSON.parse(e.data);
      if (data.event === 'message.created') {
        var isNew = !shown[data.data.id];
        add(data.data);
        if (isNew) { typing.textContent = ''; fromAgent(data.data); }
      } else if (data.event === 'conversation.typing_on') {
        typing.textContent = t.typing.replace('{0}', data.data.user.name);
      } else if (data.event === 'conversation.typing_off') {
        typing.textContent = '';
      } else if (data.event === 'conversation.read' && state.conversation && state.conversation.id === data.data.id) {
        state.readUpTo = Math.max(state.readUpTo, data.data.last_read_message_id || 0);
        showRead();
      } else if (data.event === 'conversation.status_changed' && state.conversation && state.conversation.id === data.data.id) {
        state.conversation.status = data.data.status;
        showStatus();
      }
    };
    ws.onclose = function () {
      if (state.ws !== ws || !state.token) return;
      state.ws = null;
      setTimeout(connect, state.retry);
      state.retry = Math.min(state.retry * 2, 10000);
    };
  }

  // ---- the embedding page ($chatwoot calls), believed only from the parent window, at the origin it first wrote from
  var calls = {
    setUser: function (identifier, user) {
      var body = { identifier: identifier };
      ['email', 'name', 'avatar_url', 'phone_number', 'identifier_hash'].forEach(function (k) { if (user[k] != null) body[k] = user[k]; });
      if (user.custom_attributes) body.custom_attributes = user.custom_attributes;
      return ensureToken().then(function () { return api('PATCH', 'contact/set_user', body); }).then(function (r) {
        state.identified = true;
        renderPrechat();
        if (r.widget_auth_token) {
          setToken(r.widget_auth_token);
          if (state.ws) { var old = state.ws; state.ws = null; old.close(); }
          log.textContent = '';
          shown = {};
          state.readUpTo = 0;
          state.lastId = 0;
          state.conversation = null;
          return load();
        }
      });
    },
    setCustomAttributes: function (attributes) {
      return ensureToken().then(function () { return api('PATCH', 'contact', { custom_attributes: attributes }); });
    },
    deleteCustomAttribute: function (key) {
      return ensureToken().then(function () { return api('POST', 'contact/destroy_custom_attributes', { custom_attributes: [key] }); });
    },
    setConversationCustomAttributes: function (attributes) {
      if (!state.conversation) { Object.assign(state.pending.attributes, attributes); return Promise.resolve(); }
      return api('POST', 'conversations/set_custom_attributes', { custom_attributes: attributes });
    },
    deleteConversationCustomAttribute: function (key) {
      if (!state.conversation) { delete state.pending.attributes[key]; return Promise.resolve(); }
      return api('POST', 'conversations/destroy_custom_attributes', { custom_attribute: [key] });
    },
    setLabel: function (label) {
      if (!state.conversation) { state.pending.labels.push(label); return Promise.resolve(); }
      return api('POST', 'labels', { label: label });
    },
    removeLabel: function (label) {
      if (!state.conversation) { state.pending.labels = state.pending.labels.filter(function (l) { return l !== label; }); return Promise.resolve(); }
      return api('DELETE', 'labels/' + encodeURIComponent(label));
    },
    setLocale: function (locale) { setLocale(locale); return Promise.resolve(); },
    setColorScheme: function (mode) { setScheme(mode); return Promise.resolve(); },
    reset: function () {
      var old = state.ws;
      state.ws = null;
      state.token = null;
      if (old) old.close();
      local(null);
      log.textContent = '';
      shown = {};
      state.readUpTo = 0;
      state.lastId = 0;
      state.conversation = null;
      state.startOver = false;
      state.identified = false;
      emailForm.hidden = true;
      showStatus();
      greet();
      renderPrechat();
      return Promise.resolve();
    }
  };
  var chain = Promise.resolve();
  // The start, from the frame address's fragment (the loader's fast path) or from an init message.
  function begin(origin, data) {
    state.parent = origin;
    state.referrer = String(data.referrerURL || '').slice(0, 2000);
    var own = local();
    state.token = own || data.authToken || null;
    if (state.token && state.token !== own) local(state.token);
    // The page's copy is told only of a token it does not hold (each message is a task on the host page).
    if (state.token && state.token !== data.authToken) toParent({ type: 'auth-token', token: state.token });
    var s = data.settings || {};
    setLocale(s.locale);
    setScheme(s.darkMode);
    load().then(function () { toParent({ type: 'ready', color: cfg.widget_color }); });
  }
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.source !== window.parent || window.parent === window || !data || data.source !== SOURCE) return;
    if (data.type === 'init' && !state.parent) {
      begin(event.origin, data);
      return;
    }
    if (event.origin !== state.parent) return;
    if (data.type === 'toggle') {
      state.open = !!data.open;
      if (state.open) { state.unread = 0; seen(); triggered(); setTimeout(function () { (compose.hidden ? prechat.querySelector('input,textarea') : input).focus(); }, 0); }
    } else if (data.type === 'call' && calls.hasOwnProperty(data.method)) {
      // One call after another, in the order the page made them (setUser before setLabel…).
      chain = chain.then(function () { return calls[data.method].apply(null, data.args || []); }).catch(report);
    }
  });

  setLocale('en');
  if (window.parent === window) {
    // Opened on its own (popout): no page to ask, the widget's own storage is all there is.
    state.open = true;
    state.token = local();
    setScheme('auto');
    load();
  } else {
    var start = null;
    try { start = location.hash.length > 1 ? JSON.parse(decodeURIComponent(location.hash.slice(1))) : null; } catch (e) { start = null; }
    if (start && typeof start.origin === 'string' && start.origin !== 'null') {
      // Out of the address at once: the visitor's token has no business in it.
      history.replaceState(null, '', location.pathname + location.search);
      begin(start.origin, start);
    } else {
      window.parent.postMessage({ source: SOURCE, type: 'loaded' }, '*');
    }
  }
})();
