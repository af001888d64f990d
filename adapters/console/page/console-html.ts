/** The console's one page; /console/app.js fills it in. No inline script or style, so the CSP can forbid them. */
export const consoleHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ai4k8s console</title>
<link rel="stylesheet" href="/console/console.css">
<script type="module" src="/console/app.js"></script>
</head>
<body>
<header>
  <h1>ai4k8s</h1>
  <nav id="nav" hidden>
    <button type="button" data-view="chat">Chat</button>
    <button type="button" data-view="conversations">Conversations</button>
    <button type="button" data-view="audit">Audit log</button>
    <button type="button" data-view="health">Queue health</button>
  </nav>
  <span id="who"></span>
  <button type="button" id="logout" hidden>Log out</button>
</header>
<div id="ai-banner" class="banner" role="status" hidden>
  <strong>AI is not configured.</strong> Free-form questions need a model: set <code>ANTHROPIC_API_KEY</code> for the worker
  (for the demo: <code>ANTHROPIC_API_KEY=sk-ant-… npm run demo</code>) and restart.
  Until then, kubectl-style commands work in direct mode, e.g. <code>pods -n shop</code>,
  <code>describe pod &lt;name&gt; -n shop</code>, <code>logs &lt;pod&gt; --previous -n shop</code>, <code>events -n payments</code>.
</div>
<div id="open-banner" class="banner warn" role="status" hidden>
  No login is configured: anyone on this machine can use this console, unverified (asking and reading, no approvals).
  Configure console accounts (<code>CONSOLE_USERS_FILE</code>) or single sign-on before listening beyond loopback.
</div>
<div id="unverified-banner" class="banner warn" role="status" hidden>
  Signed in with the shared console token: you can ask and read, but approving needs your own console account
  (<code>CONSOLE_USERS_FILE</code>) or single sign-on, and your questions run without a personal Kubernetes identity.
</div>
<main>
  <section id="login-view" hidden>
    <form id="login-form" autocomplete="on">
      <h2>Sign in</h2>
      <label>Your account or name <input id="login-name" name="name" autocomplete="username" required maxlength="128"></label>
      <label id="password-label">Password (or the shared console token) <input id="login-password" name="password" type="password" autocomplete="current-password"></label>
      <button type="submit" id="login-submit">Sign in</button>
      <p id="login-error" class="error" role="alert"></p>
    </form>
  </section>
  <section id="chat-view" hidden>
    <div class="bar"><span id="conversation-title">New conversation</span><button type="button" id="new-conversation">New conversation</button></div>
    <div id="messages" aria-live="polite"></div>
    <form id="ask-form">
      <textarea id="question" rows="2" placeholder="Ask about your cluster, e.g. why is checkout crashing in shop?"></textarea>
      <button type="submit" id="ask">Ask</button>
    </form>
    <p id="chat-error" class="error" role="alert"></p>
  </section>
  <section id="conversations-view" hidden>
    <h2>Recent conversations</h2>
    <ul id="conversation-list"></ul>
  </section>
  <section id="audit-view" hidden>
    <div class="bar"><h2>Audit log <small>(newest first)</small></h2><button type="button" id="audit-refresh">Refresh</button></div>
    <p id="audit-filter" hidden>Only the conversation <strong id="audit-filter-name"></strong>. <a href="#/audit">Show all</a></p>
    <table id="audit-table"><thead><tr><th>Time</th><th>Event</th><th>Asked by</th><th>Decided by</th><th>Where</th><th>Detail</th><th>Result</th></tr></thead><tbody></tbody></table>
  </section>
  <section id="health-view" hidden>
    <div class="bar"><h2>Queue health</h2><button type="button" id="health-refresh">Refresh</button></div>
    <table id="health-table"><thead><tr><th>Queue</th><th>Waiting</th><th>Active</th><th>Delayed</th><th>Failed</th><th>Completed</th><th>Workers</th></tr></thead><tbody></tbody></table>
  </section>
</main>
</body>
</html>
`;
