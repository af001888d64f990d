import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cacheDir, compareVersions, ETCD_VERSION, KUBERNETES_VERSION, requiredGoVersion } from '../dev/cluster/ensure-binaries.ts';

/** Whether `command` is an executable file on PATH. */
export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    if (dir === '') return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Whether the local test cluster's kube-apiserver and etcd are already built (then Go is not needed). */
export function clusterBinariesCached(): boolean {
  const bin = join(cacheDir(), 'bin');
  return existsSync(join(bin, `kube-apiserver-${KUBERNETES_VERSION}`)) && existsSync(join(bin, `etcd-${ETCD_VERSION}`));
}

/**
 * One line per missing prerequisite: what is missing, what it is for, and how to get it (or what to set
 * instead). Empty when the demo can start.
 */
export function missingPrerequisites(env: NodeJS.ProcessEnv): string[] {
  const missing: string[] = [];
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 10)) {
    missing.push(`Node.js ${process.versions.node} is too old: ai4k8s needs Node.js 20.10 or newer (https://nodejs.org/)`);
  }
  if ((env.REDIS_URL ?? '') === '' && !onPath('redis-server', env.PATH)) {
    missing.push(
      'redis-server not found: install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), or set REDIS_URL=redis://host:6379',
    );
  }
  const kubeconfig = env.KUBECONFIG ?? '';
  if (kubeconfig !== '') {
    const first = kubeconfig.split(delimiter)[0] ?? '';
    if (!existsSync(first))
      missing.push(`KUBECONFIG points at ${first}, which does not exist: fix the path, or unset KUBECONFIG to use the local test cluster`);
    return missing;
  }
  if (!clusterBinariesCached()) {
    const needed = requiredGoVersion();
    if (!onPath('go', env.PATH)) {
      missing.push(
        `go not found: the local test cluster builds kube-apiserver and etcd from source once (Go ${needed} or newer from https://go.dev/dl/ — distribution packages such as Debian's golang-go are usually too old), or set KUBECONFIG to use a cluster you have`,
      );
    } else {
      const found = goVersion(env);
      if (found !== undefined && compareVersions(found, needed) < 0) {
        missing.push(
          `go ${found} is too old: building kube-apiserver and etcd needs Go ${needed} or newer (https://go.dev/dl/), or set KUBECONFIG to use a cluster you have`,
        );
      }
    }
  }
  if (!onPath('openssl', env.PATH)) {
    missing.push(
      'openssl not found: the local test cluster makes its certificates with it (Debian/Ubuntu: sudo apt-get install openssl; macOS: brew install openssl), or set KUBECONFIG to use a cluster you have',
    );
  }
  return missing;
}

/** The version of the `go` on PATH ("1.26.8"), or undefined when it cannot be asked. */
function goVersion(env: NodeJS.ProcessEnv): string | undefined {
  try {
    // GOTOOLCHAIN=local: the version of the go on PATH itself, not one it would download.
    const out = execFileSync('go', ['env', 'GOVERSION'], {
      env: { ...process.env, PATH: env.PATH, GOTOOLCHAIN: 'local' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    return /go(\d+\.\d+(?:\.\d+)?)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}
