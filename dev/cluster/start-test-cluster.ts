import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.ts';
import { startFakeKubelet, type FakeKubelet } from '../fakes/fake-kubelet.ts';
import { ensureClusterBinaries } from './ensure-binaries.ts';
import { generateClusterCerts } from './generate-cluster-certs.ts';
import { grantViewerAccess } from './grant-viewer-access.ts';
import { reapOnParentExit } from './reap-on-parent-exit.ts';
import { seedFixtures } from './seed-fixtures.ts';
import { logTail, spawnLogged, type LoggedProcess } from './spawn-logged.ts';
import type { TestCluster } from './test-cluster.ts';
import { waitForApiServer } from './wait-for-api-server.ts';
import { writeKubeconfig, type TestUser } from './write-kubeconfig.ts';
import { refuseInUnitLane } from '../services/unit-lane-guard.ts';

export interface StartTestClusterOptions {
  /** Keep certs, logs and kubeconfig here (kept after stop, except etcd data); default: a temp dir removed on stop. */
  dir?: string;
  /** Create the fixture scenarios (default true). */
  seed?: boolean;
  /** Progress of a first-run build of the binaries (see ensureClusterBinaries). */
  onProgress?: (line: string) => void;
}

/**
 * Starts a real etcd and kube-apiserver on loopback (no controller-manager, scheduler or kubelet:
 * seeded objects keep exactly the status the fixtures give them), plus the fake kubelet that serves
 * container logs, and returns a kubeconfig for the users admin, viewer and nobody.
 */
export async function startTestCluster(options: StartTestClusterOptions = {}): Promise<TestCluster> {
  refuseInUnitLane('the test cluster');
  const binaries = await ensureClusterBinaries(options.onProgress === undefined ? {} : { onProgress: options.onProgress });
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ai4k8s-cluster-'));
  mkdirSync(join(dir, 'pki'), { recursive: true });
  const etcdData = mkdtempSync(join(tmpdir(), 'ai4k8s-etcd-'));
  const certs = await generateClusterCerts(join(dir, 'pki'));
  const tokens: Record<TestUser, string> = { admin: token(), viewer: token(), nobody: token() };
  const tokenFile = join(dir, 'pki', 'tokens.csv');
  // Static token file format: token,user,uid,"group1,group2".
  writeFileSync(
    tokenFile,
    [`${tokens.admin},admin,uid-admin,"system:masters"`, `${tokens.viewer},viewer,uid-viewer`, `${tokens.nobody},nobody,uid-nobody`].join(
      '\n',
    ) + '\n',
    { mode: 0o600 },
  );
  const [etcdClientPort, etcdPeerPort, apiPort] = await distinctFreePorts(3);
  const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
  const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
  const server = `https://127.0.0.1:${apiPort}`;
  const kubeconfigPath = join(dir, 'kubeconfig');

  const processes: LoggedProcess[] = [];
  let apiServerArgs: string[] = [];
  let kubelet: FakeKubelet | undefined;
  let unreap = (): void => undefined;
  const stopAll = async (): Promise<void> => {
    // API server first, so it does not spend its shutdown retrying a vanished etcd.
    for (const child of [...processes].reverse()) await child.stop();
    await kubelet?.stop();
    unreap();
    rmSync(etcdData, { recursive: true, force: true });
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    else for (const name of readdirSync(dir)) if (!name.endsWith('.log')) rmSync(join(dir, name), { recursive: true, force: true });
  };

  try {
    // --unsafe-no-fsync: the data is thrown away anyway, and fsync dominates bulk seeding.
    processes.push(
      spawnLogged(
        'etcd',
        binaries.etcd,
        [
          '--name=test',
          `--data-dir=${etcdData}`,
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=test=${peerUrl}`,
          '--unsafe-no-fsync',
          '--log-level=warn',
        ],
        join(dir, 'etcd.log'),
      ),
    );
    kubelet = await startFakeKubelet({
      logDir: join(dir, 'kubelet-logs'),
      cert: certs.kubeletServingCert,
      key: certs.kubeletServingKey,
      ca: certs.caCert,
    });
    apiServerArgs = [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${certs.apiServerCert}`,
      `--tls-private-key-file=${certs.apiServerKey}`,
      `--client-ca-file=${certs.caCert}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${certs.serviceAccountPub}`,
      `--service-account-signing-key-file=${certs.serviceAccountKey}`,
      '--service-cluster-ip-range=10.0.0.0/16',
      `--kubelet-client-certificate=${certs.kubeletClientCert}`,
      `--kubelet-client-key=${certs.kubeletClientKey}`,
      `--kubelet-certificate-authority=${certs.caCert}`,
      // Seeded nodes also list a Hostname address that does not resolve; logs must go to 127.0.0.1.
      '--kubelet-preferred-address-types=InternalIP',
      // No controller-manager: nothing would create default service accounts or lift the
      // not-ready taint that TaintNodesByCondition puts on every new node.
      '--disable-admission-plugins=ServiceAccount,TaintNodesByCondition',
      '--allow-privileged=true',
      '--profiling=false',
      '--v=1',
    ];
    processes.push(spawnLogged('kube-apiserver', binaries.kubeApiserver, apiServerArgs, join(dir, 'kube-apiserver.log')));
    unreap = reapOnParentExit({ pids: processes.map((child) => child.pid), dirs: ownDir ? [etcdData, dir] : [etcdData] });
    await waitForApiServer({ server, ca: readFileSync(certs.caCert), token: tokens.admin, processes });
    writeKubeconfig({ path: kubeconfigPath, server, caCert: certs.caCert, tokens });
    await grantViewerAccess(kubeconfigPath);
    if (options.seed !== false) await seedFixtures({ kubeconfigPath, kubeletPort: kubelet.port });
  } catch (error) {
    const tails = processes.map((child) => `--- ${child.logFile} (last lines) ---\n${logTail(child.logFile)}`).join('\n');
    await stopAll().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`test cluster failed to start: ${reason}\n${tails}`, { cause: error });
  }

  let stopped: Promise<void> | undefined;
  const restartApiServer = async ({ kill = false, downMs = 0 }: { kill?: boolean; downMs?: number } = {}) => {
    const index = processes.findIndex((child) => child.name === 'kube-apiserver');
    const old = processes[index];
    if (old === undefined) throw new Error('no kube-apiserver to restart');
    await old.stop(kill ? 0 : 5_000);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    // Appends to the same log, so a failure still shows what the first process said.
    const next = spawnLogged('kube-apiserver', binaries.kubeApiserver, apiServerArgs, join(dir, 'kube-apiserver.log'), 'a');
    processes[index] = next;
    unreap();
    unreap = reapOnParentExit({ pids: processes.map((child) => child.pid), dirs: ownDir ? [etcdData, dir] : [etcdData] });
    await waitForApiServer({ server, ca: readFileSync(certs.caCert), token: tokens.admin, processes });
  };
  return { kubeconfigPath, server, tokens, restartApiServer, stop: () => (stopped ??= stopAll()) };
}

function token(): string {
  return randomBytes(24).toString('hex');
}

/** freePort() closes its probe socket, so back-to-back calls can hand out the same port twice. */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
