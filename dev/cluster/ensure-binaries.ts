import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

export const KUBERNETES_VERSION = 'v1.32.13';
export const ETCD_VERSION = 'v3.5.35';

export interface ClusterBinaries {
  kubeApiserver: string;
  etcd: string;
}

const buildDir = join(import.meta.dirname, 'build');

/**
 * Where built binaries live: `$AI4K8S_CACHE_DIR`, else `$XDG_CACHE_HOME/ai4k8s`, else `~/.cache/ai4k8s`, so
 * every clone on the machine shares one build (outside any checkout, never committed).
 */
export function cacheDir(): string {
  const configured = process.env.AI4K8S_CACHE_DIR;
  if (configured !== undefined && configured !== '') return configured;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'ai4k8s');
}

/** The Go version the pinned modules need: the highest `go` directive of their go.mod files (e.g. "1.26.0"). */
export function requiredGoVersion(): string {
  const versions = ['kube-apiserver', 'etcd'].map(
    (name) => /^go (\d+\.\d+(?:\.\d+)?)$/m.exec(readFileSync(join(buildDir, name, 'go.mod'), 'utf8'))?.[1] ?? '0',
  );
  return versions.sort(compareVersions).at(-1) ?? '0';
}

/** Orders dotted version numbers numerically ("1.9" < "1.23"). */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export interface EnsureClusterBinariesOptions {
  /** Progress of a first-run build, one line at a time (what is built, where it is cached, packages compiled so far). */
  onProgress?: (line: string) => void;
  /** How often a running build reports how far it got (default 15 s). */
  progressEveryMs?: number;
}

/**
 * Builds kube-apiserver and etcd from the pinned Go modules under `dev/cluster/build/` unless the
 * versioned binaries are already cached. Each build writes a uniquely named temp file and renames it
 * into place, so two processes racing to build both end up with a complete binary.
 */
export async function ensureClusterBinaries({
  onProgress,
  progressEveryMs = 15_000,
}: EnsureClusterBinariesOptions = {}): Promise<ClusterBinaries> {
  const binDir = join(cacheDir(), 'bin');
  mkdirSync(binDir, { recursive: true });
  const kubeApiserver = join(binDir, `kube-apiserver-${KUBERNETES_VERSION}`);
  const etcd = join(binDir, `etcd-${ETCD_VERSION}`);
  // The API server reports this version to clients; without it kubectl sees v0.0.0-master.
  const [major, minor] = KUBERNETES_VERSION.slice(1).split('.');
  const versionFlags = [
    `-X k8s.io/component-base/version.gitVersion=${KUBERNETES_VERSION}`,
    `-X k8s.io/component-base/version.gitMajor=${major ?? ''}`,
    `-X k8s.io/component-base/version.gitMinor=${minor ?? ''}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
  ].join(' ');
  const missing = [
    { target: kubeApiserver, name: `kube-apiserver ${KUBERNETES_VERSION}` },
    { target: etcd, name: `etcd ${ETCD_VERSION}` },
  ].filter(({ target }) => !existsSync(target));
  if (missing.length > 0) {
    onProgress?.(
      `building ${missing.map((m) => m.name).join(' and ')} from Go modules (Go ${requiredGoVersion()}+; about 10 minutes and ~3 GB of Go module cache the first time, ` +
        `then cached in ${binDir}; set AI4K8S_CACHE_DIR to share one build across machines or CI runs)`,
    );
  }
  await Promise.all([
    buildOnce({
      target: kubeApiserver,
      name: 'kube-apiserver',
      moduleDir: join(buildDir, 'kube-apiserver'),
      pkg: 'k8s.io/kubernetes/cmd/kube-apiserver',
      ldflags: versionFlags,
      onProgress,
      progressEveryMs,
    }),
    buildOnce({ target: etcd, name: 'etcd', moduleDir: join(buildDir, 'etcd'), pkg: '.', ldflags: '', onProgress, progressEveryMs }),
  ]);
  return { kubeApiserver, etcd };
}

interface BuildOnceOptions {
  target: string;
  name: string;
  moduleDir: string;
  pkg: string;
  ldflags: string;
  onProgress: ((line: string) => void) | undefined;
  progressEveryMs: number;
}

async function buildOnce({ target, name, moduleDir, pkg, ldflags, onProgress, progressEveryMs }: BuildOnceOptions): Promise<void> {
  if (existsSync(target)) return;
  const temp = `${target}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  const started = Date.now();
  try {
    // -s -w only affect linking, so the warm compile cache stays valid and the binary is smaller; -v names each
    // package as it is compiled, which is the progress shown.
    await runGo({
      args: ['build', '-v', '-ldflags', `-s -w ${ldflags}`.trim(), '-o', temp, pkg],
      cwd: moduleDir,
      name,
      onProgress,
      progressEveryMs,
    });
    renameSync(temp, target);
    onProgress?.(`${name}: built in ${Math.round((Date.now() - started) / 1000)} s → ${target}`);
  } finally {
    rmSync(temp, { force: true });
  }
}

interface RunGoOptions {
  args: string[];
  cwd: string;
  name: string;
  onProgress: ((line: string) => void) | undefined;
  progressEveryMs: number;
}

async function runGo({ args, cwd, name, onProgress, progressEveryMs }: RunGoOptions): Promise<void> {
  const child = spawn('go', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const counts = { downloaded: 0, compiled: 0 };
  const started = Date.now();
  const onOutput = (d: Buffer) => {
    const text = d.toString();
    output = (output + text).slice(-8000);
    for (const line of text.split('\n')) {
      if (line.startsWith('go: downloading ')) counts.downloaded += 1;
      else if (line.trim() !== '' && !line.startsWith('go: ') && !line.startsWith('#')) counts.compiled += 1;
    }
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const timer = setInterval(() => {
    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    onProgress?.(`${name}: ${counts.downloaded} modules downloaded, ${counts.compiled} packages compiled (${minutes} min)`);
  }, progressEveryMs);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'ENOENT'
            ? new Error(
                `\`go\` is not on PATH: the test cluster builds kube-apiserver and etcd from source (Go ${requiredGoVersion()} or newer needed: https://go.dev/dl/)`,
              )
            : error,
        );
      });
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`go ${args.join(' ')} failed in ${cwd} (exit ${String(code)}):\n${output.slice(-4000)}`);
  } finally {
    clearInterval(timer);
  }
}
