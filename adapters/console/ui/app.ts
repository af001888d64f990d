/**
 * The console's browser code, bundled by esbuild into /console/app.js (console-script.ts): plain DOM, no framework.
 * Text from the cluster and the model is only ever set as textContent, never as HTML.
 */
import { renderApprovalCard } from './approval-card.ts';
import { loadAudit } from './audit-view.ts';
import { consoleApi, type ConsoleEvent, type Me } from './console-api.ts';
import { consoleRouteHash, parseConsoleRoute, type ConsoleView } from './console-route.ts';
import { loadConversations } from './conversations-view.ts';
import { byId, el } from './dom.ts';
import { loadHealth } from './health-view.ts';
import { questionHistory } from './question-history.ts';
import { renderMarkdown } from './render-markdown.ts';

const VIEWS = ['login', 'chat', 'conversations', 'audit', 'health'] as const;
type View = (typeof VIEWS)[number];

interface ShownMessage {
  el: HTMLElement;
  role: 'user' | 'bot' | undefined;
  by: string | undefined;
}

const state: {
  me: Me | null;
  conversationId: string | null;
  source: EventSource | null;
  items: Map<string, ShownMessage>;
  /** The console conversation the audit view is filtered to (from `#/audit?conversation=<id>`). */
  auditConversation: string | undefined;
} = {
  me: null,
  auditConversation: undefined,
  conversationId: null,
  source: null,
  items: new Map(),
};

const api = consoleApi({ onSignedOut: () => showLogin() });
const questions = questionHistory(localStorage);
const question = byId<HTMLTextAreaElement>('question');
const navButtons = () => document.querySelectorAll<HTMLButtonElement>('#nav button');

function show(view: View, { conversation }: { conversation?: string | undefined } = {}): void {
  for (const name of VIEWS) byId(`${name}-view`).hidden = name !== view;
  for (const button of navButtons()) {
    if (button.dataset.view === view) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  if (view === 'conversations')
    void loadConversations({ api, list: byId('conversation-list'), open: (c) => (openConversation(c.id, c.title), show('chat')) });
  if (view === 'audit') {
    state.auditConversation = conversation;
    void loadAudit({ api, table: byId<HTMLTableElement>('audit-table'), conversation });
  }
  if (view === 'health') void loadHealth({ api, table: byId<HTMLTableElement>('health-table') });
}

function showLogin(): void {
  closeStream();
  state.me = null;
  byId('nav').hidden = true;
  byId('logout').hidden = true;
  byId('who').textContent = '';
  show('login');
}

async function start(): Promise<void> {
  const me = await api<Me>('/console/api/me');
  if (!me.ok) return showLogin();
  state.me = me.data;
  byId('who').textContent = `signed in as ${me.data.identity}`;
  byId('nav').hidden = false;
  // Signed in by the single sign-on proxy: signing out is the proxy's business.
  byId('logout').hidden = me.data.via === 'proxy';
  byId('ai-banner').hidden = me.data.aiConfigured === true;
  byId('open-banner').hidden = me.data.loginRequired !== false;
  byId('unverified-banner').hidden = me.data.verified === true || me.data.loginRequired === false;
  const route = parseConsoleRoute(location.hash);
  show(route?.view ?? 'chat', { conversation: route?.conversation });
}

/** A link such as an answer's "Audit trail" (`#/audit?conversation=<id>`), or Back / Forward, names a view. */
window.addEventListener('hashchange', () => {
  const route = parseConsoleRoute(location.hash);
  if (route !== undefined && state.me !== null) show(route.view, { conversation: route.conversation });
});

byId('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  byId('login-error').textContent = '';
  const password = byId<HTMLInputElement>('login-password');
  void api('/console/login', { name: byId<HTMLInputElement>('login-name').value.trim(), password: password.value }).then((result) => {
    if (result.ok) {
      password.value = '';
      return start();
    }
    byId('login-error').textContent =
      result.data.error === 'wrong_credentials'
        ? 'Wrong name, password or token.'
        : `Sign-in failed: ${result.data.error ?? result.status}`;
  });
});

