import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

export const KUBERNETES_VERSION = 'v1.32.13';
export const ETCD_VERSION = 'v3.5.35';

export interface ClusterBinaries {
  kubeApiserver: string;
  etcd: string;
}

const repoRoot = join(import.meta.dirname, '..', '..');
const buildDir = join(import.meta.dirname, 'build');

/** Where built binaries (and the CLI's kubeconfig) live: git-ignored, shared across runs. */
export function cacheDir(): string {
  const configured = process.env.AI4K8S_CACHE_DIR;
  return configured !== undefined && configured !== '' ? configured : join(repoRoot, '.cache');
}

/**
 * Builds kube-apiserver and etcd from the pinned Go modules under `test/cluster/build/` unless the
 * versioned binaries are already cached. Each build writes a uniquely named temp file and renames it
 * into place, so two processes racing to build both end up with a complete binary.
 */
export async function ensureClusterBinaries(): Promise<ClusterBinaries> {
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
  await Promise.all([
    buildOnce(kubeApiserver, join(buildDir, 'kube-apiserver'), 'k8s.io/kubernetes/cmd/kube-apiserver', versionFlags),
    buildOnce(etcd, join(buildDir, 'etcd'), '.', ''),
  ]);
  return { kubeApiserver, etcd };
}

async function buildOnce(target: string, moduleDir: string, pkg: string, ldflags: string): Promise<void> {
  if (existsSync(target)) return;
  const temp = `${target}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    // -s -w only affect linking, so the warm compile cache stays valid and the binary is smaller.
    await runGo(['build', '-ldflags', `-s -w ${ldflags}`.trim(), '-o', temp, pkg], moduleDir);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
}

async function runGo(args: string[], cwd: string): Promise<void> {
  const child = spawn('go', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error('`go` is not on PATH: the test cluster builds kube-apiserver and etcd from source (Go 1.23+ needed)')
          : error,
      );
    });
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`go ${args.join(' ')} failed in ${cwd} (exit ${String(code)}):\n${output.slice(-4000)}`);
}
