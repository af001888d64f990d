import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Issue 17's moves: the platform reply channels from src/chat/<platform>/ to adapters/<platform>/reply/ (an adapter owns
 * its ingress and its reply channel), and the files that made src/ folders import each other to the folder that owns
 * them. Rewrites every relative import that pointed at an old place. Safe to
 * re-run: once moved, it only rewrites imports still aimed at an old path, which is what a branch that added code
 * before the move needs after merging (`node --import tsx scripts/structure-move-imports.ts`). With --dry-run it prints
 * what it would move and rewrite.
 */
const root = join(import.meta.dirname, '..');
const dryRun = process.argv.includes('--dry-run');

/** Single files: the Slack SDK's logger bridge and the tests of the reply channels, so test/ mirrors the code. */
const FILES: Record<string, string> = {
  'src/log/slack-logger.ts': 'adapters/slack/slack-logger.ts',
  'test/chat/answer-blocks.test.ts': 'test/adapters/slack/reply/answer-blocks.test.ts',
  'test/chat/markdown-to-mrkdwn.test.ts': 'test/adapters/slack/reply/markdown-to-mrkdwn.test.ts',
  'test/chat/slack-reply-channel.test.ts': 'test/adapters/slack/reply/slack-reply-channel.test.ts',
  'test/adapters/teams/teams-reply-channel.test.ts': 'test/adapters/teams/reply/teams-reply-channel.test.ts',
  'test/adapters/teams/teams-long-answer.test.ts': 'test/adapters/teams/reply/teams-long-answer.test.ts',
  // Folder pairs that imported each other. The alert worker and its incident wiring are worker wiring (src/worker);
  // the alert thread's hooks belong to alerts (they run its timeline), which uses incidents.
  'src/alerts/start-alert-worker.ts': 'src/worker/start-alert-worker.ts',
  'src/incidents/incident-memory-for-alerts.ts': 'src/worker/incident-memory-for-alerts.ts',
  'src/incidents/alert-thread-hooks.ts': 'src/alerts/alert-thread-hooks.ts',
  'test/incidents/alert-thread-hooks.test.ts': 'test/alerts/alert-thread-hooks.test.ts',
  // Every role writes audit events and the console and metrics read them: a record format, like the tool results.
  'src/audit/audit-event.ts': 'src/contract/audit-event.ts',
  'src/budget/agent-usage.ts': 'src/contract/agent-usage.ts',
  // The kubectl tool's command language: the MCP server runs it, channel policy scopes it, direct mode writes it.
  'src/mcp/toolsets/kubectl/parse-kubectl-command.ts': 'src/contract/kubectl/parse-kubectl-command.ts',
  'src/mcp/toolsets/kubectl/split-command-line.ts': 'src/contract/kubectl/split-command-line.ts',
  'test/mcp/parse-kubectl-command.test.ts': 'test/contract/kubectl/parse-kubectl-command.test.ts',
  // Only channel policy asks which kubectl types are namespaced.
  'src/mcp/toolsets/kubectl/namespaced-types.ts': 'src/policy/namespaced-types.ts',
  // Graphs are drawn and posted by the worker; src/monitoring keeps the MCP server's Prometheus / Alertmanager / Grafana clients.
  'src/monitoring/answer-monitoring.ts': 'src/graphs/answer-monitoring.ts',
  'src/monitoring/post-graphs.ts': 'src/graphs/post-graphs.ts',
  'src/monitoring/range-graphs.ts': 'src/graphs/range-graphs.ts',
  'src/monitoring/render-chart.ts': 'src/graphs/render-chart.ts',
  'test/monitoring/answer-monitoring.test.ts': 'test/graphs/answer-monitoring.test.ts',
  'test/monitoring/render-chart.test.ts': 'test/graphs/render-chart.test.ts',
  'test/monitoring/png-size.ts': 'test/graphs/png-size.ts',
};

/** Whole folders. */
const FOLDERS: Record<string, string> = {
  'src/chat/slack/': 'adapters/slack/reply/',
  'src/chat/teams/': 'adapters/teams/reply/',
  'src/chat/console/': 'adapters/console/reply/',
};

/** Where a file at `path` (from the root) belongs after the move; undefined if it stays. */
function movedPath(path: string): string | undefined {
  const file = FILES[path];
  if (file !== undefined) return file;
  for (const [from, to] of Object.entries(FOLDERS)) if (path.startsWith(from)) return to + path.slice(from.length);
  return undefined;
}

/** Tracked and untracked (not ignored) files, from the root. */
function gitFiles(...args: string[]): string[] {
  return execFileSync('git', ['ls-files', '-z', ...args], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((path) => path !== '');
}

const REFERENCE = /((?:\bfrom|\bimport|\bnew URL)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)(['"])/g;

/** The text of `path` (a .ts file now at `at`, formerly at `was`) with its relative imports aimed at where things are now. */
function rewrite(text: string, was: string, at: string): string {
  return text.replace(REFERENCE, (whole, head: string, specifier: string, tail: string) => {
    const target = relative(root, resolve(root, dirname(was), specifier))
      .split(sep)
      .join('/');
    const now = movedPath(target) ?? target;
    let next = relative(dirname(join(root, at)), join(root, now))
      .split(sep)
      .join('/');
    if (!next.startsWith('.')) next = `./${next}`;
    return next === specifier && was === at ? whole : `${head}${next}${tail}`;
  });
}

const tracked = new Set(gitFiles());
const all = [...tracked, ...gitFiles('--others', '--exclude-standard')];
const moves = all.flatMap((path) => {
  const to = movedPath(path);
  return to === undefined ? [] : [{ from: path, to }];
});
let rewritten = 0;
const contents = new Map<string, string>();
for (const path of all.filter((p) => p.endsWith('.ts'))) {
  const at = movedPath(path) ?? path;
  const before = readFileSync(join(root, path), 'utf8');
  const after = rewrite(before, path, at);
  if (after !== before) {
    contents.set(at, after);
    rewritten++;
  }
}
for (const { from, to } of moves) {
  process.stdout.write(`move ${from} -> ${to}\n`);
  if (!dryRun) {
    mkdirSync(dirname(join(root, to)), { recursive: true });
    if (tracked.has(from)) execFileSync('git', ['mv', from, to], { cwd: root });
    else renameSync(join(root, from), join(root, to));
  }
}
for (const [path, text] of contents) {
  process.stdout.write(`rewrite ${path}\n`);
  if (!dryRun) writeFileSync(join(root, path), text);
}
process.stdout.write(`${moves.length} files moved, ${rewritten} files' imports rewritten${dryRun ? ' (dry run)' : ''}\n`);
