import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cacheDir, ETCD_VERSION, KUBERNETES_VERSION } from '../test/cluster/ensure-binaries.ts';

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
    missing.push('redis-server not found: install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), or set REDIS_URL=redis://host:6379');
  }
  const kubeconfig = env.KUBECONFIG ?? '';
  if (kubeconfig !== '') {
    const first = kubeconfig.split(delimiter)[0] ?? '';
    if (!existsSync(first)) missing.push(`KUBECONFIG points at ${first}, which does not exist: fix the path, or unset KUBECONFIG to use the local test cluster`);
    return missing;
  }
  if (!clusterBinariesCached() && !onPath('go', env.PATH)) {
    missing.push(
      'go not found: the local test cluster builds kube-apiserver and etcd from source once (Go 1.23+: https://go.dev/dl/, Debian/Ubuntu: sudo apt-get install golang-go), or set KUBECONFIG to use a cluster you have',
    );
  }
  if (!onPath('openssl', env.PATH)) {
    missing.push('openssl not found: the local test cluster makes its certificates with it (Debian/Ubuntu: sudo apt-get install openssl; macOS: brew install openssl), or set KUBECONFIG to use a cluster you have');
  }
  return missing;
}
