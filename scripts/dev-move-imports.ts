import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Moves the shared test helpers from test/ to dev/ (issue 17) and rewrites every relative import that pointed at
 * their old place. Safe to re-run: once moved, it only rewrites imports still aimed at an old path, which is what a
 * branch that added tests before the move needs after merging (`node --import tsx scripts/dev-move-imports.ts`).
 * With --dry-run it prints what it would move and rewrite.
 */
const root = join(import.meta.dirname, '..');
const dryRun = process.argv.includes('--dry-run');

/** Single helpers that leave their test folder: the service starters, the stack, and what bench/, scripts/, eval/ use. */
const FILES: Record<string, string> = {
  'test/support/redis-server.ts': 'dev/services/redis-server.ts',
  'test/support/redis-topologies.ts': 'dev/services/redis-topologies.ts',
  'test/support/monitoring-stack.ts': 'dev/services/monitoring-stack.ts',
  'test/support/chromium.ts': 'dev/services/chromium.ts',
  'test/support/shared.ts': 'dev/services/shared.ts',
  'test/support/unit-lane-guard.ts': 'dev/services/unit-lane-guard.ts',
  'test/e2e/start-stack.ts': 'dev/stack/start-stack.ts',
  'test/e2e/approval-clicks.ts': 'dev/stack/approval-clicks.ts',
  'test/e2e/read-audit.ts': 'dev/stack/read-audit.ts',
  'test/mcp/start-mcp-server-for-test.ts': 'dev/stack/start-mcp-server-for-test.ts',
  'test/soak/run-fault-soak.ts': 'dev/soak/run-fault-soak.ts',
  'test/soak/soak-model.ts': 'dev/soak/soak-model.ts',
  'test/soak/soak-outcomes.ts': 'dev/soak/soak-outcomes.ts',
  'test/adapters/teams/teams-activities.ts': 'dev/fakes/teams-activities.ts',
  'test/adapters/teams/teams-fakes.ts': 'dev/fakes/teams-fakes.ts',
  'test/alerts/notification-fixture.ts': 'dev/fakes/notification-fixture.ts',
};

/** Whole folders: every file but the tests (`*.test.ts` stay in test/ and import the helpers from dev/). */
const FOLDERS: Record<string, string> = {
  'test/support/': 'dev/support/',
  'test/fakes/': 'dev/fakes/',
  'test/cluster/': 'dev/cluster/',
};

/** Where a file at `path` (from the root) belongs after the move; undefined if it stays. */
function movedPath(path: string): string | undefined {
  const file = FILES[path];
  if (file !== undefined) return file;
  if (path.endsWith('.test.ts')) return undefined;
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
