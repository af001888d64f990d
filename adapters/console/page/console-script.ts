/**
 * The console's browser code, served as the ES module /console/app.js: plain DOM, no framework or build step.
 * Text from the cluster and the model is only ever set as textContent, never as HTML.
 * (Kept as a string so `tsc` builds it into dist/ with the rest; it must not contain backticks or dollar-brace.)
 */
export const consoleScript = String.raw`
const $ = (id) => document.getElementById(id);
const VIEWS = ['login', 'chat', 'conversations', 'audit', 'health'];
const state = { me: null, conversationId: null, source: null, items: new Map() };

async function api(path, body) {
  const init = body === undefined
    ? { credentials: 'same-origin' }
    : { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(path, init);
  let data = {};
  try { data = await res.json(); } catch { data = {}; }
  if (res.status === 401 && path.startsWith('/console/api/')) showLogin();
  return { status: res.status, ok: res.ok, data };
}

function show(view) {
  for (const name of VIEWS) $(name + '-view').hidden = name !== view;
  for (const button of document.querySelectorAll('#nav button')) {
    if (button.dataset.view === view) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  if (view === 'conversations') void loadConversations();
  if (view === 'audit') void loadAudit();
  if (view === 'health') void loadHealth();
}

function showLogin() {
  closeStream();
  state.me = null;
  $('nav').hidden = true;
  $('logout').hidden = true;
  $('who').textContent = '';
  show('login');
}

async function start() {
  const me = await api('/console/api/me');
  if (!me.ok) return showLogin();
  state.me = me.data;
  $('who').textContent = 'signed in as ' + me.data.identity;
  $('nav').hidden = false;
  // Signed in by the single sign-on proxy: signing out is the proxy's business.
  $('logout').hidden = me.data.via === 'proxy';
  $('ai-banner').hidden = me.data.aiConfigured === true;
  $('open-banner').hidden = me.data.loginRequired !== false;
  $('unverified-banner').hidden = me.data.verified === true || me.data.loginRequired === false;
  show('chat');
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  const result = await api('/console/login', { name: $('login-name').value.trim(), password: $('login-password').value });
  if (result.ok) {
    $('login-password').value = '';
    return start();
  }
  $('login-error').textContent = result.data.error === 'wrong_credentials' ? 'Wrong name, password or token.' : 'Sign-in failed: ' + (result.data.error || result.status);
});

$('logout').addEventListener('click', async () => {
  await api('/console/logout', {});
  showLogin();
});

for (const button of document.querySelectorAll('#nav button')) button.addEventListener('click', () => show(button.dataset.view));

// ---- chat ----

function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function closeStream() {
  if (state.source !== null) state.source.close();
  state.source = null;
}

function openConversation(id, title) {
  closeStream();
  state.conversationId = id;
  state.items = new Map();
  $('messages').replaceChildren();
  $('conversation-title').textContent = title || 'Conversation ' + id.slice(0, 8);
  const source = new EventSource('/console/api/events?conversation=' + encodeURIComponent(id));
  source.onmessage = (message) => apply(JSON.parse(message.data));
  state.source = source;
}

$('new-conversation').addEventListener('click', () => {
  closeStream();
  state.conversationId = null;
  state.items = new Map();
  $('messages').replaceChildren();
  $('conversation-title').textContent = 'New conversation';
});

$('ask-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('question').value.trim();
  if (text === '') return;
  $('chat-error').textContent = '';
  if (state.conversationId === null) openConversation(newId(), text.slice(0, 80));
  $('ask').disabled = true;
  try {
    const result = await api('/console/api/ask', { conversationId: state.conversationId, requestId: newId(), text });
    if (result.ok) $('question').value = '';
    else $('chat-error').textContent = 'Not sent: ' + (result.data.error || result.status);
  } finally {
    $('ask').disabled = false;
  }
});

$('question').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    $('ask-form').requestSubmit();
  }
});

function apply(event) {
  let item = state.items.get(event.id);
  if (item === undefined) {
    if (event.type === 'update') return;
    const el = document.createElement('div');
    el.className = 'msg ' + (event.type === 'approval' ? 'bot card' : event.role);
    el.dataset.id = event.id;
    $('messages').append(el);
    item = { el, role: event.role, by: event.by };
    state.items.set(event.id, item);
  }
  if (event.type === 'approval') renderCard(item.el, event.card);
  else renderMessage(item, event.text);
  item.el.scrollIntoView({ block: 'nearest' });
}

function renderMessage(item, text) {
  const who = document.createElement('div');
  who.className = 'who';
  who.textContent = item.role === 'user' ? 'console:' + item.by : 'ai4k8s';
  const body = document.createElement('div');
  body.className = 'text';
  renderMarkdown(body, text);
  item.el.replaceChildren(who, body);
  item.el.classList.toggle('working', /^_Working on it/.test(text));
}

/** A small Markdown subset: fenced code, inline code, bold, a whole-line _emphasis_, and <@user> mentions. */
function renderMarkdown(target, text) {
  const lines = text.split('\n');
  let fence = null;
  let code = [];
  let para = [];
  const flushPara = () => {
    if (para.length === 0) return;
    for (const line of para) {
      const p = document.createElement('p');
      const whole = /^_(.+)_$/.exec(line);
      if (whole !== null) {
        const em = document.createElement('em');
        appendInline(em, whole[1]);
        p.append(em);
      } else appendInline(p, line);
      target.append(p);
    }
    para = [];
  };
  for (const line of lines) {
    const open = /^(\x60{3,})/.exec(line);
    if (fence === null && open !== null) {
      flushPara();
      fence = open[1];
      code = [];
    } else if (fence !== null && line.trim() === fence) {
      const pre = document.createElement('pre');
      const c = document.createElement('code');
      c.textContent = code.join('\n');
      pre.append(c);
      target.append(pre);
      fence = null;
    } else if (fence !== null) code.push(line);
    else if (line.trim() === '') flushPara();
    else para.push(line);
  }
  if (fence !== null) {
    const pre = document.createElement('pre');
    pre.textContent = code.join('\n');
    target.append(pre);
  }
  flushPara();
}

function appendInline(target, text) {
  for (const part of text.split(/(\x60[^\x60]+\x60|\*\*[^*]+\*\*|<@[^>]+>)/)) {
    if (part === '') continue;
    if (/^\x60[^\x60]+\x60$/.test(part)) {
      const c = document.createElement('code');
      c.textContent = part.slice(1, -1);
      target.append(c);
    } else if (/^\*\*[^*]+\*\*$/.test(part)) {
      const b = document.createElement('strong');
      b.textContent = part.slice(2, -2);
      target.append(b);
    } else if (/^<@[^>]+>$/.test(part)) target.append('@' + part.slice(2, -1));
    else target.append(part);
  }
}

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className !== undefined) e.className = className;
  return e;
}

function renderCard(target, card) {
  const outcome = card.outcome;
  const expired = outcome === undefined && Date.now() > card.expiresAt;
  target.classList.toggle('decided', outcome !== undefined || expired);
  const parts = [
    el('h4', 'Approval needed: ' + card.tool),
    el('div', 'Asked by ' + card.requesterId + (outcome === undefined ? ' · expires ' + new Date(card.expiresAt).toLocaleTimeString() : ''), 'who'),
    el('pre', card.preview),
    el('pre', card.argumentsText, 'args'),
  ];
  if (outcome !== undefined) {
    const verb = outcome.status === 'approved' ? 'Approved' : outcome.status === 'denied' ? 'Denied' : 'Expired';
    parts.push(el('p', verb + (outcome.by ? ' by ' + outcome.by : ''), 'card-outcome'));
    if (outcome.result) parts.push(el('pre', outcome.result));
  } else if (expired) {
    parts.push(el('p', 'Expired: nothing was changed.', 'card-outcome'));
  } else if (state.me === null || state.me.canApprove !== true) {
    // The API refuses it too: deciding needs a verified identity, which the shared token is not.
    parts.push(el('p', 'Approving or denying needs a verified identity: your own console account or single sign-on.', 'card-note unverified'));
  } else {
    const actions = el('div', undefined, 'actions');
    const note = el('p', '', 'error card-note');
    for (const [label, decision, cls] of [['Approve', 'approved', 'approve'], ['Deny', 'denied', 'deny']]) {
      const button = el('button', label, cls);
      button.type = 'button';
      button.addEventListener('click', async () => {
        for (const b of actions.querySelectorAll('button')) b.disabled = true;
        const result = await api('/console/api/approval', { token: card.token, digest: card.actionDigest, decision, conversationId: state.conversationId });
        if (result.ok && result.data.done) note.textContent = 'Decision sent: ' + decision + '.';
        else {
          note.textContent = 'Not done: ' + (result.data.message || result.data.error || result.status);
          for (const b of actions.querySelectorAll('button')) b.disabled = false;
        }
      });
      actions.append(button);
    }
    parts.push(actions, note);
  }
  target.replaceChildren(...parts);
}

// ---- conversations, audit, health ----

async function loadConversations() {
  const result = await api('/console/api/conversations');
  if (!result.ok) return;
  const list = $('conversation-list');
  list.replaceChildren();
  for (const c of result.data.conversations) {
    const li = document.createElement('li');
    const button = el('button', c.title + ' — console:' + c.user + ', ' + new Date(c.updatedAt).toLocaleString());
    button.type = 'button';
    button.addEventListener('click', () => {
      openConversation(c.id, c.title);
      show('chat');
    });
    li.append(button);
    list.append(li);
  }
  if (result.data.conversations.length === 0) list.append(el('li', 'No conversations yet.'));
}

$('audit-refresh').addEventListener('click', () => void loadAudit());
$('health-refresh').addEventListener('click', () => void loadHealth());

function auditDetail(e) {
  const parts = [];
  if (e.tool) parts.push(e.tool);
  if (e.arguments !== undefined) parts.push(JSON.stringify(e.arguments).slice(0, 300));
  if (e.reason) parts.push(e.reason);
  if (e.error) parts.push(e.error);
  if (e.usage) parts.push(e.usage.inputTokens + e.usage.outputTokens + ' tokens');
  return parts.join(' · ');
}

async function loadAudit() {
  const result = await api('/console/api/audit?limit=200');
  if (!result.ok) return;
  const body = $('audit-table').querySelector('tbody');
  body.replaceChildren();
  for (const e of result.data.events) {
    const tr = document.createElement('tr');
    tr.dataset.kind = e.kind;
    tr.append(
      el('td', new Date(e.at).toLocaleString()),
      el('td', e.kind),
      el('td', e.platform + ':' + e.user),
      el('td', e.by ? (e.by.includes(':') ? e.by : e.platform + ':' + e.by) : ''),
      el('td', e.channel + ' @ ' + e.cluster),
      el('td', auditDetail(e), 'detail'),
      el('td', e.result),
    );
    body.append(tr);
  }
}

async function loadHealth() {
  const result = await api('/console/api/health');
  if (!result.ok) return;
  const body = $('health-table').querySelector('tbody');
  body.replaceChildren();
  for (const q of result.data.queues) {
    const tr = document.createElement('tr');
    tr.dataset.queue = q.name;
    tr.append(el('td', q.name), el('td', String(q.counts.waiting)), el('td', String(q.counts.active)), el('td', String(q.counts.delayed)),
      el('td', String(q.counts.failed)), el('td', String(q.counts.completed)), el('td', String(q.workers), 'workers'));
    body.append(tr);
  }
}

void start();
`;
