import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reapOnParentExit } from '../cluster/reap-on-parent-exit.ts';
import { logTail, spawnLogged, type LoggedProcess } from '../cluster/spawn-logged.ts';
import { freePort } from '../support/free-port.ts';
import { refuseInUnitLane } from './unit-lane-guard.ts';

/** A real monitoring server started for a test; `stop()` kills it and removes its temp dir. */
export interface MonitoringServer {
  url: string;
  /** The server's log file (kept until stop), for failure messages. */
  logFile: string;
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** A Prometheus rule file (YAML, with `groups:`), loaded as-is. */
  rules?: string;
  /** Alertmanager to send alerts to (http://host:port). */
  alertmanagerUrl?: string;
  scrapeIntervalSeconds?: number;
  evaluationIntervalSeconds?: number;
  /** host:port targets scraped under job "extra" at /metrics (Prometheus always scrapes itself as job "prometheus"). */
  extraScrapeTargets?: string[];
}

const PROMETHEUS_BIN = '/usr/bin/prometheus';
const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';

/**
 * Starts the real Prometheus (Debian package) on a free loopback port with a temp TSDB, scraping
 * itself so real series exist (`up`, `prometheus_build_info`), and waits until /-/ready answers.
 * Intervals default to 1 s so rules fire within a few seconds.
 */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<MonitoringServer> {
  refuseInUnitLane('prometheus');
  const scrape = options.scrapeIntervalSeconds ?? 1;
  const evaluation = options.evaluationIntervalSeconds ?? 1;
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-prometheus-'));
  const scrapeConfigs = [
    { job_name: 'prometheus', static_configs: [{ targets: [address] }] },
    ...(options.extraScrapeTargets !== undefined && options.extraScrapeTargets.length > 0
      ? [{ job_name: 'extra', static_configs: [{ targets: options.extraScrapeTargets }] }]
      : []),
  ];
  const config: Record<string, unknown> = {
    global: { scrape_interval: `${scrape}s`, evaluation_interval: `${evaluation}s`, scrape_timeout: `${scrape}s` },
    scrape_configs: scrapeConfigs,
  };
  if (options.rules !== undefined) {
    writeFileSync(join(dir, 'rules.yml'), options.rules);
    config.rule_files = [join(dir, 'rules.yml')];
  }
  if (options.alertmanagerUrl !== undefined) {
    const target = new URL(options.alertmanagerUrl);
    config.alerting = {
      alertmanagers: [{ scheme: target.protocol.replace(':', ''), static_configs: [{ targets: [target.host] }] }],
    };
  }
  // JSON is valid YAML, so no YAML writer is needed here.
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const child = spawnLogged(
    'prometheus',
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=${address}`,
      // Otherwise alerts' generatorURL names the machine's hostname instead of the loopback address.
      `--web.external-url=http://${address}`,
      // Resend firing alerts every evaluation, so a test never waits the default minute.
      '--rules.alert.resend-delay=1s',
      '--log.level=warn',
    ],
    join(dir, 'prometheus.log'),
  );
  return await started({ child, dir, url: `http://${address}` });
}

export interface StartAlertmanagerOptions {
  /** Where the single receiver posts its webhook (version 4 payloads). */
  webhookUrl?: string;
  /** Sent as `Authorization: Bearer <token>` to the webhook. */
  bearerToken?: string;
  groupWaitSeconds?: number;
  groupIntervalSeconds?: number;
  repeatIntervalSeconds?: number;
}

/**
 * Starts the real Alertmanager 0.25 (Debian package) on a free loopback port with a temp data dir,
 * clustering off, one route to one webhook receiver named "ai4k8s", grouped by alertname.
 */
export async function startAlertmanager(options: StartAlertmanagerOptions = {}): Promise<MonitoringServer> {
  refuseInUnitLane('alertmanager');
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'ai4k8s-alertmanager-'));
  const webhook: Record<string, unknown> = { url: options.webhookUrl ?? 'http://127.0.0.1:9/unused', send_resolved: true };
  if (options.bearerToken !== undefined) {
    webhook.http_config = { authorization: { type: 'Bearer', credentials: options.bearerToken } };
  }
  const config = {
    route: {
      receiver: 'ai4k8s',
      group_by: ['alertname'],
      group_wait: `${options.groupWaitSeconds ?? 1}s`,
      group_interval: `${options.groupIntervalSeconds ?? 1}s`,
      repeat_interval: `${options.repeatIntervalSeconds ?? 3600}s`,
    },
    receivers: [{ name: 'ai4k8s', webhook_configs: [webhook] }],
  };
  writeFileSync(join(dir, 'alertmanager.yml'), JSON.stringify(config, null, 2));
  const child = spawnLogged(
    'alertmanager',
    ALERTMANAGER_BIN,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=${address}`,
      `--web.external-url=http://${address}`,
      // Empty: no gossip listener, so no second port and no cluster settling delay.
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    join(dir, 'alertmanager.log'),
  );
  return await started({ child, dir, url: `http://${address}` });
}

async function started({ child, dir, url }: { child: LoggedProcess; dir: string; url: string }): Promise<MonitoringServer> {
  const unreap = reapOnParentExit({ pids: [child.pid], dirs: [dir] });
  const stop = async (): Promise<void> => {
    await child.stop();
    unreap();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    const exit = child.exitDescription();
    if (exit !== undefined || Date.now() > deadline) {
      const log = logTail(child.logFile);
      await stop();
      throw new Error(`${child.name} did not become ready at ${url} (${exit ?? 'timed out'}):\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, logFile: child.logFile, stop };
}