byId('logout').addEventListener('click', () => {
  void api('/console/logout', {}).then(showLogin);
});

for (const button of navButtons()) {
  button.addEventListener('click', () => {
    const view = (button.dataset.view ?? 'chat') as ConsoleView;
    // The address names the view (reload, share), without a hashchange: the view is shown here, unfiltered.
    history.pushState(null, '', consoleRouteHash({ view }));
    show(view);
  });
}

// ---- chat ----

function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function closeStream(): void {
  state.source?.close();
  state.source = null;
}

function openConversation(id: string, title: string | undefined): void {
  closeStream();
  state.conversationId = id;
  state.items = new Map();
  byId('messages').replaceChildren();
  byId('conversation-title').textContent = title || `Conversation ${id.slice(0, 8)}`;
  const source = new EventSource(`/console/api/events?conversation=${encodeURIComponent(id)}`);
  source.onmessage = (message: MessageEvent<string>) => apply(JSON.parse(message.data) as ConsoleEvent);
  state.source = source;
}

byId('new-conversation').addEventListener('click', () => {
  closeStream();
  state.conversationId = null;
  state.items = new Map();
  byId('messages').replaceChildren();
  byId('conversation-title').textContent = 'New conversation';
});

byId('ask-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = question.value.trim();
  if (text === '') return;
  byId('chat-error').textContent = '';
  if (state.conversationId === null) openConversation(newId(), text.slice(0, 80));
  const ask = byId<HTMLButtonElement>('ask');
  ask.disabled = true;
  void api('/console/api/ask', { conversationId: state.conversationId, requestId: newId(), text })
    .then((result) => {
      if (result.ok) {
        question.value = '';
        questions.remember(text);
      } else byId('chat-error').textContent = `Not sent: ${result.data.error ?? result.status}`;
    })
    .finally(() => (ask.disabled = false));
});

question.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    byId<HTMLFormElement>('ask-form').requestSubmit();
  } else if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && !question.value.slice(0, question.selectionStart).includes('\n')) {
    // Up on the first line walks back through earlier questions, Down forward; a multi-line draft scrolls as usual.
    const recalled = questions.step(event.key === 'ArrowUp' ? 'up' : 'down');
    if (recalled === undefined) return;
    event.preventDefault();
    question.value = recalled;
  }
});

function apply(event: ConsoleEvent): void {
  let item = state.items.get(event.id);
  if (item === undefined) {
    if (event.type === 'update') return;
    const shown = el('div', undefined, `msg ${event.type === 'approval' ? 'bot card' : event.role}`);
    shown.dataset.id = event.id;
    byId('messages').append(shown);
    item = { el: shown, role: event.type === 'message' ? event.role : undefined, by: event.type === 'message' ? event.by : undefined };
    state.items.set(event.id, item);
  }
  if (event.type === 'approval')
    renderApprovalCard(item.el, { card: event.card, canApprove: state.me?.canApprove === true, conversationId: state.conversationId, api });
  else renderMessage(item, event.text);
  item.el.scrollIntoView({ block: 'nearest' });
}

function renderMessage(item: ShownMessage, text: string): void {
  const who = el('div', item.role === 'user' ? `console:${item.by}` : 'ai4k8s', 'who');
  const body = el('div', undefined, 'text');
  renderMarkdown(body, text);
  item.el.replaceChildren(who, body);
  const working = /^_Working on it/.test(text);
  item.el.classList.toggle('working', working);
  if (item.role === 'bot' && !working && state.conversationId !== null) {
    // Every tool call, model call and approval step of this conversation, in the audit view.
    const trail = el('a', 'Audit trail', 'audit-link');
    trail.href = consoleRouteHash({ view: 'audit', conversation: state.conversationId });
    item.el.append(trail);
  }
}

// ---- conversations, audit, health ----

byId('audit-refresh').addEventListener(
  'click',
  () => void loadAudit({ api, table: byId<HTMLTableElement>('audit-table'), conversation: state.auditConversation }),
);
byId('health-refresh').addEventListener('click', () => void loadHealth({ api, table: byId<HTMLTableElement>('health-table') }));

void start();
